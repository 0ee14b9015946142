"""Case messages are part of the record (ADR 026): PostgreSQL refuses to delete a message or an
attachment, or to change anything of a message but filling in when it was read; and the hourly
job that flags unanswered party messages to the section chiefs, kept in django-celery-beat
(``courtexec.seeds`` restores it after a flush)."""

from django.db import migrations

JOB = ("liaison: flag unanswered party messages", "liaison.flag_unanswered", "5")


def schedule_job(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, minute = JOB
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour="*", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    PeriodicTask.objects.update_or_create(
        name=name, defaults={"task": task, "crontab": schedule, "interval": None, "enabled": True}
    )


def unschedule_job(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=JOB[1]).delete()


# TRUNCATE (used by test flushes) fires no row trigger.
APPEND_ONLY = """
    CREATE FUNCTION liaison_message_is_record() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'case messages are part of the record (DELETE refused)'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.read_at IS NOT NULL AND NEW.read_at IS DISTINCT FROM OLD.read_at
           OR (to_jsonb(NEW) - 'read_at') IS DISTINCT FROM (to_jsonb(OLD) - 'read_at') THEN
            RAISE EXCEPTION 'case messages are part of the record (only read_at is filled in)'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER liaison_messages_are_record
        BEFORE UPDATE OR DELETE ON liaison_message
        FOR EACH ROW EXECUTE FUNCTION liaison_message_is_record();

    CREATE FUNCTION liaison_attachment_is_record() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'case messages are part of the record (% of an attachment refused)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER liaison_attachments_are_record
        BEFORE UPDATE OR DELETE ON liaison_messageattachment
        FOR EACH ROW EXECUTE FUNCTION liaison_attachment_is_record();
"""
DROP_APPEND_ONLY = """
    DROP TRIGGER liaison_attachments_are_record ON liaison_messageattachment;
    DROP FUNCTION liaison_attachment_is_record();
    DROP TRIGGER liaison_messages_are_record ON liaison_message;
    DROP FUNCTION liaison_message_is_record();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0003_logincode_address_index"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunSQL(sql=APPEND_ONLY, reverse_sql=DROP_APPEND_ONLY),
        migrations.RunPython(schedule_job, unschedule_job),
    ]

"""Grant the enforcement permissions to the roles; schedule the daily consultation job."""

from django.db import migrations

from courtexec.roles import grant
from enforcement.roles import ENFORCEMENT_GRANTS


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, ENFORCEMENT_GRANTS, app_labels=["enforcement"])


def schedule_jobs(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    PeriodicTask.objects.update_or_create(
        name="Consultation reminders (三个月以上未结案会诊)",
        defaults={"task": "enforcement.remind_consultations", "crontab": daily, "enabled": True},
    )


def unschedule_jobs(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="enforcement.remind_consultations"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0001_initial"),
        ("courtexec", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
        migrations.RunPython(schedule_jobs, unschedule_jobs),
    ]

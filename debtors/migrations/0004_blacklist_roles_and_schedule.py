"""Grant the list and restriction permissions; schedule the daily deletion-task job."""

from django.db import migrations

from courtexec.roles import grant
from debtors.roles import BLACKLIST_GRANTS

JOB_NAME = "失信名单删除任务 (blacklist deletion tasks, daily)"
JOB_TASK = "debtors.raise_deletion_tasks"


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, BLACKLIST_GRANTS, app_labels=["debtors"])


def schedule_job(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    PeriodicTask.objects.update_or_create(
        name=JOB_NAME,
        defaults={"task": JOB_TASK, "crontab": schedule, "interval": None, "enabled": True},
    )


def unschedule_job(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=JOB_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("debtors", "0003_blacklist"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
        migrations.RunPython(schedule_job, unschedule_job),
    ]

"""The daily process controls of custody: stock-check reminders and long-custody alerts, kept in
django-celery-beat so an administrator sees and can change the schedule (``courtexec.seeds``
restores them after a flush)."""

from django.db import migrations

JOBS = [
    # (name, task, hour, minute)
    ("vehicles: remind of due stock checks", "vehicles.remind_stock_checks", "8", "10"),
    ("vehicles: alert of long custody", "vehicles.alert_long_custody", "8", "20"),
]


def schedule_jobs(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, hour, minute in JOBS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Shanghai",
        )  # fmt: skip
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "crontab": schedule, "interval": None, "enabled": True},
        )


def unschedule_jobs(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _, task, _, _ in JOBS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("vehicles", "0002_custody_fees"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_jobs, unschedule_jobs)]

from django.db import migrations


def schedule_jobs(apps, schema_editor):
    """The monthly report at 07:00 Shanghai time on the 1st; old exports removed daily at 03:40."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    monthly, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="1", month_of_year="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    daily, _created = CrontabSchedule.objects.get_or_create(
        minute="40", hour="3", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    PeriodicTask.objects.update_or_create(
        name="Monthly reports (执行工作月报)",
        defaults={"task": "command.make_monthly_reports", "crontab": monthly, "enabled": True},
    )
    PeriodicTask.objects.update_or_create(
        name="Remove old exports (清理导出文件)",
        defaults={"task": "command.remove_old_exports", "crontab": daily, "enabled": True},
    )


def unschedule_jobs(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=["command.make_monthly_reports", "command.remove_old_exports"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("command", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_jobs, unschedule_jobs)]

"""Beat runs the outbox relay every 10 seconds (the outbox's safety net).

The task was first the text-message relay; ``0009`` renames the row of databases migrated then,
and this function (also rerun after a flush, see ``courtexec.seeds``) seeds the current one.
"""

from django.db import migrations


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=10, period="seconds")
    PeriodicTask.objects.update_or_create(
        name="外发消息发送 (delivery relay)",
        defaults={"task": "courtexec.relay_deliveries", "interval": every, "enabled": True},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="courtexec.relay_deliveries"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courtexec", "0004_smsmessage_notification"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

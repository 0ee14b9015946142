"""The beat job that relayed text messages now relays every channel's outbox."""

from django.db import migrations


def rename(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="courtexec.relay_sms"
    ).update(name="外发消息发送 (delivery relay)", task="courtexec.relay_deliveries")


def unrename(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="courtexec.relay_deliveries"
    ).update(name="短信发送 (text-message relay)", task="courtexec.relay_sms")


class Migration(migrations.Migration):
    dependencies = [("courtexec", "0008_delivery")]

    operations = [migrations.RunPython(rename, unrename)]

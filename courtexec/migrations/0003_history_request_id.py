"""Rename the history rows' request id to history_request_id (no clash with FKs named request)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("courtexec", "0002_roles")]

    operations = [
        migrations.RenameField("historicalcourt", "request_id", "history_request_id"),
        migrations.RenameField("historicaluser", "request_id", "history_request_id"),
    ]

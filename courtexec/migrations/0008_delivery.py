"""The text-message outbox becomes the outbox of every channel (SMS, email, WeChat)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courtexec", "0007_seed_calendar_2025_2026"),
    ]

    operations = [
        migrations.RenameModel("SmsMessage", "Delivery"),
        migrations.RenameField("delivery", "phone", "address"),
        migrations.RenameField("delivery", "gateway_reference", "reference"),
        migrations.AlterField(
            "delivery", "address", models.CharField(max_length=254, verbose_name="address")
        ),
        migrations.AlterField(
            "delivery",
            "reference",
            models.CharField(blank=True, max_length=64, verbose_name="channel reference"),
        ),
        migrations.AlterField("delivery", "text", models.TextField(verbose_name="text")),
        migrations.AddField(
            "delivery",
            "channel",
            models.CharField(
                choices=[("sms", "Text message"), ("email", "Email"), ("wechat", "WeChat")],
                default="sms",
                max_length=10,
                verbose_name="channel",
            ),
        ),
        migrations.AddField(
            "delivery",
            "subject",
            models.CharField(blank=True, max_length=200, verbose_name="subject"),
        ),
        migrations.AddField(
            "delivery",
            "notification",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="courtexec.notification",
                verbose_name="notification",
            ),
        ),
        migrations.AddField(
            "delivery",
            "attempts",
            models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AddField(
            "delivery",
            "next_attempt_at",
            models.DateTimeField(blank=True, null=True, verbose_name="next attempt at"),
        ),
        migrations.AlterModelOptions(
            "delivery",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "delivery",
                "verbose_name_plural": "deliveries",
            },
        ),
        migrations.AddConstraint(
            "delivery",
            models.UniqueConstraint(
                condition=models.Q(notification__isnull=False),
                fields=("notification", "channel"),
                name="one_delivery_per_notification_channel",
            ),
        ),
        migrations.AddIndex(
            "delivery",
            models.Index(
                condition=models.Q(status="queued"), fields=["id"], name="queued_deliveries"
            ),
        ),
    ]

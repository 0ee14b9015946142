"""Callouts: who took each step and the handover record; beat checks open callouts every minute
(escalation, deadline warning, missed deadline — the safety net of the countdown tasks)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

JOB_NAME = "备勤出警检查 (callout escalation and deadlines)"
JOB_TASK = "standby.check_callouts"


def schedule_job(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=JOB_NAME,
        defaults={"task": JOB_TASK, "interval": every, "crontab": None, "enabled": True},
    )


def unschedule_job(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=JOB_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("standby", "0002_roster"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="callout",
            name="closed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="closed by",
            ),
        ),
        migrations.AddField(
            model_name="callout",
            name="dispatched_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="dispatched by",
            ),
        ),
        migrations.AddField(
            model_name="callout",
            name="handed_over_to",
            field=models.ForeignKey(
                blank=True,
                help_text="The court officer who took the person over from the police.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="taken over by",
            ),
        ),
        migrations.AddField(
            model_name="callout",
            name="handover_place",
            field=models.CharField(blank=True, max_length=200, verbose_name="handover place"),
        ),
        migrations.AddField(
            model_name="callout",
            name="transfer_recipient",
            field=models.CharField(
                blank=True,
                help_text="For an assist: the officer of the requesting court who took the person.",
                max_length=100,
                verbose_name="received at the requesting court by",
            ),
        ),
        migrations.AddField(
            model_name="historicalcallout",
            name="closed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="closed by",
            ),
        ),
        migrations.AddField(
            model_name="historicalcallout",
            name="dispatched_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="dispatched by",
            ),
        ),
        migrations.AddField(
            model_name="historicalcallout",
            name="handed_over_to",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The court officer who took the person over from the police.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="taken over by",
            ),
        ),
        migrations.AddField(
            model_name="historicalcallout",
            name="handover_place",
            field=models.CharField(blank=True, max_length=200, verbose_name="handover place"),
        ),
        migrations.AddField(
            model_name="historicalcallout",
            name="transfer_recipient",
            field=models.CharField(
                blank=True,
                help_text="For an assist: the officer of the requesting court who took the person.",
                max_length=100,
                verbose_name="received at the requesting court by",
            ),
        ),
        migrations.RunPython(schedule_job, unschedule_job),
    ]

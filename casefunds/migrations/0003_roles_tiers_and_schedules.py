"""Grant case-funds permissions; the default idle-money tiers; the periodic jobs."""

from django.db import migrations

from casefunds.roles import CASEFUNDS_GRANTS, DEFAULT_TIERS
from courtexec.roles import grant

JOBS = [
    # name, task, every (seconds) or None for the daily crontab
    ("案款沉淀分级预警 (idle-money tiers, daily)", "casefunds.scan_idle_money", None),
    ("案款发放出账 (payout outbox relay)", "casefunds.relay_payouts", 30),
    ("案款发放对账 (payout reconciler)", "casefunds.reconcile_payouts", 60),
]


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, CASEFUNDS_GRANTS, app_labels=["casefunds"])


def create_tiers(apps, schema_editor):
    IdleTier = apps.get_model("casefunds", "IdleTier")
    for days, label, colour, roles in DEFAULT_TIERS:
        IdleTier.objects.get_or_create(
            days=days, defaults={"label": label, "colour": colour, "notify_roles": roles}
        )


def schedule_jobs(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every in JOBS:
        if every is None:
            schedule, _ = CrontabSchedule.objects.get_or_create(
                minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
                timezone="Asia/Shanghai",
            )  # fmt: skip
            defaults = {"task": task, "crontab": schedule, "interval": None, "enabled": True}
        else:
            schedule, _ = IntervalSchedule.objects.get_or_create(every=every, period="seconds")
            defaults = {"task": task, "interval": schedule, "crontab": None, "enabled": True}
        PeriodicTask.objects.update_or_create(name=name, defaults=defaults)


def unschedule_jobs(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _, task, _ in JOBS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casefunds", "0002_ledger_rules_in_postgresql"),
        ("courtexec", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
        migrations.RunPython(create_tiers, migrations.RunPython.noop),
        migrations.RunPython(schedule_jobs, unschedule_jobs),
    ]

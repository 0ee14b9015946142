"""Rows that data migrations seed and ``flush`` wipes: the holiday calendar and the beat jobs.

``flush`` (run by every transactional or live-server test, and by an operator resetting a
database) empties every table and then sends ``post_migrate``, as it does for roles and
idle-money tiers. When a seeded table is empty afterwards, the seeding migrations' own functions
run again, so there is one source for these rows. A table that still has rows is left alone: an
administrator's edits (a disabled job, a changed holiday) are never reverted by a migrate.
"""

from __future__ import annotations

from importlib import import_module

# model label -> the (app, migration, function) that seed it, in migration order.
SEEDED_BY: dict[str, list[tuple[str, str, str]]] = {
    "courtexec.CalendarDay": [("courtexec", "0007_seed_calendar_2025_2026", "seed_days")],
    "django_celery_beat.PeriodicTask": [
        ("courtexec", "0005_sms_relay_schedule", "schedule"),
        ("enforcement", "0002_roles_and_schedule", "schedule_jobs"),
        ("enforcement", "0005_deadline_warnings", "schedule_job"),
        ("casefunds", "0003_roles_tiers_and_schedules", "schedule_jobs"),
        ("debtors", "0002_roles_and_schedule", "schedule_job"),
        ("debtors", "0004_blacklist_roles_and_schedule", "schedule_job"),
        ("debtors", "0006_tips", "schedule_job"),
        ("debtors", "0008_research_and_figures", "schedule_job"),
        ("standby", "0002_roster", "schedule_jobs"),
        ("standby", "0003_callouts", "schedule_job"),
        ("vehicles", "0003_beat_jobs", "schedule_jobs"),
        # The liaison app is nested: the first item is the package its migrations are in.
        ("enforcement.liaison", "0004_messages_are_the_record", "schedule_job"),
        ("courtexec.command", "0002_beat_jobs", "schedule_jobs"),
    ],
}


def restore_seeded_rows(sender, apps=None, using: str = "default", **kwargs) -> None:
    """post_migrate: reseed each seeded table that is empty (a fresh flush).

    ``migrate`` passes the migration state's apps; ``flush`` passes none: the installed ones.
    """
    if apps is None:
        from django.apps import apps
    for label, sources in SEEDED_BY.items():
        if apps.get_model(label).objects.using(using).exists():
            continue
        for app_label, migration, function in sources:
            seed = getattr(import_module(f"{app_label}.migrations.{migration}"), function)
            seed(apps, None)

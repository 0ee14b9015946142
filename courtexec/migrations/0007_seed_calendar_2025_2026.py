"""Seed the working-day calendar (2025 and 2026 holidays and make-up days); grant its admin.

From the State Council's notices (国办发明电〔2024〕12号 for 2025; the notice of 2025-11-04 for
2026). Later years are added in admin when their notice is published.
"""

import datetime as dt

from django.db import migrations

from courtexec.roles import CALENDAR_PERMISSIONS, grant

DAYS = [
    ("2025-01-01", "holiday", "元旦"),
    ("2025-01-28", "holiday", "春节"),
    ("2025-01-29", "holiday", "春节"),
    ("2025-01-30", "holiday", "春节"),
    ("2025-01-31", "holiday", "春节"),
    ("2025-02-01", "holiday", "春节"),
    ("2025-02-02", "holiday", "春节"),
    ("2025-02-03", "holiday", "春节"),
    ("2025-02-04", "holiday", "春节"),
    ("2025-04-04", "holiday", "清明节"),
    ("2025-04-05", "holiday", "清明节"),
    ("2025-04-06", "holiday", "清明节"),
    ("2025-05-01", "holiday", "劳动节"),
    ("2025-05-02", "holiday", "劳动节"),
    ("2025-05-03", "holiday", "劳动节"),
    ("2025-05-04", "holiday", "劳动节"),
    ("2025-05-05", "holiday", "劳动节"),
    ("2025-05-31", "holiday", "端午节"),
    ("2025-06-01", "holiday", "端午节"),
    ("2025-06-02", "holiday", "端午节"),
    ("2025-10-01", "holiday", "国庆节、中秋节"),
    ("2025-10-02", "holiday", "国庆节、中秋节"),
    ("2025-10-03", "holiday", "国庆节、中秋节"),
    ("2025-10-04", "holiday", "国庆节、中秋节"),
    ("2025-10-05", "holiday", "国庆节、中秋节"),
    ("2025-10-06", "holiday", "国庆节、中秋节"),
    ("2025-10-07", "holiday", "国庆节、中秋节"),
    ("2025-10-08", "holiday", "国庆节、中秋节"),
    ("2025-01-26", "workday", "春节调休上班"),
    ("2025-02-08", "workday", "春节调休上班"),
    ("2025-04-27", "workday", "劳动节调休上班"),
    ("2025-09-28", "workday", "国庆节、中秋节调休上班"),
    ("2025-10-11", "workday", "国庆节、中秋节调休上班"),
    ("2026-01-01", "holiday", "元旦"),
    ("2026-01-02", "holiday", "元旦"),
    ("2026-01-03", "holiday", "元旦"),
    ("2026-02-15", "holiday", "春节"),
    ("2026-02-16", "holiday", "春节"),
    ("2026-02-17", "holiday", "春节"),
    ("2026-02-18", "holiday", "春节"),
    ("2026-02-19", "holiday", "春节"),
    ("2026-02-20", "holiday", "春节"),
    ("2026-02-21", "holiday", "春节"),
    ("2026-02-22", "holiday", "春节"),
    ("2026-02-23", "holiday", "春节"),
    ("2026-04-04", "holiday", "清明节"),
    ("2026-04-05", "holiday", "清明节"),
    ("2026-04-06", "holiday", "清明节"),
    ("2026-05-01", "holiday", "劳动节"),
    ("2026-05-02", "holiday", "劳动节"),
    ("2026-05-03", "holiday", "劳动节"),
    ("2026-05-04", "holiday", "劳动节"),
    ("2026-05-05", "holiday", "劳动节"),
    ("2026-06-19", "holiday", "端午节"),
    ("2026-06-20", "holiday", "端午节"),
    ("2026-06-21", "holiday", "端午节"),
    ("2026-09-25", "holiday", "中秋节"),
    ("2026-09-26", "holiday", "中秋节"),
    ("2026-09-27", "holiday", "中秋节"),
    ("2026-10-01", "holiday", "国庆节"),
    ("2026-10-02", "holiday", "国庆节"),
    ("2026-10-03", "holiday", "国庆节"),
    ("2026-10-04", "holiday", "国庆节"),
    ("2026-10-05", "holiday", "国庆节"),
    ("2026-10-06", "holiday", "国庆节"),
    ("2026-10-07", "holiday", "国庆节"),
    ("2026-01-04", "workday", "元旦调休上班"),
    ("2026-02-14", "workday", "春节调休上班"),
    ("2026-02-28", "workday", "春节调休上班"),
    ("2026-05-09", "workday", "劳动节调休上班"),
    ("2026-09-20", "workday", "中秋节调休上班"),
    ("2026-10-10", "workday", "国庆节调休上班"),
]


def seed_days(apps, schema_editor):
    """The days alone (also replayed by ``courtexec.seeds`` after a flush)."""
    CalendarDay = apps.get_model("courtexec", "CalendarDay")
    for day, kind, name in DAYS:
        CalendarDay.objects.update_or_create(
            date=dt.date.fromisoformat(day), defaults={"kind": kind, "name": name}
        )


def seed(apps, schema_editor):
    seed_days(apps, schema_editor)
    grant(apps, schema_editor, CALENDAR_PERMISSIONS, app_labels=["courtexec"])


def unseed(apps, schema_editor):
    apps.get_model("courtexec", "CalendarDay").objects.filter(
        date__in=[dt.date.fromisoformat(day) for day, _kind, _name in DAYS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courtexec", "0006_calendarday"),
        ("courtexec", "0002_roles"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

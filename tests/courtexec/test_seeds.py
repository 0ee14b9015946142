"""A flush (every transactional test ends with one) puts the seeded calendar and beat jobs back."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from courtexec.models import CalendarDay


@pytest.mark.django_db(transaction=True)
def test_flush_restores_the_calendar_and_the_beat_jobs():
    days, jobs = (
        CalendarDay.objects.count(),
        set(PeriodicTask.objects.values_list("task", flat=True)),
    )
    assert days > 0 and "debtors.run_researches" in jobs
    call_command("flush", interactive=False, verbosity=0)
    assert CalendarDay.objects.count() == days
    assert set(PeriodicTask.objects.values_list("task", flat=True)) == jobs


@pytest.mark.django_db(transaction=True)
def test_a_table_with_rows_is_left_as_the_administrator_edited_it():
    from django.apps import apps

    from courtexec.seeds import restore_seeded_rows

    job = PeriodicTask.objects.get(task="debtors.run_researches")
    job.enabled = False
    job.save()
    CalendarDay.objects.filter(pk=CalendarDay.objects.first().pk).delete()
    before = CalendarDay.objects.count()
    restore_seeded_rows(sender=None, apps=apps)
    assert not PeriodicTask.objects.get(task="debtors.run_researches").enabled
    assert CalendarDay.objects.count() == before

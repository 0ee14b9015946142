"""Background jobs of debtors: thin and idempotent, calling services."""

from __future__ import annotations

from celery import shared_task

from debtors import services


@shared_task(name="debtors.raise_renewal_reminders", acks_late=True)
def raise_renewal_reminders() -> int:
    return services.raise_renewal_reminders().raised


@shared_task(name="debtors.raise_deletion_tasks", acks_late=True)
def raise_deletion_tasks() -> int:
    return services.raise_deletion_tasks()


@shared_task(name="debtors.alert_overdue_tips", acks_late=True)
def alert_overdue_tips() -> int:
    return services.alert_overdue_tips()


@shared_task(name="debtors.run_researches", acks_late=True)
def run_researches() -> int:
    """Daily: open the re-searches after 终本 that fell due, record those the group finished."""
    job = services.run_researches()
    return job.opened + job.completed

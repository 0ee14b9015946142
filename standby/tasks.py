"""Background jobs of standby: thin and idempotent, calling services."""

from __future__ import annotations

from celery import shared_task

from standby import services

# --- roster -----------------------------------------------------------------------------------


@shared_task(name="standby.extend_roster", acks_late=True)
def extend_roster() -> int:
    """Daily: keep every rotation's shifts generated ``STANDBY_ROSTER_WEEKS`` ahead."""
    return services.extend_roster()


@shared_task(name="standby.warn_of_gaps", acks_late=True)
def warn_of_gaps() -> int:
    """Daily: tell the bureau chief(s) of each new gap in the next ``STANDBY_GAP_CHECK_DAYS``."""
    return services.warn_of_gaps()


@shared_task(name="standby.check_callout", acks_late=True)
def check_callout(callout_id: int) -> int:
    """Countdown task set at report time: escalate or alert this callout if due."""
    return len(services.check_callout(callout_id))


@shared_task(name="standby.check_callouts", acks_late=True)
def check_callouts() -> int:
    """Every minute (beat): the safety net for countdown tasks lost with a broker or worker."""
    return services.check_callouts()

"""Background jobs of vehicles: thin and idempotent, calling services (beat runs them daily)."""

from __future__ import annotations

from celery import shared_task

from vehicles import services

# --- custodians, fees and stock checks ---


@shared_task(name="vehicles.remind_stock_checks", acks_late=True)
def remind_stock_checks() -> int:
    """Daily: lots without a count in ``VEHICLES_STOCK_CHECK_DAYS``, once per due period."""
    return services.remind_stock_checks()


@shared_task(name="vehicles.alert_long_custody", acks_late=True)
def alert_long_custody() -> int:
    """Daily: vehicles kept ``VEHICLES_CUSTODY_ALERT_DAYS`` without a disposal, each once."""
    return services.alert_long_custody()

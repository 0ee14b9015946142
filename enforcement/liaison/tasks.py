"""Background jobs of the liaison station: thin and idempotent, calling services."""

from __future__ import annotations

from celery import shared_task

from enforcement.liaison import services

# --- Messaging ---


@shared_task(name="liaison.flag_unanswered", acks_late=True)
def flag_unanswered() -> int:
    """Hourly: party messages waiting past the policy time, to the section chiefs, each once."""
    return services.flag_unanswered_threads()

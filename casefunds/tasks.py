"""Background jobs of case funds: thin and idempotent, calling services.

``send_payout`` may run twice for one payout (redelivery, relay and review both enqueue it): the
service's state check under a row lock makes the second run a no-op.
"""

from __future__ import annotations

from celery import shared_task

from casefunds import services


@shared_task(name="casefunds.send_payout", acks_late=True, reject_on_worker_lost=True)
def send_payout(payout_id: int) -> None:
    services.send_payout(payout_id)


@shared_task(name="casefunds.relay_payouts", acks_late=True)
def relay_payouts() -> int:
    return services.relay_payouts()


@shared_task(name="casefunds.reconcile_payouts", acks_late=True)
def reconcile_payouts() -> int:
    return services.reconcile_payouts()


@shared_task(name="casefunds.scan_idle_money", acks_late=True)
def scan_idle_money() -> dict:
    result = services.scan_idle_money()
    return {"raised": result.raised, "cleared": result.cleared,
            "step_raised": result.step_raised, "step_cleared": result.step_cleared}  # fmt: skip

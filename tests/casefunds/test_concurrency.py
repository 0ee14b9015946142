"""Twenty clients at once, each on its own database connection, against the real PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connections
from django.utils import timezone

from casefunds import ledger, services
from casefunds.models import Account, Deposit, Payout, SandboxBankInstruction, Transfer
from casefunds.selectors import ledger_drift
from tests.casefunds.conftest import deposit, fresh
from tests.casefunds.flows import approve_and_review, propose

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 20


def at_once(work: Callable[[int], object], clients: int = CLIENTS) -> list[tuple[str, object]]:
    """Run ``work(i)`` in ``clients`` threads released together; ("ok", result) or
    ("error", exception) per thread. Every thread closes its own connection."""
    barrier = threading.Barrier(clients)
    results: list[tuple[str, object]] = [("missing", None)] * clients

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = ("ok", work(index))
        except Exception as exc:
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def notice(reference: str, account: Account, amount: int, paid_at=None) -> services.Notice:
    return services.Notice(
        reference=reference,
        virtual_account=account.virtual_number or "",
        amount=amount,
        payer_name="付款人",
        payer_account="6217000010001234567",
        paid_at=paid_at or timezone.now(),
    )


def test_identical_notices_book_one_deposit(bank_channel, sub_account):
    same = notice("DUP-1", sub_account, 12_345)
    results = at_once(lambda _i: services.receive_payment(channel=bank_channel, notice=same))
    assert all(outcome == "ok" for outcome, _ in results), results
    created = Counter(value[1] for _outcome, value in results)
    assert created == {True: 1, False: CLIENTS - 1}
    assert len({value[0].pk for _outcome, value in results}) == 1
    assert Deposit.objects.count() == 1
    assert Transfer.objects.filter(code=Transfer.Code.DEPOSIT).count() == 1
    assert fresh(sub_account).balance == 12_345
    assert ledger_drift() == []


def test_different_notices_on_one_sub_account_add_up(bank_channel, sub_account):
    paid_at = timezone.now()
    results = at_once(
        lambda i: services.receive_payment(
            channel=bank_channel, notice=notice(f"N-{i}", sub_account, 100 + i, paid_at)
        )
    )
    assert all(outcome == "ok" and value[1] for outcome, value in results), results
    total = sum(100 + i for i in range(CLIENTS))
    assert fresh(sub_account).balance == total
    assert fresh(ledger.court_account(sub_account.court, Account.Kind.BANK)).balance == total
    assert Deposit.objects.count() == CLIENTS
    assert ledger_drift() == []


def test_concurrent_approvals_reserve_once(bank_channel, case, sub_account, judge, chief):
    deposit(bank_channel, sub_account, 50_000, "A-1")
    payout = propose(case, judge, sub_account, 50_000)
    results = at_once(lambda _i: services.approve_payout(payout=payout, user=chief))
    outcomes = Counter(
        "ok" if outcome == "ok" else type(value).__name__ for outcome, value in results
    )
    assert outcomes == {"ok": 1, "Conflict": CLIENTS - 1}, results
    assert Transfer.objects.filter(phase=Transfer.Phase.PENDING).count() == 1
    account = fresh(sub_account)
    assert (account.debits_pending, account.available) == (50_000, 0)
    assert ledger_drift() == []


def test_concurrent_sends_reach_the_bank_once(bank_channel, case, sub_account, judge, chief,
                                              finance):  # fmt: skip
    deposit(bank_channel, sub_account, 80_000, "S-1")
    payout = approve_and_review(propose(case, judge, sub_account, 80_000), chief, finance)
    results = at_once(lambda _i: services.send_payout(payout.pk))
    assert all(outcome == "ok" for outcome, _ in results), results
    booked = SandboxBankInstruction.objects.get(key=payout.idempotency_key)
    assert booked.calls == 1
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    settled = Transfer.objects.filter(pending=payout.reservation_id)
    assert [t.phase for t in settled] == [Transfer.Phase.POST_PENDING]
    assert fresh(sub_account).balance == 0
    assert ledger_drift() == []

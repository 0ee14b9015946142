"""Random sequences of money movements through the services keep the ledger's invariants:
every transfer sums to zero, no owed account is overdrawn (counting reservations), the cached
totals equal what the postings say, and the bank holds exactly what the court owes."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefunds import services
from casefunds.models import Account, Deposit, LitigationFee, Payout
from casefunds.selectors import ledger_drift
from enforcement.models import CaseParty
from tests.casefunds.conftest import deposit
from tests.casefunds.flows import set_payee_account
from tests.enforcement.fixtures import file_case

pytestmark = pytest.mark.django_db

PAYEE_ENDINGS = {"paid": "6222020202020202020", "fails": "6222020202020200000",
                 "returns": "6222020202020209999"}  # fmt: skip
amounts = st.integers(min_value=1, max_value=50_000)
index = st.integers(min_value=0, max_value=7)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("deposit"), st.integers(0, 2), amounts),  # 2 = no virtual account
        st.tuples(st.just("deposit"), st.integers(0, 1), amounts),
        st.tuples(st.just("assign"), index, st.integers(0, 1)),
        st.tuples(
            st.just("propose"),
            st.integers(0, 1),
            st.integers(1, 110),  # percent of the money free on the account (over 100: refused)
            st.sampled_from(list(PAYEE_ENDINGS)),
        ),
        st.tuples(  # propose and take it through the chain to a random step
            st.just("payout"),
            st.integers(0, 1),
            st.integers(1, 100),
            st.sampled_from(list(PAYEE_ENDINGS)),
            st.integers(0, 4),  # 0 proposed, 1 approved, 2 reviewed, 3 sent, 4 rejected
        ),
        st.tuples(st.just("approve"), index),
        st.tuples(st.just("review"), index),
        st.tuples(st.just("send"), index),
        st.tuples(st.just("reject"), index),
        st.tuples(st.just("fee"), amounts),
        st.tuples(st.just("refund_fee"), index, amounts),
        st.tuples(st.just("reverse_fee"), index),
    ),
    min_size=5,
    max_size=30,
)


class Rollback(Exception):
    """Ends an example: its writes are undone so the next example starts clean."""


@pytest.fixture
def world(case, court_a, judge, chief, finance, bank_channel, applicant, person_respondent):
    second = file_case(court_a, judge, applicant, person_respondent,
                       instrument_number="(2016)浙0103民初101号")  # fmt: skip
    accounts = [
        Account.objects.get(case=case, kind=Account.Kind.CASE),
        Account.objects.get(case=second, kind=Account.Kind.CASE),
    ]
    return {"cases": [case, second], "accounts": accounts, "judge": judge, "chief": chief,
            "finance": finance, "channel": bank_channel}  # fmt: skip


def pick(items: list, i: int):
    return items[i % len(items)] if items else None


def apply(op: tuple, w: dict, state: dict) -> None:
    kind, *args = op
    judge, chief, finance = w["judge"], w["chief"], w["finance"]
    payouts: list[Payout] = state["payouts"]
    if kind == "deposit":
        target = w["accounts"][args[0]] if args[0] < 2 else Account(virtual_number="")
        state["n"] += 1
        deposit(w["channel"], target, args[1], f"H-{state['n']}")
    elif kind == "assign":
        pending = list(Deposit.objects.filter(status=Deposit.Status.SUSPENSE).order_by("pk"))
        if pending:
            services.assign_suspense(deposit=pick(pending, args[0]),
                                     case_account=w["accounts"][args[1]], reason="认领",
                                     user=finance)  # fmt: skip
    elif kind == "propose":
        case = w["cases"][args[0]]
        set_payee_account(case, PAYEE_ENDINGS[args[2]])
        free = Account.objects.get(pk=w["accounts"][args[0]].pk).available
        payout, _ = services.propose_payout(
            case=case, kind=Payout.Kind.APPLICANT, amount=max(1, free * args[1] // 100),
            idempotency_key=uuid.uuid4().hex, user=judge,
            payee_party=case.parties.get(role=CaseParty.Role.APPLICANT),
            source=w["accounts"][args[0]],
        )  # fmt: skip
        payouts.append(payout)
    elif kind == "payout":
        apply(("propose", *args[:3]), w, state)
        payout, stage = payouts[-1], args[3]
        if stage == 4:
            services.reject_payout(payout=payout, reason="退回", user=chief)
        if stage in (1, 2, 3):
            services.approve_payout(payout=payout, user=chief)
        if stage in (2, 3):
            services.review_payout(payout=payout, user=finance)
        if stage == 3:
            services.send_payout(payout.pk)
    elif kind == "approve" and payouts:
        services.approve_payout(payout=pick(payouts, args[0]), user=chief)
    elif kind == "review" and payouts:
        services.review_payout(payout=pick(payouts, args[0]), user=finance)
    elif kind == "send" and payouts:
        services.send_payout(pick(payouts, args[0]).pk)
    elif kind == "reject" and payouts:
        payout = Payout.objects.get(pk=pick(payouts, args[0]).pk)
        user = chief if payout.status == Payout.Status.DRAFT else finance
        services.reject_payout(payout=payout, reason="退回", user=user)
    elif kind == "fee":
        state["n"] += 1
        party = w["cases"][0].parties.get(role=CaseParty.Role.RESPONDENT)
        services.record_fee(case_party=party, amount=args[0], receipt_number=f"R{state['n']}",
                            user=finance)  # fmt: skip
    elif kind == "refund_fee":
        fee = pick(list(LitigationFee.objects.order_by("pk")), args[0])
        if fee is not None:
            payouts.append(services.declare_fee_refund(
                fee=fee, amount=min(args[1], fee.amount), reason="退费", user=judge,
                refund_payee=services.Payee(name="退费人", bank="工行", account="62220000111"),
            ))  # fmt: skip
    elif kind == "reverse_fee":
        fee = pick(list(LitigationFee.objects.order_by("pk")), args[0])
        if fee is not None:
            services.reverse_transfer(transfer=fee.transfer, reason="录入错误", user=finance)


def check_invariants() -> None:
    assert ledger_drift() == []
    owed = Account.objects.exclude(kind=Account.Kind.BANK)
    overdrawn = owed.filter(credits_posted__lt=F("debits_posted") + F("debits_pending"))
    assert list(overdrawn) == []
    bank = Account.objects.filter(kind=Account.Kind.BANK).first()
    held = sum(a.balance for a in owed)
    assert (bank.balance if bank else 0) == held


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_random_sequences_keep_the_ledger_consistent(world, ops):  # fmt: skip
    try:
        with transaction.atomic():
            state = {"payouts": [], "n": 0}
            for op in ops:
                try:
                    with transaction.atomic():
                        apply(op, world, state)
                except (ValidationError, services.Conflict):
                    pass  # refused as it should be (no money, wrong state, refunded already)
                check_invariants()
            raise Rollback
    except Rollback:
        pass

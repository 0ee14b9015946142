"""Case-funds services end to end on the real ledger: refunds, counter receipts, suspense,
the approval chain's permissions, bank outcomes, one-click proposals, escrow, statements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from casefunds import ledger, services
from casefunds.models import (
    Account,
    Deposit,
    FundsAlert,
    Hold,
    Payout,
    SandboxBankInstruction,
    Transfer,
)
from casefunds.selectors import ledger_drift
from courtexec.request_context import current_request_id
from courtexec.roles import Role
from tests.casefunds.conftest import deposit, fresh
from tests.casefunds.flows import (
    applicant_party,
    approve_and_review,
    ensure_tiers,
    pay,
    propose,
    set_payee_account,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in their English source text."""
    with translation.override("en"):
        yield


REFUND_PAYEE = services.Payee(name="杭州某某贸易有限公司", bank="工行", account="6222000011112222")


@pytest.fixture
def fee(case, finance):
    party = case.parties.exclude(role="applicant").first()
    return services.record_fee(case_party=party, amount=5_000, receipt_number="F-001", user=finance)


# --- Fee refunds ------------------------------------------------------------------------------


def test_fee_is_refunded_once(fee, judge, chief, finance):
    payout = services.declare_fee_refund(
        fee=fee, amount=5_000, refund_payee=REFUND_PAYEE, reason="撤回申请", user=judge
    )
    assert payout.source == ledger.court_account(fee.case.court, Account.Kind.FEES)
    with pytest.raises(ValidationError, match="already been refunded"):
        services.declare_fee_refund(
            fee=fee, amount=1_000, refund_payee=REFUND_PAYEE, reason="again", user=judge
        )
    # The database refuses a second open refund even when the service is bypassed.
    with pytest.raises(IntegrityError, match="fee_refunded_once"), transaction.atomic():
        Payout.objects.create(
            court=payout.court, case=payout.case, kind=Payout.Kind.FEE_REFUND,
            source=payout.source, fee=fee, payee_name="x", payee_bank="x",
            payee_account="6222000011113333", amount=1_000, idempotency_key="raw-second",
            request_digest="x", proposed_by=judge,
        )  # fmt: skip
    approve_and_review(payout, chief, finance)
    services.send_payout(payout.pk)
    assert Payout.objects.get(pk=payout.pk).status == Payout.Status.PAID
    assert fresh(payout.source).balance == 0
    assert ledger_drift() == []


def test_rejected_refund_allows_a_new_one(fee, judge, chief):
    payout = services.declare_fee_refund(
        fee=fee, amount=5_000, refund_payee=REFUND_PAYEE, reason="撤回申请", user=judge
    )
    services.reject_payout(payout=payout, reason="金额有误", user=chief)
    again = services.declare_fee_refund(
        fee=fee, amount=4_000, refund_payee=REFUND_PAYEE, reason="重新申请", user=judge
    )
    assert again.status == Payout.Status.DRAFT


# --- Counter receipts and suspense ------------------------------------------------------------


def test_counter_receipt_needs_two_different_finance_officers(
    counter_channel, sub_account, finance, finance_2, judge
):
    arguments = {"channel": counter_channel, "case_account": sub_account, "amount": 20_000,
                 "payer_name": "王五", "user": finance}  # fmt: skip
    with pytest.raises(ValidationError, match="second finance officer"):
        services.record_counter_receipt(**arguments, second_officer=finance)
    with pytest.raises(ValidationError, match="second finance officer"):
        services.record_counter_receipt(**arguments, second_officer=judge)
    with pytest.raises(PermissionDenied):
        services.record_counter_receipt(**{**arguments, "user": judge}, second_officer=finance)
    receipt = services.record_counter_receipt(**arguments, second_officer=finance_2)
    assert (receipt.received_by, receipt.witnessed_by) == (finance, finance_2)
    assert receipt.status == Deposit.Status.CREDITED
    assert fresh(sub_account).balance == 20_000
    # The booking (one database call) leaves its history row, naming who acted.
    created = receipt.history.get()
    assert (created.history_type, created.history_user) == ("+", finance)
    assert created.history_request_id == current_request_id()
    # The database refuses one officer in both places.
    with pytest.raises(IntegrityError, match="counter_receipt_two_officers"), transaction.atomic():
        Deposit.objects.filter(pk=receipt.pk).update(witnessed_by=finance)


def test_suspense_assignment_needs_a_reason_and_happens_once(
    bank_channel, sub_account, finance, judge
):
    suspense_deposit = deposit(bank_channel, Account(virtual_number=""), 7_000, "S1")
    assert suspense_deposit.status == Deposit.Status.SUSPENSE
    suspense = ledger.court_account(sub_account.court, Account.Kind.SUSPENSE)
    assert fresh(suspense).balance == 7_000
    with pytest.raises(PermissionDenied):
        services.assign_suspense(
            deposit=suspense_deposit, case_account=sub_account, reason="x", user=judge
        )
    with pytest.raises(ValidationError, match="reason"):
        services.assign_suspense(
            deposit=suspense_deposit, case_account=sub_account, reason="  ", user=finance
        )
    assigned = services.assign_suspense(
        deposit=suspense_deposit, case_account=sub_account, reason="付款人来电确认", user=finance
    )
    assert assigned.status == Deposit.Status.ASSIGNED
    assert assigned.assignment_reason == "付款人来电确认"
    assert (fresh(suspense).balance, fresh(sub_account).balance) == (0, 7_000)
    with pytest.raises(services.Conflict):
        services.assign_suspense(
            deposit=suspense_deposit, case_account=sub_account, reason="again", user=finance
        )
    assert ledger_drift() == []


# --- The approval chain -----------------------------------------------------------------------


def test_only_the_chief_approves_and_never_their_own_proposal(
    bank_channel, case, sub_account, judge, chief, finance, court_a
):
    deposit(bank_channel, sub_account, 50_000, "P1")
    payout = propose(case, judge, sub_account, 10_000)
    for user in (judge, finance):
        with pytest.raises(PermissionDenied):
            services.approve_payout(payout=payout, user=user)
    own = propose(case, chief, sub_account, 10_000)
    with pytest.raises(PermissionDenied, match="own proposal"):
        services.approve_payout(payout=own, user=chief)
    services.approve_payout(payout=payout, user=chief)
    with pytest.raises(services.Conflict):
        services.approve_payout(payout=payout, user=chief)


def test_only_finance_reviews_and_not_a_proposer_or_approver(
    bank_channel, case, sub_account, judge, chief, finance, court_a
):
    deposit(bank_channel, sub_account, 50_000, "P2")
    chief_and_finance = UserFactory(
        username="a_chief_finance", court=court_a, roles=[Role.BUREAU_CHIEF, Role.FINANCE]
    )
    payout = services.approve_payout(
        payout=propose(case, judge, sub_account, 10_000), user=chief_and_finance
    )
    for user in (judge, chief):
        with pytest.raises(PermissionDenied):
            services.review_payout(payout=payout, user=user)
    with pytest.raises(PermissionDenied, match="other than proposer and approver"):
        services.review_payout(payout=payout, user=chief_and_finance)
    reviewed = services.review_payout(payout=payout, user=finance)
    assert reviewed.status == Payout.Status.REVIEWED
    assert reviewed.dispatch.sent_at is None


def test_rejection_frees_the_reservation(bank_channel, case, sub_account, judge, chief, finance):
    deposit(bank_channel, sub_account, 30_000, "P3")
    payout = services.approve_payout(payout=propose(case, judge, sub_account, 30_000), user=chief)
    assert fresh(sub_account).available == 0
    with pytest.raises(ValidationError, match="reason"):
        services.reject_payout(payout=payout, reason="", user=finance)
    services.reject_payout(payout=payout, reason="收款账户有误", user=finance)
    assert fresh(sub_account).available == 30_000
    assert Transfer.objects.get(pending=payout.reservation).phase == "void_pending"
    assert ledger_drift() == []


# --- What the bank answers --------------------------------------------------------------------


def test_paid_payout_settles_exactly_once(bank_channel, case, sub_account, judge, chief, finance):
    deposit(bank_channel, sub_account, 30_000, "B1")
    payout = pay(case, judge, chief, finance, sub_account, 30_000)
    assert payout.status == Payout.Status.PAID
    services.send_payout(payout.pk)  # a second send is a no-op
    assert SandboxBankInstruction.objects.get(key=payout.idempotency_key).calls == 1
    assert Transfer.objects.filter(pending=payout.reservation, phase="post_pending").count() == 1
    account = fresh(sub_account)
    assert (account.balance, account.debits_pending, account.funded_since) == (0, 0, None)
    assert ledger_drift() == []


def test_returned_payout_puts_the_money_back(
    bank_channel, case, sub_account, judge, chief, finance
):
    deposit(bank_channel, sub_account, 30_000, "B2")
    set_payee_account(case, "6222020202020209999")
    payout = pay(case, judge, chief, finance, sub_account, 30_000)
    assert payout.status == Payout.Status.RETURNED
    assert payout.return_transfer.code == Transfer.Code.RETURN
    account = fresh(sub_account)
    assert (account.balance, account.available) == (30_000, 30_000)
    bank = ledger.court_account(case.court, Account.Kind.BANK)
    assert fresh(bank).balance == 30_000
    assert ledger_drift() == []


def test_failed_payout_voids_the_reservation(
    bank_channel, case, sub_account, judge, chief, finance
):
    deposit(bank_channel, sub_account, 30_000, "B3")
    set_payee_account(case, "6222020202020200000")
    payout = pay(case, judge, chief, finance, sub_account, 30_000)
    assert payout.status == Payout.Status.FAILED
    assert "户名" in payout.failure_reason
    assert Transfer.objects.get(pending=payout.reservation).phase == "void_pending"
    account = fresh(sub_account)
    assert (account.balance, account.available, account.debits_pending) == (30_000, 30_000, 0)
    assert ledger_drift() == []


def test_everything_received_proposes_the_free_money(
    bank_channel, case, sub_account, judge, chief, finance
):
    deposit(bank_channel, sub_account, 12_345, "E1")
    deposit(bank_channel, sub_account, 10_000, "E2")
    services.approve_payout(payout=propose(case, judge, sub_account, 2_345), user=chief)
    payouts = services.propose_everything_received(case=case, user=judge)
    assert [(p.amount, p.source_id, p.payee_name) for p in payouts] == [
        (20_000, sub_account.pk, applicant_party(case).party.name)
    ]
    assert services.propose_everything_received(case=case, user=judge) == payouts  # same key
    services.approve_payout(payout=payouts[0], user=chief)
    with pytest.raises(ValidationError, match="free to pay out"):
        services.propose_everything_received(case=case, user=judge)


# --- Escrow -----------------------------------------------------------------------------------


def test_escrow_moves_money_and_clears_idle_alerts(bank_channel, sub_account, judge, chief):
    ensure_tiers()
    start = timezone.now() - dt.timedelta(days=20)
    deposit(bank_channel, sub_account, 40_000, "H1", at=start)
    assert services.scan_idle_money().raised == 1
    hold = services.request_hold(
        account=sub_account, kind=Hold.Kind.ESCROW, reason="payee_refuses",
        details="申请执行人拒绝受领", user=judge, amount=40_000,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.decide_hold(hold=hold, approve=True, user=judge)
    decided = services.decide_hold(hold=hold, approve=True, user=chief)
    escrow = ledger.court_account(sub_account.court, Account.Kind.ESCROW)
    assert decided.transfer.code == Transfer.Code.ESCROW
    assert (fresh(sub_account).balance, fresh(escrow).balance) == (0, 40_000)
    assert not FundsAlert.objects.filter(account=sub_account, cleared_at=None).exists()
    assert ledger_drift() == []


# --- Statement import -------------------------------------------------------------------------


def statement(*rows: tuple[str, str, str]) -> str:
    paid_at = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    lines = ["bank_reference,virtual_account,amount,payer_name,payer_account,paid_at"]
    lines += [f"{ref},{va},{amount},付款人,,{paid_at}" for ref, va, amount in rows]
    return "\n".join(lines) + "\n"


def test_statement_import_posts_missing_reports_mismatches_and_is_idempotent(
    bank_channel, sub_account, finance
):
    deposit(bank_channel, sub_account, 10_000, "ST-1")
    deposit(bank_channel, sub_account, 20_000, "ST-2")
    va = sub_account.virtual_number
    text = statement(
        ("ST-1", va, "100.00"),  # on record
        ("ST-2", va, "250.00"),  # on record with another amount
        ("ST-3", va, "300.00"),  # missing: posted
        ("ST-4", "", "50.00"),  # missing, no account: posted to suspense
        ("ST-5", va, "abc"),  # unreadable
    )
    first = services.import_statement(
        channel=bank_channel, text=text, file_name="d1.csv", user=finance
    )
    assert (first.lines, first.matched, first.posted) == (5, 1, 2)
    problems = sorted((m["line"], m["problem"]) for m in first.mismatches)
    assert problems == [(3, "differs"), (6, "invalid")]
    assert fresh(sub_account).balance == 10_000 + 20_000 + 30_000
    assert Deposit.objects.get(reference="ST-4").status == Deposit.Status.SUSPENSE
    second = services.import_statement(
        channel=bank_channel, text=text, file_name="d1.csv", user=finance
    )
    assert (second.lines, second.matched, second.posted) == (5, 3, 0)
    assert len(second.mismatches) == 2
    assert fresh(sub_account).balance == 60_000
    assert Deposit.objects.filter(channel=bank_channel).count() == 4
    assert ledger_drift() == []


def test_statement_import_refuses_missing_columns_and_non_finance(
    bank_channel, counter_channel, finance, judge
):
    with pytest.raises(ValidationError, match="lacks the columns"):
        services.import_statement(
            channel=bank_channel, text="a,b\n1,2\n", file_name="x.csv", user=finance
        )
    with pytest.raises(PermissionDenied):
        services.import_statement(
            channel=bank_channel, text=statement(), file_name="x.csv", user=judge
        )
    with pytest.raises(ValidationError, match="bank channel"):
        services.import_statement(
            channel=counter_channel, text=statement(), file_name="x.csv", user=finance
        )


def test_a_refunded_fee_is_not_reversed_and_a_reversed_fee_not_refunded(fee, judge, finance):
    services.declare_fee_refund(
        fee=fee, amount=5_000, refund_payee=REFUND_PAYEE, reason="撤回申请", user=judge
    )
    with pytest.raises(services.Conflict) as refused:
        services.reverse_transfer(transfer=fee.transfer, reason="录入错误", user=finance)
    assert refused.value.code == "refunded"
    other = services.record_fee(
        case_party=fee.payer, amount=3_000, receipt_number="ZXF-R2", user=finance
    )
    services.reverse_transfer(transfer=other.transfer, reason="录入错误", user=finance)
    with pytest.raises(ValidationError, match="nothing to refund"):
        services.declare_fee_refund(
            fee=other, amount=3_000, refund_payee=REFUND_PAYEE, reason="撤回", user=judge
        )

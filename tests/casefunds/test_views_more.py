"""The browser gaps of case funds: fees and refunds on the funds tab, judicial relief and
corrections on the workbench, the sub-account chooser and the dashboard's funds tiles."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casefunds import selectors, services
from casefunds.models import (
    Account,
    Deposit,
    IdleTier,
    LitigationFee,
    Payout,
    Transfer,
)
from courtexec.roles import Role
from enforcement.models import CaseParty
from tests.casefunds.conftest import client_for, deposit, fresh, funds_url, messages_of, tab_url
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def party(case, role=CaseParty.Role.RESPONDENT) -> CaseParty:
    return case.parties.get(role=role)


def record_fee(client, case, payer, amount="550.00", receipt="R-0001"):
    return client.post(
        reverse("casefunds:fee-record", args=[case.pk]),
        {"fee-payer": payer.pk, "fee-amount": amount, "fee-receipt_number": receipt},
    )


def refund(client, fee, amount="550.00", reason="申请撤回"):
    prefix = f"refund-{fee.pk}"
    return client.post(
        reverse("casefunds:fee-refund", args=[fee.pk]),
        {
            f"{prefix}-amount": amount,
            f"{prefix}-payee_name": "张三",
            f"{prefix}-payee_bank": "中国工商银行杭州分行",
            f"{prefix}-payee_account": "6222020202020202020",
            f"{prefix}-reason": reason,
        },
    )


@pytest.fixture
def clerk(staff):
    return staff[Role.CLERK]


@pytest.fixture
def police(staff):
    return staff[Role.JUDICIAL_POLICE]


@pytest.fixture
def fee(finance, case):
    return services.record_fee(
        case_party=party(case, CaseParty.Role.APPLICANT),
        amount=55_000,
        receipt_number="FEE-1",
        user=finance,
    )


# --- Litigation fees on the funds tab ------------------------------------------------------------


def test_finance_records_a_fee_from_the_funds_tab(finance, case):
    client = client_for(finance)
    body = client.get(funds_url(case), headers={"hx-request": "true"}).content.decode()
    assert 'data-testid="fee-form"' in body
    assert f'<option value="{party(case).pk}">' in body  # the case's parties are the payers
    response = record_fee(client, case, party(case), "550.00", "R-0001")
    assert response.status_code == 302 and response["Location"] == tab_url(case)
    assert "Fee of ¥550.00 recorded (receipt R-0001)." in messages_of(response)
    fee = LitigationFee.objects.get()
    assert fee.amount == 55_000 and fee.payer == party(case) and fee.recorded_by == finance
    assert fee.transfer.code == Transfer.Code.FEE_PAYMENT
    body = client.get(funds_url(case), headers={"hx-request": "true"}).content.decode()
    assert f'data-testid="fee-{fee.pk}"' in body and "R-0001" in body


def test_fee_form_shows_service_and_field_errors(
    finance, judge, case, court_a, applicant, respondent
):
    client = client_for(finance)
    record_fee(client, case, party(case), receipt="R-DUP")
    again = record_fee(client, case, party(case), receipt="R-DUP")
    assert again.status_code == 200
    assert "This receipt is already recorded." in again.content.decode()
    bad = record_fee(client, case, party(case), amount="1.234", receipt="R-2")
    assert "Use at most two decimal places (fen)." in bad.content.decode()
    other = file_case(court_a, judge, applicant, respondent)
    stranger = record_fee(client, case, party(other), receipt="R-3")
    assert stranger.status_code == 200 and "is-invalid" in stranger.content.decode()
    assert LitigationFee.objects.count() == 1


def test_only_finance_records_fees(judge, chief, case, judge_b):
    for user in (judge, chief):
        body = client_for(user).get(funds_url(case), headers={"hx-request": "true"})
        assert 'data-testid="fee-form"' not in body.content.decode()
        assert record_fee(client_for(user), case, party(case)).status_code == 403
    assert record_fee(client_for(judge_b), case, party(case)).status_code == 404
    assert not LitigationFee.objects.exists()


def test_judge_declares_a_refund_due_once(judge, clerk, case, fee):
    body = client_for(clerk).get(funds_url(case), headers={"hx-request": "true"}).content.decode()
    assert 'data-testid="refund-form"' in body
    # Prefilled with the payer and the payee account confirmed at filing.
    assert f'name="refund-{fee.pk}-payee_account" value="6222020202020202020"' in body
    assert f'name="refund-{fee.pk}-payee_name" value="张三"' in body
    client = client_for(judge)
    response = refund(client, fee, "300.00")
    assert response.status_code == 302 and response["Location"] == tab_url(case)
    assert "Refund of ¥300.00 proposed; the bureau chief approves." in messages_of(response)
    payout = Payout.objects.get()
    assert payout.kind == Payout.Kind.FEE_REFUND and payout.fee == fee
    assert payout.amount == 30_000 and payout.purpose == "申请撤回"
    assert payout.source.kind == Account.Kind.FEES
    body = client.get(funds_url(case), headers={"hx-request": "true"}).content.decode()
    assert f'data-testid="fee-refunds-{fee.pk}"' in body and "300.00" in body
    assert 'data-testid="refund-form"' not in body  # refunded: no second form offered
    second = refund(client_for(clerk), fee, "100.00")
    assert second.status_code == 200
    assert "This fee has already been refunded." in second.content.decode()
    assert Payout.objects.count() == 1


def test_refund_errors_and_permissions(judge, finance, police, case, fee, judge_b):
    too_much = refund(client_for(judge), fee, "551.00")
    assert too_much.status_code == 200
    assert "A refund cannot exceed the fee paid." in too_much.content.decode()
    no_reason = refund(client_for(judge), fee, "1.00", reason="")
    assert no_reason.status_code == 200 and "is-invalid" in no_reason.content.decode()
    assert refund(client_for(finance), fee).status_code == 403
    assert refund(client_for(police), fee).status_code == 403
    assert refund(client_for(judge_b), fee).status_code == 404
    assert not Payout.objects.exists()


def test_a_rejected_refund_may_be_declared_again(judge, chief, case, fee):
    refund(client_for(judge), fee, "100.00")
    services.reject_payout(payout=Payout.objects.get(), reason="账号有误", user=chief)
    body = client_for(judge).get(funds_url(case), headers={"hx-request": "true"}).content
    assert 'data-testid="refund-form"' in body.decode()
    assert refund(client_for(judge), fee, "100.00").status_code == 302
    assert Payout.objects.count() == 2


# --- Judicial relief and corrections on the workbench ---------------------------------------------


def tile_text(page: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}">([^<]*)<', page).group(1)


def relieve(client, amount="10000", memo="(2026)浙0103司救1号"):
    return client.post(
        reverse("casefunds:relief-allocate"), {"relief-amount": amount, "relief-memo": memo}
    )


def reverse_booking(client, transfer, reason="录入错误"):
    return client.post(
        reverse("casefunds:transfer-reverse", args=[transfer.pk]),
        {f"reverse-{transfer.pk}-reason": reason},
    )


def test_finance_books_judicial_relief(finance, court_a):
    client = client_for(finance)
    page = client.get(reverse("casefunds:workbench")).content.decode()
    assert 'data-testid="relief-form"' in page
    assert "No fee payment or relief allocation booked yet." in page
    response = relieve(client)
    assert response.status_code == 302
    assert "Judicial relief of ¥10,000.00 booked." in messages_of(response)
    transfer = Transfer.objects.get(code=Transfer.Code.RELIEF_ALLOCATION)
    relief = Account.objects.get(court=court_a, kind=Account.Kind.RELIEF)
    assert relief.balance == 1_000_000 and transfer.memo == "(2026)浙0103司救1号"
    page = client.get(reverse("casefunds:workbench")).content.decode()
    assert tile_text(page, f"booking-amount-{transfer.pk}") == "¥10,000.00"
    assert f'data-testid="booking-{transfer.pk}"' in page and 'data-testid="reverse-form"' in page
    no_memo = relieve(client, memo=" ")
    assert no_memo.status_code == 200 and "is-invalid" in no_memo.content.decode()
    zero = relieve(client, amount="0")
    assert "The amount must be more than zero." in zero.content.decode()
    assert Transfer.objects.filter(code=Transfer.Code.RELIEF_ALLOCATION).count() == 1


def test_correct_a_booking_once(finance, judge, court_a, case, fee):
    client = client_for(finance)
    page = client.get(reverse("casefunds:workbench")).content.decode()
    assert f'data-testid="booking-{fee.transfer_id}"' in page and case.number in page
    no_reason = reverse_booking(client, fee.transfer, reason="")
    assert no_reason.status_code == 200 and "is-invalid" in no_reason.content.decode()
    response = reverse_booking(client, fee.transfer)
    assert response.status_code == 302 and response["Location"].endswith("#bookings")
    reversal = Transfer.objects.get(code=Transfer.Code.REVERSAL)
    assert reversal.reverses_id == fee.transfer_id and reversal.memo == "录入错误"
    fees = Account.objects.get(court=court_a, kind=Account.Kind.FEES)
    assert fees.balance == 0
    page = client.get(reverse("casefunds:workbench")).content.decode()
    assert f'data-testid="reversed-{fee.transfer_id}"' in page
    assert f"Reversed by #{reversal.pk}" in page
    assert page.count('data-testid="reverse-form"') == 0
    tab = client_for(judge).get(funds_url(case), headers={"hx-request": "true"}).content.decode()
    assert f'data-testid="fee-reversed-{fee.pk}"' in tab
    assert 'data-testid="refund-form"' not in tab  # no refund of a fee booked in error
    again = reverse_booking(client, fee.transfer, reason="再次")
    assert again.status_code == 200
    assert "This transfer has already been reversed." in again.content.decode()
    assert Transfer.objects.filter(code=Transfer.Code.REVERSAL).count() == 1


def test_deposits_are_not_reversed_here(finance, bank_channel, sub_account):
    booked = deposit(bank_channel, sub_account, 1_000, "R-NOREV")
    response = reverse_booking(client_for(finance), booked.transfer)
    assert response.status_code == 200
    assert "Deposits and payouts are corrected through their own records" in (
        response.content.decode()
    )
    assert not Transfer.objects.filter(code=Transfer.Code.REVERSAL).exists()


def test_relief_and_corrections_are_for_finance(chief, judge, fee, court_b):
    assert relieve(client_for(chief)).status_code == 403
    assert reverse_booking(client_for(chief), fee.transfer).status_code == 403
    assert relieve(client_for(judge)).status_code == 403
    page = client_for(chief).get(reverse("casefunds:workbench")).content.decode()
    assert 'data-testid="relief-form"' not in page and 'id="bookings"' not in page
    finance_b = UserFactory(username="b_finance", court=court_b, roles=[Role.FINANCE])
    assert reverse_booking(client_for(finance_b), fee.transfer).status_code == 404
    assert not Transfer.objects.filter(code=Transfer.Code.REVERSAL).exists()


# --- The sub-account chooser -----------------------------------------------------------------


def search(client, **params):
    return client.get(reverse("casefunds:account-search"), params)


@pytest.fixture
def other_court_account(court_b, applicant, respondent):
    judge_b = UserFactory(username="chooser_judge_b", court=court_b, roles=[Role.JUDGE])
    other = file_case(court_b, judge_b, applicant, respondent)
    return Account.objects.get(case=other, kind=Account.Kind.CASE)


def choices(response) -> list[str]:
    return re.findall(r'data-fill="(\d+)"', response.content.decode())


def test_chooser_finds_own_court_accounts_only(finance, case, sub_account, other_court_account):
    client = client_for(finance)
    number = sub_account.virtual_number
    # Same payer name in both courts: only this court's sub-account is offered.
    assert choices(search(client, q="杭州某某")) == [number]
    assert choices(search(client, q=number[-6:])) == [number]
    assert choices(search(client, q=f"{number[:4]} {number[4:8]}")) == [number]  # grouped
    assert choices(search(client, q=case.number)) == [number]
    assert choices(search(client, q=other_court_account.virtual_number)) == []
    nothing = search(client, q="无此人")
    assert "No sub-account of your court matches." in nothing.content.decode()
    assert choices(search(client, q="")) == []
    # As htmx sends it: the field's own name and value.
    as_htmx = search(client, field="assign-7-target", **{"assign-7-target": number[-5:]})
    assert choices(as_htmx) == [number]
    assert 'data-fills="id_assign-7-target"' in as_htmx.content.decode()


def test_chooser_is_for_those_who_assign_or_receive(judge, police, case):
    assert search(client_for(judge), q="杭州").status_code == 403
    assert search(client_for(police), q="杭州").status_code == 403


def test_suspense_and_counter_fields_search_as_you_type(
    finance, finance_2, case, sub_account, bank_channel, counter_channel
):
    stray = deposit(bank_channel, Account(virtual_number=""), 700, "R-CHOOSE")
    page = client_for(finance).get(reverse("casefunds:workbench")).content.decode()
    search_url = reverse("casefunds:account-search")
    assert f'hx-get="{search_url}?field=assign-{stray.pk}-target"' in page
    assert f'id="id_assign-{stray.pk}-target-choices"' in page
    assert f'hx-get="{search_url}?field=counter-target"' in page
    assert "js/account_chooser.js" in page
    # The typed number still works without JavaScript.
    response = client_for(finance).post(
        reverse("casefunds:suspense-assign", args=[stray.pk]),
        {
            f"assign-{stray.pk}-target": sub_account.virtual_number,
            f"assign-{stray.pk}-reason": "付款人来电",
        },
    )
    assert response.status_code == 302
    assert Deposit.objects.get(pk=stray.pk).account_id == sub_account.pk


# --- Dashboard tiles -------------------------------------------------------------------------


def tile(page: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}">([^<]*)<', page).group(1)


@pytest.fixture
def funds_world(judge, finance, chief, case, sub_account, bank_channel, court_b):
    """Money on the case, an idle account at the 60-day tier, an overdue suspense item, one
    payout awaiting approval and one awaiting review; and money in another court."""
    deposit(bank_channel, sub_account, 500_000, "D-1")
    long_ago = timezone.now() - dt.timedelta(days=70)
    Account.objects.filter(pk=sub_account.pk).update(funded_since=long_ago, next_alert_at=long_ago)
    services.scan_idle_money()
    stray = deposit(bank_channel, Account(virtual_number=""), 900, "D-SUS")
    Deposit.objects.filter(pk=stray.pk).update(received_at=timezone.now() - dt.timedelta(days=30))
    deposit(bank_channel, Account(virtual_number=""), 100, "D-SUS-NEW")  # not overdue yet
    applicant = party(case, CaseParty.Role.APPLICANT)
    for key in ("p-1", "p-2"):
        services.propose_payout(
            case=case, kind="applicant", amount=10_000, idempotency_key=key, user=judge,
            payee_party=applicant, source=fresh(sub_account),
        )  # fmt: skip
    services.approve_payout(payout=Payout.objects.get(idempotency_key="p-2"), user=chief)
    b_channel = bank_channel.__class__.objects.create(
        court=court_b, kind="bank", code="icbc-b", name="工行B"
    )
    judge_b = UserFactory(username="dash_judge_b", court=court_b, roles=[Role.JUDGE])
    other = file_case(court_b, judge_b, applicant.party, party(case).party)
    deposit(b_channel, Account.objects.get(case=other, kind="case"), 990_000, "B-1")


def test_dashboard_funds_tiles(judge, chief, finance, funds_world):
    page = client_for(judge).get("/").content.decode()
    assert tile(page, "tile-funds-held") == "5,000.00"  # other court's money not counted
    assert tile(page, "tile-idle-60") == "1" and tile(page, "tile-idle-15") == "0"
    assert tile(page, "tile-idle-total") == "1"
    assert tile(page, "tile-suspense-overdue") == "1"
    assert 'href="/funds/idle/"' in page and 'href="/funds/#suspense"' in page
    assert IdleTier.objects.get(days=60).colour == "orange" and "badge-orange" in page
    assert ".badge-orange {" in page  # the funds styles are loaded
    assert 'data-testid="tile-funds-approvals"' not in page  # judges approve nothing
    assert 'data-testid="tile-funds-reviews"' not in page
    chief_page = client_for(chief).get("/").content.decode()
    assert tile(chief_page, "tile-funds-approvals") == "1"
    assert 'data-testid="tile-funds-reviews"' not in chief_page
    finance_page = client_for(finance).get("/").content.decode()
    assert tile(finance_page, "tile-funds-reviews") == "1"
    assert 'data-testid="tile-funds-approvals"' not in finance_page


def test_no_funds_tiles_without_the_permission(police, funds_world):
    page = client_for(police).get("/").content.decode()
    assert 'data-testid="funds-tiles"' not in page


def test_funds_figures_take_two_queries(judge, funds_world, django_assert_num_queries):
    judge.has_perm("casefunds.view_deposit")  # permissions cached, as in a request
    with django_assert_num_queries(2):
        figures = selectors.dashboard_funds(judge)
    assert figures.held == 500_000 and figures.open_alerts == 1
    assert (figures.suspense_overdue, figures.approvals, figures.reviews) == (1, 1, 1)


def test_dashboard_query_bound_holds_with_funds(
    judge, chief, funds_world, django_assert_max_num_queries
):
    for user in (judge, chief):
        client = client_for(user)
        client.get("/")
        with django_assert_max_num_queries(13):  # + who is on standby duty (one query)
            assert client.get("/").status_code == 200


# --- Query counts -----------------------------------------------------------------------------


def _fees(finance, judge, case, n: int, start: int) -> None:
    applicant = party(case, CaseParty.Role.APPLICANT)
    for i in range(start, start + n):
        fee = services.record_fee(
            case_party=applicant, amount=1_000, receipt_number=f"QF-{i}", user=finance
        )
        services.declare_fee_refund(
            fee=fee, amount=500, refund_payee=services.Payee("张三", "工行", "6222"),
            reason="撤回", user=judge,
        )  # fmt: skip
        services.allocate_relief(court=case.court, amount=100, memo=f"救助{i}", user=finance)


def test_fee_rows_and_bookings_keep_queries_bounded(
    finance, judge, case, django_assert_max_num_queries
):
    tab = client_for(judge)
    bench = client_for(finance)
    tab.get(funds_url(case))
    bench.get(reverse("casefunds:workbench"))
    _fees(finance, judge, case, 1, 0)
    # Counted at once: the next request resets the connection's query log.
    with django_assert_max_num_queries(30) as small:
        tab.get(funds_url(case), headers={"hx-request": "true"})
    tab_queries = len(small.captured_queries)
    with django_assert_max_num_queries(30) as small:
        bench.get(reverse("casefunds:workbench"))
    bench_queries = len(small.captured_queries)
    _fees(finance, judge, case, 6, 1)
    reverse_booking(bench, Transfer.objects.filter(code="relief_allocation").first())
    with django_assert_max_num_queries(tab_queries):
        body = tab.get(funds_url(case), headers={"hx-request": "true"}).content.decode()
    assert body.count('data-testid="fee-refunds-') == 7
    with django_assert_max_num_queries(bench_queries):
        page = bench.get(reverse("casefunds:workbench")).content.decode()
    assert page.count('data-testid="reversed-') == 1

"""The case-funds pages through Django's test client (in English, as the enforcement tests)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casefunds import services
from casefunds.models import Account, Deposit, FundsAlert, Hold, IdleTier, Payout, StatementImport
from courtexec.roles import Role
from enforcement.models import CaseParty
from tests.casefunds.conftest import client_for, deposit, fresh, funds_url, messages_of, tab_url
from tests.enforcement.fixtures import file_case

pytestmark = pytest.mark.django_db


def applicant_of(case) -> CaseParty:
    return case.parties.get(role=CaseParty.Role.APPLICANT)


def propose(client, case, account, amount="100.00", key="k-1"):
    return client.post(
        reverse("casefunds:payout-propose", args=[case.pk]),
        {
            "payout-source": account.pk,
            "payout-payee_party": applicant_of(case).pk,
            "payout-amount": amount,
            "payout-purpose": "执行款",
            "payout-idempotency_key": key,
        },
    )


@pytest.fixture
def police(staff):
    return staff[Role.JUDICIAL_POLICE]


@pytest.fixture
def funded(bank_channel, sub_account):
    deposit(bank_channel, sub_account, 500_000, "R-FUNDED")
    return fresh(sub_account)


# --- The funds tab -------------------------------------------------------------------------------


def test_case_page_has_a_funds_tab_loaded_by_htmx(judge, case, funded):
    page = client_for(judge).get(reverse("enforcement:case-detail", args=[case.pk])).content
    page = page.decode()
    assert 'id="tab-funds"' in page
    assert f'hx-get="{funds_url(case)}"' in page

    partial = client_for(judge).get(funds_url(case), headers={"hx-request": "true"})
    body = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in body
    assert funded.virtual_number[:4] + " " in body  # grouped in fours
    assert 'data-testid="payout-form"' in body
    assert 'name="payout-idempotency_key"' in body
    assert "5,000.00" in body
    full = client_for(judge).get(funds_url(case))
    assert "<html" in full.content.decode()


def test_funds_are_not_shown_without_the_permission(police, case):
    assert client_for(police).get(funds_url(case)).status_code == 403
    assert client_for(police).get(reverse("casefunds:workbench")).status_code == 403
    assert client_for(police).get(reverse("casefunds:idle")).status_code == 403


def test_another_courts_case_is_not_found(judge_b, case):
    assert client_for(judge_b).get(funds_url(case)).status_code == 404


def test_nav_links_to_funds_for_those_who_may_see_them(judge, police):
    assert 'href="/funds/"' in client_for(judge).get("/").content.decode()
    assert 'href="/funds/"' not in client_for(police).get("/").content.decode()


# --- Payouts from the tab ----------------------------------------------------------------------


def test_judge_proposes_a_payout_once_per_key(judge, case, funded):
    client = client_for(judge)
    response = propose(client, case, funded, "1200.50")
    assert response.status_code == 302 and response["Location"] == tab_url(case)
    payout = Payout.objects.get()
    assert payout.amount == 120_050 and payout.status == Payout.Status.DRAFT
    assert payout.payee_account == "6222020202020202020"
    again = propose(client, case, funded, "1200.50")
    assert again.status_code == 302
    assert Payout.objects.count() == 1
    assert any("already proposed" in m for m in messages_of(again))


def test_payout_form_shows_service_and_field_errors(judge, case, funded):
    client = client_for(judge)
    too_much = propose(client, case, funded, "99999.00")
    assert too_much.status_code == 200
    assert "not yet promised" in too_much.content.decode()
    assert 'class="invalid-feedback d-block"' in too_much.content.decode()
    bad = propose(client, case, funded, "12.345", key="k-2")
    assert bad.status_code == 200 and "two decimal places" in bad.content.decode()
    assert not Payout.objects.exists()


def test_reused_key_with_other_content_is_a_form_error(judge, case, funded):
    client = client_for(judge)
    propose(client, case, funded, "10.00", key="same")
    response = propose(client, case, funded, "20.00", key="same")
    assert response.status_code == 200
    assert "idempotency key was used for another payout" in response.content.decode()


def test_pay_out_everything_received(judge, case, funded):
    response = client_for(judge).post(reverse("casefunds:payout-everything", args=[case.pk]))
    assert response.status_code == 302
    payout = Payout.objects.get()
    assert payout.amount == 500_000
    assert any("proposed" in m for m in messages_of(response))


def test_pay_out_everything_after_a_rejection_proposes_again(judge, chief, case, funded):
    """services fix: the one-click key changes once the previous proposal was sent back."""
    services.propose_everything_received(case=case, user=judge)
    first = Payout.objects.get()
    services.reject_payout(payout=first, reason="金额有误", user=chief)
    services.propose_everything_received(case=case, user=judge)
    assert Payout.objects.count() == 2
    assert Payout.objects.filter(status=Payout.Status.DRAFT).count() == 1


def test_chief_approves_finance_reviews(judge, chief, finance, case, funded):
    payout, _ = services.propose_payout(
        case=case, kind="applicant", amount=10_000, idempotency_key="p1", user=judge,
        payee_party=applicant_of(case), source=funded,
    )  # fmt: skip
    workbench = reverse("casefunds:workbench")
    # A judge may not approve: the service's PermissionDenied is a 403.
    denied = client_for(judge).post(reverse("casefunds:payout-approve", args=[payout.pk]))
    assert denied.status_code == 403
    page = client_for(chief).get(workbench).content.decode()
    assert 'data-testid="approvals"' in page and f"approve-{payout.pk}" in page
    response = client_for(chief).post(
        reverse("casefunds:payout-approve", args=[payout.pk]), {"next": workbench}
    )
    assert response.status_code == 302 and response["Location"] == workbench
    payout.refresh_from_db()
    assert payout.status == Payout.Status.APPROVED
    # Approving twice is a conflict, shown as a message.
    twice = client_for(chief).post(reverse("casefunds:payout-approve", args=[payout.pk]))
    assert any("Only a proposed payout" in m for m in messages_of(twice))
    page = client_for(finance).get(workbench).content.decode()
    assert f"review-{payout.pk}" in page
    client_for(finance).post(reverse("casefunds:payout-review", args=[payout.pk]))
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REVIEWED


def test_rejection_needs_a_reason(judge, chief, case, funded):
    payout, _ = services.propose_payout(
        case=case, kind="applicant", amount=10_000, idempotency_key="p2", user=judge,
        payee_party=applicant_of(case), source=funded,
    )  # fmt: skip
    url = reverse("casefunds:payout-reject", args=[payout.pk])
    empty = client_for(chief).post(url, {f"reject-{payout.pk}-reason": ""})
    assert any("reason" in m for m in messages_of(empty))
    client_for(chief).post(url, {f"reject-{payout.pk}-reason": "收款账户有误"})
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REJECTED


def test_hold_requested_by_judge_decided_by_chief(judge, chief, case, funded):
    until = timezone.localdate() + dt.timedelta(days=30)
    response = client_for(judge).post(
        reverse("casefunds:hold-request", args=[case.pk]),
        {
            "hold-account": funded.pk,
            "hold-kind": "deferral",
            "hold-reason": "several_creditors",
            "hold-details": "多个债权人参与分配",
            "hold-until": until.isoformat(),
        },
    )
    assert response.status_code == 302
    hold = Hold.objects.get()
    bad = client_for(judge).post(
        reverse("casefunds:hold-request", args=[case.pk]),
        {"hold-account": funded.pk, "hold-kind": "escrow", "hold-reason": "several_creditors",
         "hold-details": "x"},
    )  # fmt: skip
    assert bad.status_code == 200 and "This reason does not allow it." in bad.content.decode()
    client_for(chief).post(
        reverse("casefunds:hold-decide", args=[hold.pk]), {f"hold-{hold.pk}-decision": "approve"}
    )
    hold.refresh_from_db()
    assert hold.status == Hold.Status.APPROVED


# --- Notice, statement, export --------------------------------------------------------------------


def test_payment_notice_prints_the_virtual_number_and_a_qr_code(judge, case, sub_account):
    page = client_for(judge).get(reverse("casefunds:payment-notice", args=[sub_account.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert sub_account.virtual_number in body
    assert "<svg" in body
    assert case.number in body
    assert "window.print()" in body


def test_statement_page_and_excel_export(judge, finance, case, funded, bank_channel):
    deposit(bank_channel, funded, 25_000, "R-2")
    page = client_for(judge).get(reverse("casefunds:account-statement", args=[funded.pk]))
    assert page.status_code == 200 and "5,250.00" in page.content.decode()
    response = client_for(judge).get(reverse("casefunds:account-statement-xlsx", args=[funded.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("记账时间", "交易编号", "交易类型", "摘要")
    body = rows[2:-1]
    assert len(body) == 2
    assert [float(r[4]) for r in body] == [5000.0, 250.0]
    assert float(body[-1][7]) == 5250.0
    assert sheet.cell(row=3, column=5).number_format == "#,##0.00"
    assert rows[-1][0] == "合计"


# --- Workbench ---------------------------------------------------------------------------------


def test_judges_land_on_the_idle_board(judge):
    response = client_for(judge).get(reverse("casefunds:workbench"))
    assert response.status_code == 302 and response["Location"] == reverse("casefunds:idle")


def test_empty_workbench_says_so(finance):
    page = client_for(finance).get(reverse("casefunds:workbench")).content.decode()
    assert "Nothing in suspense." in page
    assert "No payout awaits review." in page
    assert "No counter channel" in page


def test_finance_assigns_suspense_by_case_number(finance, case, sub_account, bank_channel):
    stray = deposit(bank_channel, Account(virtual_number="123"), 8_800, "R-STRAY")
    old = timezone.now() - dt.timedelta(days=10)
    Deposit.objects.filter(pk=stray.pk).update(received_at=old)
    client = client_for(finance)
    page = client.get(reverse("casefunds:workbench")).content.decode()
    assert f'data-testid="suspense-{stray.pk}"' in page and 'data-badge="overdue"' in page
    url = reverse("casefunds:suspense-assign", args=[stray.pk])
    prefix = f"assign-{stray.pk}"
    wrong = client.post(url, {f"{prefix}-target": "(2099)x", f"{prefix}-reason": "r"})
    assert wrong.status_code == 200 and "No sub-account of your court" in wrong.content.decode()
    ok = client.post(
        url, {f"assign-{stray.pk}-target": case.number, f"assign-{stray.pk}-reason": "付款人来电"}
    )
    assert ok.status_code == 302
    stray.refresh_from_db()
    assert stray.status == Deposit.Status.ASSIGNED and stray.account_id == sub_account.pk


def test_counter_receipt_with_a_second_officer(finance, finance_2, case, sub_account,
                                               counter_channel):  # fmt: skip
    client = client_for(finance)
    page = client.get(reverse("casefunds:workbench")).content.decode()
    assert 'data-testid="counter-form"' in page
    response = client.post(
        reverse("casefunds:counter-receipt"),
        {
            "counter-channel": counter_channel.pk,
            "counter-target": sub_account.virtual_number,
            "counter-amount": "300",
            "counter-payer_name": "李四",
            "counter-second_officer": finance_2.pk,
        },
    )
    assert response.status_code == 302
    receipt = Deposit.objects.get()
    assert receipt.amount == 30_000 and receipt.witnessed_by == finance_2


def test_statement_import_shows_its_mismatches(finance, case, sub_account, bank_channel):
    deposit(bank_channel, sub_account, 10_000, "S-1")
    paid = timezone.now().isoformat()
    csv = (
        "bank_reference,virtual_account,amount,payer_name,payer_account,paid_at\n"
        f"S-1,{sub_account.virtual_number},200.00,甲,1,{paid}\n"
        f"S-2,{sub_account.virtual_number},50.00,乙,2,{paid}\n"
        "S-3,,abc,丙,3,\n"
    )
    upload = SimpleUploadedFile("stmt.csv", csv.encode(), content_type="text/csv")
    response = client_for(finance).post(
        reverse("casefunds:statement-import"),
        {"statement-channel": bank_channel.pk, "statement-file": upload},
    )
    assert response.status_code == 302
    imported = StatementImport.objects.get()
    assert imported.posted == 1 and len(imported.mismatches) == 2
    page = client_for(finance).get(response["Location"]).content.decode()
    assert 'data-testid="mismatches"' in page and "S-1" in page


def test_idle_scan_button(finance, judge, case, funded):
    long_ago = timezone.now() - dt.timedelta(days=40)
    Account.objects.filter(pk=funded.pk).update(funded_since=long_ago, next_alert_at=long_ago)
    response = client_for(finance).post(reverse("casefunds:idle-scan"))
    assert response.status_code == 302
    assert FundsAlert.objects.filter(kind="idle").count() == 2  # 15 and 30 days
    assert client_for(judge).post(reverse("casefunds:idle-scan")).status_code == 403


# --- Boards and reports ----------------------------------------------------------------------


def test_idle_board_journal_and_alerts(judge, case, funded):
    long_ago = timezone.now() - dt.timedelta(days=70)
    Account.objects.filter(pk=funded.pk).update(funded_since=long_ago, next_alert_at=long_ago)
    services.scan_idle_money()
    page = client_for(judge).get(reverse("casefunds:idle")).content.decode()
    assert 'data-testid="tier-count-60">1<' in page
    assert 'data-testid="tier-count-15">0<' in page  # counted at the highest tier only
    assert 'data-bar-chart="tier-chart-data"' in page
    tier = IdleTier.objects.get(days=60)
    alerts = client_for(judge).get(reverse("casefunds:alerts") + f"?tier={tier.pk}")
    assert case.number in alerts.content.decode()
    journal = client_for(judge).get(reverse("casefunds:journal")).content.decode()
    assert 'data-testid="journal-in">5,000.00<' in journal
    empty = client_for(judge).get(reverse("casefunds:journal") + "?day=2001-01-01")
    assert "No money moved on this day." in empty.content.decode()


def test_arrival_to_payout_distribution(judge, chief, finance, case, funded):
    from casefunds.models import Deposit as DepositModel

    DepositModel.objects.update(received_at=timezone.now() - dt.timedelta(days=12))
    payout, _ = services.propose_payout(
        case=case, kind="applicant", amount=500_000, idempotency_key="t1", user=judge,
        payee_party=applicant_of(case), source=funded,
    )  # fmt: skip
    services.approve_payout(payout=payout, user=chief)
    services.review_payout(payout=payout, user=finance)
    services.send_payout(payout.pk)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    page = client_for(judge).get(reverse("casefunds:timing")).content.decode()
    assert 'data-testid="timing-count">1<' in page
    assert 'data-testid="timing-median">12.0<' in page
    assert 'data-testid="timing-within-30">100%<' in page


# --- Query counts -----------------------------------------------------------------------------


def _grow(case, account, bank_channel, judge, n: int, start: int) -> None:
    for i in range(start, start + n):
        deposit(bank_channel, account, 1_000, f"Q-{i}")
        services.propose_payout(
            case=case, kind="applicant", amount=100, idempotency_key=f"q-{i}", user=judge,
            payee_party=applicant_of(case), source=fresh(account),
        )  # fmt: skip


def test_funds_tab_queries_do_not_grow_with_data(
    judge, case, sub_account, bank_channel, django_assert_max_num_queries
):
    client = client_for(judge)
    client.get(funds_url(case))  # warm caches (session, permissions)
    _grow(case, sub_account, bank_channel, judge, 1, 0)
    with django_assert_max_num_queries(22) as small:
        client.get(funds_url(case), headers={"hx-request": "true"})
    _grow(case, sub_account, bank_channel, judge, 8, 1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(funds_url(case), headers={"hx-request": "true"})


def test_workbench_queries_do_not_grow_with_data(
    chief, judge, case, sub_account, bank_channel, django_assert_max_num_queries
):
    client = client_for(chief)
    client.get(reverse("casefunds:workbench"))
    _grow(case, sub_account, bank_channel, judge, 1, 0)
    deposit(bank_channel, Account(virtual_number=""), 500, "SUS-0")
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("casefunds:workbench"))
    _grow(case, sub_account, bank_channel, judge, 6, 1)
    for i in range(1, 6):
        deposit(bank_channel, Account(virtual_number=""), 500, f"SUS-{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("casefunds:workbench"))


def test_second_case_keeps_its_own_funds(judge, court_a, applicant, respondent, case, funded):
    other = file_case(court_a, judge, applicant, respondent)
    body = client_for(judge).get(funds_url(other), headers={"hx-request": "true"}).content
    assert "5,000.00" not in body.decode()

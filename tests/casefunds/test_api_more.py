"""The case-funds API, continued: ledger transfers and their reversal, judicial relief, and the
read-only reports (idle board, daily journal, arrival to payout)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from casefunds import selectors, services
from casefunds.models import Account, Payout, Transfer
from courtexec.roles import Role
from enforcement.models import CaseParty
from tests.casefunds.conftest import deposit, fresh
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FUNDS = "/api/v1/funds"
TRANSFERS = f"{FUNDS}/transfers/"
RELIEF = f"{FUNDS}/relief/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def applicant_of(case) -> CaseParty:
    return case.parties.get(role=CaseParty.Role.APPLICANT)


@pytest.fixture
def funded(bank_channel, sub_account):
    deposit(bank_channel, sub_account, 500_000, "FUND-1")
    return fresh(sub_account)


def book_relief(user, amount="1000.00", memo="(2016)浙0103司救1号"):
    return client_for(user).post(RELIEF, {"amount": amount, "memo": memo}, format="json")


def legs(transfer: dict) -> list[tuple[str, str]]:
    return sorted((p["account_kind"], p["amount"]) for p in transfer["postings"])


# --- Relief -------------------------------------------------------------------------------------


def test_relief_is_booked_by_finance_only(finance, judge):
    booked = book_relief(finance)
    assert booked.status_code == 201, booked.content
    data = booked.json()
    assert data["code"] == "relief_allocation" and data["phase"] == "posted"
    assert data["memo"] == "(2016)浙0103司救1号" and data["reversed_by"] is None
    assert legs(data) == [("bank", "1000.00"), ("relief", "-1000.00")]
    assert sum(float(p["amount"]) for p in data["postings"]) == 0

    assert book_relief(judge).status_code == 403
    assert Transfer.objects.filter(code="relief_allocation").count() == 1
    for body in ({"amount": "0", "memo": "x"}, {"amount": 10, "memo": "x"}, {"amount": "1"}):
        response = client_for(finance).post(RELIEF, body, format="json")
        assert response.status_code == 400, body
    blank = client_for(finance).post(RELIEF, {"amount": "1.00", "memo": "  "}, format="json")
    assert blank.status_code == 400 and "memo" in blank.json()["fields"]
    assert client_for(finance).get(RELIEF).status_code == 405


# --- Transfers ----------------------------------------------------------------------------------


def test_transfers_list_filters_and_postings(finance, judge, case, funded):
    relief = book_relief(finance).json()
    client = client_for(judge)
    listed = client.get(TRANSFERS).json()
    assert listed["count"] == 2
    assert [t["code"] for t in listed["results"]] == ["relief_allocation", "deposit"]

    [paid_in] = client.get(TRANSFERS, {"case": case.pk}).json()["results"]
    assert paid_in["code"] == "deposit"
    assert legs(paid_in) == [("bank", "5000.00"), ("case", "-5000.00")]
    [case_leg] = [p for p in paid_in["postings"] if p["account_kind"] == "case"]
    assert (case_leg["account"], case_leg["virtual_number"]) == (
        funded.pk,
        funded.virtual_number,
    )

    by_code = client.get(TRANSFERS, {"code": "relief_allocation"}).json()["results"]
    assert [t["id"] for t in by_code] == [relief["id"]]
    today = timezone.localdate()
    assert client.get(TRANSFERS, {"day": today.isoformat()}).json()["count"] == 2
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert client.get(TRANSFERS, {"day": yesterday}).json()["count"] == 0
    assert client.get(f"{TRANSFERS}{relief['id']}/").json() == relief


def test_transfer_day_is_the_court_day(finance):
    # 23:30 on 1 May in Beijing is 15:30 UTC; 00:30 on 2 May is 16:30 UTC on 1 May.
    late = dt.datetime(2016, 5, 1, 15, 30, tzinfo=dt.UTC)
    for moment, memo in ((late, "late"), (late + dt.timedelta(hours=1), "next day")):
        with time_machine.travel(moment, tick=False):
            assert book_relief(finance, memo=memo).status_code == 201
    client = client_for(finance)
    assert [t["memo"] for t in client.get(TRANSFERS, {"day": "2016-05-01"}).json()["results"]] == [
        "late"
    ]
    assert [t["memo"] for t in client.get(TRANSFERS, {"day": "2016-05-02"}).json()["results"]] == [
        "next day"
    ]
    journal = client.get(f"{FUNDS}/reports/journal/", {"day": "2016-05-01"}).json()
    assert [t["memo"] for t in journal["transfers"]] == ["late"]
    assert journal["money_in"] == "1000.00"


@pytest.mark.parametrize("day", ["2016-13-01", "yesterday", "9999-12-31", "0001-01-01"])
def test_bad_days_are_400(finance, day):
    for url in (TRANSFERS, f"{FUNDS}/reports/journal/"):
        response = client_for(finance).get(url, {"day": day})
        assert response.status_code == 400, (url, response.content)
        assert "day" in response.json()["fields"]


def test_transfer_filters_refuse_unknown_values(judge, case):
    client = client_for(judge)
    assert client.get(TRANSFERS, {"code": "nope"}).status_code == 400
    assert client.get(TRANSFERS, {"case": "x"}).status_code == 400
    assert client.get(TRANSFERS, {"case": case.pk + 1000}).status_code == 400


def test_reversal_once_then_409(finance, judge):
    relief = book_relief(finance).json()
    url = f"{TRANSFERS}{relief['id']}/reverse/"
    body = {"reason": "金额录入错误"}
    assert client_for(judge).post(url, body, format="json").status_code == 403
    assert client_for(finance).post(url, {}, format="json").status_code == 400

    reversed_ = client_for(finance).post(url, body, format="json")
    assert reversed_.status_code == 201, reversed_.content
    reversal = reversed_.json()
    assert reversal["code"] == "reversal" and reversal["reverses"] == relief["id"]
    assert reversal["memo"] == "金额录入错误"
    assert legs(reversal) == [("bank", "-1000.00"), ("relief", "1000.00")]
    original = client_for(judge).get(f"{TRANSFERS}{relief['id']}/").json()
    assert original["reversed_by"] == reversal["id"]

    again = client_for(finance).post(url, body, format="json")
    assert again.status_code == 409, again.content
    assert again.json()["code"] == "reversed" and again.json()["detail"]
    assert Transfer.objects.filter(code="reversal").count() == 1

    # A reversal, a deposit or a payout is not reversed here: 400 from the service.
    undo = client_for(finance).post(f"{TRANSFERS}{reversal['id']}/reverse/", body, format="json")
    assert undo.status_code == 400 and "transfer" in undo.json()["fields"]


def test_a_refunded_fee_cannot_be_reversed(finance, judge, case):
    fee = services.record_fee(
        case_party=applicant_of(case), amount=5_000, receipt_number="FEE-1", user=finance
    )
    services.declare_fee_refund(
        fee=fee,
        amount=5_000,
        refund_payee=services.Payee(name="张三", bank="工行", account="6222020202020202020"),
        reason="撤回申请",
        user=judge,
    )
    response = client_for(finance).post(
        f"{TRANSFERS}{fee.transfer_id}/reverse/", {"reason": "误录"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "refunded"
    assert not Transfer.objects.filter(code="reversal").exists()


def test_another_courts_transfers_are_404(finance, court_b):
    relief = book_relief(finance).json()
    finance_b = UserFactory(username="b_finance", court=court_b, roles=[Role.FINANCE])
    client = client_for(finance_b)
    assert client.get(TRANSFERS).json()["count"] == 0
    assert client.get(f"{TRANSFERS}{relief['id']}/").status_code == 404
    reverse = client.post(f"{TRANSFERS}{relief['id']}/reverse/", {"reason": "x"}, format="json")
    assert reverse.status_code == 404
    assert not Transfer.objects.filter(code="reversal").exists()


def test_transfer_list_queries_do_not_grow(
    finance, bank_channel, sub_account, django_assert_max_num_queries
):
    client = client_for(finance)
    deposit(bank_channel, sub_account, 100, "Q-0")
    reversed_one = book_relief(finance).json()["id"]
    client.post(f"{TRANSFERS}{reversed_one}/reverse/", {"reason": "r"}, format="json")
    client.get(TRANSFERS)  # warm caches (permissions)
    with django_assert_max_num_queries(10) as small:
        assert client.get(TRANSFERS).json()["count"] == 3
    queries = len(small.captured_queries)  # before the next request resets Django's query log
    for i in range(1, 9):
        deposit(bank_channel, sub_account, 100, f"Q-{i}")
        book_relief(finance, memo=f"第{i}号")
    with django_assert_max_num_queries(queries):
        assert client.get(TRANSFERS).json()["count"] == 19


# --- Reports ------------------------------------------------------------------------------------


def test_idle_report_matches_the_board(judge, finance, case, funded):
    long_ago = timezone.now() - dt.timedelta(days=40)
    Account.objects.filter(pk=funded.pk).update(funded_since=long_ago, next_alert_at=long_ago)
    services.scan_idle_money()
    response = client_for(judge).get(f"{FUNDS}/reports/idle/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [(t["days"], t["accounts"], t["amount"]) for t in data["tiers"]] == [
        (15, 0, "0.00"),
        (30, 1, "5000.00"),
        (60, 0, "0.00"),
        (90, 0, "0.00"),
    ]
    ages = {a["key"]: (a["accounts"], a["amount"]) for a in data["ages"]}
    assert ages == {
        "0-15": (0, "0.00"),
        "15-30": (0, "0.00"),
        "30-60": (1, "5000.00"),
        "60-90": (0, "0.00"),
        "90+": (0, "0.00"),
    }
    assert (data["open_alerts"], data["held_total"]) == (1, "5000.00")
    board = selectors.idle_board(judge)
    assert [t["accounts"] for t in data["tiers"]] == [row.accounts for row in board.tiers]
    assert [a["label"] for a in data["ages"]] == [bucket.label for bucket in board.ages]


def test_journal_report(judge, finance, funded):
    relief = book_relief(finance).json()
    today = timezone.localdate()
    response = client_for(judge).get(f"{FUNDS}/reports/journal/", {"day": today.isoformat()})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["day"] == today.isoformat()
    assert (data["money_in"], data["money_out"]) == ("6000.00", "0.00")
    assert [t["code"] for t in data["transfers"]] == ["deposit", "relief_allocation"]
    assert data["transfers"][1]["id"] == relief["id"]
    assert client_for(judge).get(f"{FUNDS}/reports/journal/").json()["day"] == today.isoformat()
    empty = client_for(judge).get(f"{FUNDS}/reports/journal/", {"day": "2016-05-01"}).json()
    assert (empty["money_in"], empty["money_out"], empty["transfers"]) == ("0.00", "0.00", [])


def test_timing_report(judge, chief, finance, case, funded):
    client = client_for(judge)
    none_yet = client.get(f"{FUNDS}/reports/timing/").json()
    assert (none_yet["count"], none_yet["median"], none_yet["within_30"]) == (0, None, None)

    from casefunds.models import Deposit

    Deposit.objects.update(received_at=timezone.now() - dt.timedelta(days=12))
    payout, _ = services.propose_payout(
        case=case, kind="applicant", amount=500_000, idempotency_key="t1", user=judge,
        payee_party=applicant_of(case), source=funded,
    )  # fmt: skip
    services.approve_payout(payout=payout, user=chief)
    services.review_payout(payout=payout, user=finance)
    services.send_payout(payout.pk)
    assert Payout.objects.get(pk=payout.pk).status == Payout.Status.PAID

    data = client.get(f"{FUNDS}/reports/timing/").json()
    assert (data["count"], data["median"], data["p90"], data["within_30"]) == (1, 12.0, 12.0, 1.0)
    assert [(b["key"], b["count"]) for b in data["buckets"]] == [
        ("0-7", 0),
        ("8-15", 1),
        ("16-30", 0),
        ("31-60", 0),
        ("61-90", 0),
        ("91+", 0),
    ]


def test_reports_need_the_funds_view_permission(finance):
    nobody = UserFactory(username="a_nobody", court=finance.court, roles=[])
    for report in ("idle", "journal", "timing"):
        assert client_for(nobody).get(f"{FUNDS}/reports/{report}/").status_code == 403
        assert APIClient().get(f"{FUNDS}/reports/{report}/").status_code in (401, 403)


def test_schema_lists_the_new_paths(judge):
    schema = client_for(judge).get("/api/schema/", {"format": "json"})
    paths = json.loads(schema.content)["paths"]
    expected = {
        "transfers/": {"get"},
        "transfers/{id}/": {"get"},
        "transfers/{id}/reverse/": {"post"},
        "relief/": {"post"},
        "reports/idle/": {"get"},
        "reports/journal/": {"get"},
        "reports/timing/": {"get"},
    }
    for path, methods in expected.items():
        operations = paths[f"{FUNDS}/{path}"]
        assert set(operations) == methods, path
        assert all("funds" in op["tags"] for op in operations.values())
    assert f"{FUNDS}/relief/{{id}}/" not in paths

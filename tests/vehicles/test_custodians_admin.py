"""Admin of custodians, agreements, lots, stock checks, invoices and postings: lists open, the
custody records are read-only, a custodian's edit goes through the service."""

from __future__ import annotations

import pytest
from django.test import Client

from courtexec.roles import Role
from tests.factories import UserFactory

pytest_plugins = ["tests.vehicles.fee_fixtures"]
pytestmark = pytest.mark.django_db
MODELS = ["custodian", "custodyagreement", "lot", "stockcheck", "custodyinvoice", "feeposting"]


@pytest.fixture
def admin_client(court_a):
    user = UserFactory(
        username="chief_admin", court=court_a, roles=[Role.BUREAU_CHIEF], is_staff=True
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_lists_open_and_custody_records_are_read_only(admin_client, released, lot):
    for model in MODELS:
        assert admin_client.get(f"/admin/vehicles/{model}/").status_code == 200, model
    assert (
        admin_client.get(
            f"/admin/vehicles/custodyagreement/{released.custodian.agreements.first().pk}/change/"
        ).status_code
        == 200
    )


def test_custodian_edit_goes_through_the_service(admin_client, custodian, court_a):
    keeper = UserFactory(username="keeper2", court=court_a, roles=[])
    body = {"name": custodian.name, "credit_code": "91110000600037341X", "contact": "", "phone": "",
            "address": "", "active": "on", "members": [keeper.pk]}  # fmt: skip
    wrong = admin_client.post(f"/admin/vehicles/custodian/{custodian.pk}/change/", body)
    assert wrong.status_code == 200 and b"check character" in wrong.content
    body["credit_code"] = "91110000600037341L"
    admin_client.post(f"/admin/vehicles/custodian/{custodian.pk}/change/", body)
    keeper.refresh_from_db()
    assert keeper.has_role(Role.CUSTODIAN)

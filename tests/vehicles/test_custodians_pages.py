"""Custodian pages: the chief keeps custodians, agreements (yuan typed, fen stored) and lots;
service errors (overlapping periods, capacity below occupancy) are shown on the form, never a
500; a judge may look but not keep; another court's custodian is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from courtexec.roles import Role
from tests.factories import UserFactory
from tests.vehicles.conftest import VALID_VIN_2, local
from tests.vehicles.fee_fixtures import kept
from vehicles.models import Custodian, CustodyAgreement, Lot, Vehicle

pytest_plugins = ["tests.vehicles.fee_fixtures"]
pytestmark = pytest.mark.django_db

AGREEMENT = {
    "number": "BG-2027",
    "valid_from": "2027-01-01",
    "valid_until": "2027-12-31",
    "signed_on": "2026-12-20",
    "towing_fee": "350.5",
    "rate_small": "50.01",
    "rate_large": "80",
    "rate_motorcycle": "0",
    "rate_special": "120.99",
}


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_list_is_empty_then_lists_custodians(chief, court_a):
    page = browser(chief).get("/vehicles/custodians/")
    assert page.status_code == 200
    assert b"No custodians are recorded yet." in page.content
    assert b"New custodian" in page.content
    overview = browser(chief).get("/vehicles/custody/")
    assert b"/vehicles/custodians/" in overview.content


def test_chief_creates_a_custodian_an_agreement_and_a_lot(chief, court_a):
    client = browser(chief)
    keeper = UserFactory(username="yard_keeper", court=court_a, roles=[Role.CUSTODIAN])
    assert client.get("/vehicles/custodians/new/").status_code == 200
    made = client.post(
        "/vehicles/custodians/new/",
        {"name": " 某某拖车公司 ", "contact": "钱七", "phone": "0571-1", "address": "某路",
         "active": "on", "members": [keeper.pk]},
    )  # fmt: skip
    assert made.status_code == 302
    custodian = Custodian.objects.get(name="某某拖车公司")
    assert (custodian.court, list(custodian.members.all())) == (court_a, [keeper])
    assert made["Location"] == f"/vehicles/custodians/{custodian.pk}/"

    base = f"/vehicles/custodians/{custodian.pk}"
    assert client.get(f"{base}/agreements/new/").status_code == 200
    assert client.post(f"{base}/agreements/new/", AGREEMENT).status_code == 302
    agreement = CustodyAgreement.objects.get(custodian=custodian)
    assert agreement.towing_fee == 35050
    fees = {rate.vehicle_class: rate.daily_fee for rate in agreement.rates.all()}
    assert fees == {"small": 5001, "large": 8000, "motorcycle": 0, "special": 12099}
    edit = client.get(f"{base}/agreements/{agreement.pk}/edit/")
    assert edit.status_code == 200 and b'value="50.01"' in edit.content
    changed = client.post(
        f"{base}/agreements/{agreement.pk}/edit/", {**AGREEMENT, "rate_small": "60"}
    )
    assert changed.status_code == 302
    assert agreement.rates.get(vehicle_class="small").daily_fee == 6000

    lot = {"name": "三号停车场", "address": "某路3号", "capacity": "40", "active": "on"}
    assert client.post(f"{base}/lots/new/", lot).status_code == 302
    saved = Lot.objects.get(custodian=custodian)
    assert (saved.name, saved.capacity) == ("三号停车场", 40)

    detail = client.get(f"{base}/")
    assert detail.status_code == 200
    assert b"BG-2027" in detail.content and b"350.50" in detail.content
    assert b"120.99" in detail.content and b"0/40" not in detail.content
    listing = client.get("/vehicles/custodians/")
    assert "某某拖车公司" in listing.content.decode() and b"0/40" in listing.content


def test_too_many_decimals_and_a_bad_credit_code_are_form_errors(chief, custodian):
    client = browser(chief)
    page = client.post(
        f"/vehicles/custodians/{custodian.pk}/agreements/new/", {**AGREEMENT, "rate_large": "1.234"}
    )
    assert page.status_code == 400 and not CustodyAgreement.objects.exists()
    assert page.context["form"].errors["rate_large"]
    wrong = client.post(
        "/vehicles/custodians/new/", {"name": "乙", "credit_code": "91110000600037341X"}
    )
    assert wrong.status_code == 400 and wrong.context["form"].errors["credit_code"]
    assert not Custodian.objects.filter(name="乙").exists()


def test_overlapping_agreement_is_a_form_error(chief, custodian, agreements):
    page = browser(chief).post(
        f"/vehicles/custodians/{custodian.pk}/agreements/new/",
        {**AGREEMENT, "valid_from": "2026-12-01"},
    )
    assert page.status_code in (200, 400)
    assert b"the periods overlap" in page.content
    assert page.context["form"].errors["valid_from"]
    assert CustodyAgreement.objects.filter(custodian=custodian).count() == 2


def test_capacity_below_occupancy_is_a_form_error(
    chief, custodian, lot, vehicle, case, judge, court_a, respondent
):
    other = Vehicle.objects.create(court=court_a, plate="浙B54321", vin=VALID_VIN_2,
                                   owner=respondent, registered_by=judge)  # fmt: skip
    for car in (vehicle, other):
        kept(car, case, judge, custodian, lot, towed=local(2026, 2, 1), intake=local(2026, 2, 1, 2))
    url = f"/vehicles/custodians/{custodian.pk}/lots/{lot.pk}/edit/"
    fields = {"name": lot.name, "address": lot.address, "active": "on"}
    page = browser(chief).post(url, {**fields, "capacity": "1"})
    assert page.status_code == 400
    assert b"2 vehicles are kept in this lot now" in page.content
    assert page.context["form"].errors["capacity"]
    lot.refresh_from_db()
    assert lot.capacity == 3
    assert browser(chief).post(url, {**fields, "capacity": "2"}).status_code == 302
    lot.refresh_from_db()
    assert lot.capacity == 2


def test_judge_is_refused_the_forms(judge, custodian, agreement, lot):
    client = browser(judge)
    assert client.get("/vehicles/custodians/").status_code == 200
    page = client.get(f"/vehicles/custodians/{custodian.pk}/")
    assert page.status_code == 200 and b"New agreement" not in page.content
    for url in (
        "/vehicles/custodians/new/",
        f"/vehicles/custodians/{custodian.pk}/edit/",
        f"/vehicles/custodians/{custodian.pk}/agreements/new/",
        f"/vehicles/custodians/{custodian.pk}/agreements/{agreement.pk}/edit/",
        f"/vehicles/custodians/{custodian.pk}/lots/new/",
        f"/vehicles/custodians/{custodian.pk}/lots/{lot.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, AGREEMENT).status_code == 403, url


def test_custodian_user_is_refused_the_staff_pages(custodian_user, custodian):
    client = browser(custodian_user)
    assert client.get("/vehicles/custodians/").status_code == 403
    assert client.get(f"/vehicles/custodians/{custodian.pk}/").status_code == 403


def test_another_courts_custodian_is_404(court_b, custodian, agreement, lot):
    outsider = UserFactory(court=court_b, roles=[Role.BUREAU_CHIEF])
    client = browser(outsider)
    assert "杭州某某" not in client.get("/vehicles/custodians/").content.decode()
    for url in (
        f"/vehicles/custodians/{custodian.pk}/",
        f"/vehicles/custodians/{custodian.pk}/edit/",
        f"/vehicles/custodians/{custodian.pk}/agreements/new/",
        f"/vehicles/custodians/{custodian.pk}/agreements/{agreement.pk}/edit/",
        f"/vehicles/custodians/{custodian.pk}/lots/new/",
        f"/vehicles/custodians/{custodian.pk}/lots/{lot.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert agreement.valid_from == dt.date(2026, 1, 1)

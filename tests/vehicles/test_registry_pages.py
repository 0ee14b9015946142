"""Registry pages: the filtered vehicle list and its export, registration, the surveillance
panel, the wanted list for the police, sightings, and the case file's Vehicles tab."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.vehicles.conftest import VALID_VIN, local, make_impound
from vehicles.models import Impound, Sighting, Surveillance, Vehicle

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.vehicles.registry_fixtures"]


@pytest.fixture
def web(client, judge):
    client.force_login(judge)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def plates(response) -> list[str]:
    return [vehicle.plate for vehicle in response.context["rows"]]


def test_list_filters(web, judge, vehicle, case, respondent, custodian, lot, today):
    other = Vehicle.objects.create(
        court=vehicle.court, plate="浙B54321", owner=respondent, registered_by=judge
    )
    make_impound(
        vehicle, case, judge, state=Impound.State.IN_CUSTODY, custodian=custodian, lot=lot,
        intake_at=local(2026, 2, 1, 10),
    )  # fmt: skip
    assert plates(web.get("/vehicles/", {"status": "in_custody"})) == [vehicle.plate]
    assert plates(web.get("/vehicles/", {"status": "not_impounded"})) == [other.plate]
    assert plates(web.get("/vehicles/", {"custodian": custodian.pk})) == [vehicle.plate]
    assert plates(web.get("/vehicles/", {"min_days": 30})) == [vehicle.plate]
    assert plates(web.get("/vehicles/", {"min_days": 40})) == []
    assert plates(web.get("/vehicles/", {"case": case.number[-4:]})) == [vehicle.plate]
    assert plates(web.get("/vehicles/", {"plate": "ｂ５４"})) == [other.plate]
    empty = web.get("/vehicles/", {"plate": "浙Z"})
    assert "No vehicle matches these filters." in empty.content.decode()
    assert web.get("/vehicles/", {"min_days": "x", "custodian": "999"}).status_code == 200


def test_list_filters_by_surveillance_and_end_state(web, judge, vehicle, case, today):
    assert plates(web.get("/vehicles/", {"status": "under_surveillance"})) == []
    Surveillance.objects.create(
        vehicle=vehicle, case=case, reason="r", starts_on=today, ends_on=today,
        requested_by=judge,
    )  # fmt: skip
    assert plates(web.get("/vehicles/", {"status": "under_surveillance"})) == [vehicle.plate]
    make_impound(vehicle, case, judge, state=Impound.State.RELEASED)
    assert plates(web.get("/vehicles/", {"status": "released"})) == [vehicle.plate]


def test_list_exports_to_excel(web, vehicle):
    response = web.get("/vehicles/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "号牌号码"
    assert [sheet["A2"].value, sheet["B2"].value] == [vehicle.plate, VALID_VIN]


def test_register_page_normalises_and_shows_field_errors(web, respondent, case):
    form = {"plate": "浙Ａ１２３４５", "vin": "LSVAM4187C2184849", "vehicle_class": "small",
            "owner": respondent.pk, "cases": [case.pk]}  # fmt: skip
    response = web.post("/vehicles/register/", form)
    assert response.status_code == 400
    assert "check digit" in response.content.decode()
    response = web.post("/vehicles/register/", {**form, "vin": VALID_VIN})
    vehicle = Vehicle.objects.get()
    assert response.url == vehicle.get_absolute_url()
    assert vehicle.plate == "浙A12345"


def test_register_page_preselects_the_case(web, case):
    response = web.get("/vehicles/register/", {"case": case.pk})
    assert response.context["form"].initial["cases"] == [case.pk]


def test_panel_places_and_lifts_surveillance(web, vehicle, case, today):
    page = web.get(vehicle.get_absolute_url()).content.decode()
    assert "Place under surveillance" in page and case.number in page
    bad = web.post(
        f"/vehicles/{vehicle.pk}/surveillance/",
        {"surveil-case": case.pk, "surveil-reason": "查找", "surveil-starts_on": "2026-03-04",
         "surveil-ends_on": "2026-03-01"},
    )  # fmt: skip
    assert bad.status_code == 400 and "cannot end before it starts" in bad.content.decode()
    web.post(
        f"/vehicles/{vehicle.pk}/surveillance/",
        {"surveil-case": case.pk, "surveil-reason": "查找", "surveil-starts_on": "2026-03-04",
         "surveil-ends_on": "2026-04-01"},
    )  # fmt: skip
    surveillance = Surveillance.objects.get()
    web.post(
        f"/vehicles/surveillance/{surveillance.pk}/lift/",
        {f"lift-{surveillance.pk}-reason": "已履行"},
    )
    surveillance.refresh_from_db()
    assert surveillance.lift_reason == "已履行"


def test_the_police_liaison_reads_and_exports_the_wanted_list(client, liaison, surveillance):
    client.force_login(liaison)
    page = client.get("/vehicles/wanted/")
    assert surveillance.vehicle.plate in page.content.decode()
    response = client.get("/vehicles/wanted/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["号牌号码", "车辆识别代号", "品牌型号", "车身颜色", "登记所有人", "案号"]
    row = [cell.value for cell in sheet[2]]
    assert row[0] == "浙A12345" and row[5] == surveillance.case.number
    assert row[8] == dt.datetime(2026, 3, 4) and row[10] == surveillance.reason
    assert "浙A12345" in client.get("/vehicles/wanted/", {"format": "csv"}).content.decode()


def test_sighting_page_reports_and_lists(web, surveillance):
    response = web.post(
        "/vehicles/sightings/report/",
        {"plate": "浙ａ12345", "place": "文三路", "seen_at": "2026-03-04T09:30"},
    )
    assert response.status_code == 302
    listing = web.get("/vehicles/sightings/", {"matched": "yes"}).content.decode()
    assert surveillance.case.number in listing
    assert Sighting.objects.get().matches.get() == surveillance


def test_case_tab_lists_vehicles_surveillances_and_impounds(
    web, judge, vehicle, case, surveillance
):
    make_impound(vehicle, case, judge)
    page = web.get(f"/vehicles/cases/{case.pk}/tab/").content.decode()
    assert vehicle.plate in page and surveillance.reason in page and "Seized" in page
    assert f"/vehicles/register/?case={case.pk}" in page
    detail = web.get(f"/cases/{case.pk}/").content.decode()
    assert f"/vehicles/cases/{case.pk}/tab/" in detail


def test_case_tab_of_another_court_is_404(client, judge_b, case):
    client.force_login(judge_b)
    assert client.get(f"/vehicles/cases/{case.pk}/tab/").status_code == 404

"""The vehicles and surveillances API: registration with normalisation and field errors,
update, filters, surveillance with its 409 and lift, court scoping, exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.vehicles.conftest import VALID_VIN, make_impound

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.vehicles.registry_fixtures"]
URL = "/api/v1/vehicles/"


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_register_normalises_full_width_input(judge, respondent, case):
    body = {"plate": "浙Ａ１２３４５", "vin": "lsvam4187c2184847", "owner": respondent.pk,
            "cases": [case.pk], "make_model": "大众"}  # fmt: skip
    response = client_for(judge).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["plate"], data["vin"], data["case_numbers"]) == (
        "浙A12345",
        VALID_VIN,
        [case.number],
    )


def test_wrong_vin_check_digit_is_400_with_the_field(judge, respondent):
    wrong = VALID_VIN[:8] + "9" + VALID_VIN[9:]
    response = client_for(judge).post(URL, {"vin": wrong, "owner": respondent.pk}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "check digit" in body["fields"]["vin"][0]
    assert body["code"] == "checksum"


def test_duplicate_plate_is_400_not_500(judge, respondent, vehicle):
    response = client_for(judge).post(
        URL, {"plate": "浙a12345", "owner": respondent.pk}, format="json"
    )
    assert response.status_code == 400
    assert "plate" in response.json()["fields"]


def test_update(judge, respondent, vehicle):
    response = client_for(judge).put(
        f"{URL}{vehicle.pk}/",
        {"plate": vehicle.plate, "vin": vehicle.vin, "owner": respondent.pk, "colour": "白色"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    vehicle.refresh_from_db()
    assert vehicle.colour == "白色"


def test_list_filters_and_court_scoping(judge, judge_b, vehicle, case, respondent, today):
    client = client_for(judge)
    assert [row["id"] for row in client.get(URL, {"plate": "a123"}).json()["results"]] == [
        vehicle.pk
    ]
    assert client.get(URL, {"status": "seized"}).json()["results"] == []
    make_impound(vehicle, case, judge)
    assert len(client.get(URL, {"status": "seized"}).json()["results"]) == 1
    assert client.get(URL, {"status": "nonsense"}).status_code == 400
    assert client_for(judge_b).get(URL).json()["results"] == []
    assert client_for(judge_b).get(f"{URL}{vehicle.pk}/").status_code == 404


def test_surveillance_create_conflict_and_lift(judge, vehicle, case, today):
    client = client_for(judge)
    body = {"vehicle": vehicle.pk, "case": case.pk, "reason": "查找车辆",
            "starts_on": "2026-03-04", "ends_on": "2026-04-04"}  # fmt: skip
    created = client.post(f"{URL}surveillances/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["active"] is True
    assert client.post(f"{URL}surveillances/", body, format="json").status_code == 409
    pk = created.json()["id"]
    assert client.post(f"{URL}surveillances/{pk}/lift/", {}, format="json").status_code == 400
    lifted = client.post(f"{URL}surveillances/{pk}/lift/", {"reason": "已履行"}, format="json")
    assert lifted.status_code == 200 and lifted.json()["lifted_at"]


def test_wanted_list_exports(judge, surveillance):
    client = client_for(judge)
    response = client.get(f"{URL}wanted-list/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "号牌号码" and sheet["A2"].value == "浙A12345"
    csv_text = client.get(f"{URL}wanted-list/", {"export": "csv"}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("号牌号码,车辆识别代号")
    assert "浙A12345" in csv_text

"""POST /api/v1/vehicles/sightings/ from staff, the police liaison and a partner's token; what
each may read back."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.vehicles.registry_fixtures import at
from vehicles.models import Sighting

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.vehicles.registry_fixtures"]
URL = "/api/v1/vehicles/sightings/"
BODY = {"plate": "浙ａ 12345", "place": "文三路", "seen_at": "2026-03-04T09:40:00+08:00"}


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_staff_see_the_matched_surveillance(judge, case, surveillance):
    response = client_for(judge).post(URL, BODY, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["plate"] == "浙A12345" and data["matched"] is True
    assert data["case_numbers"] == [case.number]
    assert data["matches"][0]["id"] == surveillance.pk


def test_the_police_see_matched_and_case_number_only(liaison, case, surveillance):
    data = client_for(liaison).post(URL, BODY, format="json").json()
    assert data["matched"] is True and data["case_numbers"] == [case.number]
    assert data["matches"] is None
    assert data["source"] == "police"


def test_a_partner_token_can_post(partner_token, surveillance):
    client = APIClient(HTTP_AUTHORIZATION=f"Token {partner_token}")
    response = client.post(URL, {**BODY, "plate": "浙B99999"}, format="json")
    assert response.status_code == 201
    assert response.json()["matched"] is False
    assert Sighting.objects.get().source == "partner"


def test_invalid_input_is_400_with_fields(judge, surveillance):
    response = client_for(judge).post(URL, {"plate": "", "seen_at": "yesterday"}, format="json")
    assert response.status_code == 400
    assert {"plate", "place", "seen_at"} <= set(response.json()["fields"])


def test_a_future_time_is_400(judge, surveillance):
    response = client_for(judge).post(
        URL, {**BODY, "seen_at": "2026-03-04T11:00:00+08:00"}, format="json"
    )
    assert response.status_code == 400
    assert "seen_at" in response.json()["fields"]


def test_an_extreme_offset_is_not_a_500(judge, surveillance):
    response = client_for(judge).post(
        URL, {**BODY, "seen_at": "0001-01-01T00:00:00+18:00"}, format="json"
    )
    assert response.status_code == 400


def test_the_police_liaison_lists_only_their_own(judge, liaison, surveillance):
    client_for(judge).post(URL, BODY, format="json")
    client_for(liaison).post(URL, {**BODY, "place": "西湖"}, format="json")
    places = [row["place"] for row in client_for(liaison).get(URL).json()["results"]]
    assert places == ["西湖"]
    assert len(client_for(judge).get(URL).json()["results"]) == 2


def test_the_wanted_list_for_the_police_has_only_active_entries(liaison, surveillance, judge):
    from tests.vehicles.registry_fixtures import surveil

    surveil(surveillance.vehicle, surveillance.case, judge, lifted_at=at(2026, 3, 1, 9))
    rows = client_for(liaison).get("/api/v1/vehicles/wanted-list/").json()["results"]
    assert [row["id"] for row in rows] == [surveillance.pk]
    assert rows[0]["plate"] == "浙A12345" and rows[0]["case_number"] == surveillance.case.number

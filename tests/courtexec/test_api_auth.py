"""Token auth and /api/v1/me/; consistent JSON errors."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_login_and_me(judge_a):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "judge_a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "judge_a"
    assert me["court"]["code"] == "浙0103"
    assert me["roles"] == [{"code": "enforcement_judge", "label": "执行法官"}]


def test_same_token_twice(judge_a):
    client = APIClient()
    body = {"username": "judge_a", "password": PASSWORD}
    first = client.post("/api/v1/auth/token/", body, format="json").json()["token"]
    second = client.post("/api/v1/auth/token/", body, format="json").json()["token"]
    assert first == second


def test_wrong_password_is_a_400_with_messages(judge_a):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "judge_a", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "authorization"
    assert body["fields"]["non_field_errors"]
    assert body["field_codes"] == {"non_field_errors": ["authorization"]}


def test_missing_fields_are_named():
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], set(body["fields"])) == ("invalid", {"username", "password"})
    assert body["field_codes"]["username"] == ["required"]


def test_me_needs_authentication():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_english_messages_on_request(judge_a):
    client = APIClient()
    client.force_authenticate(judge_a)
    me = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert me["roles"][0]["label"] == "Enforcement judge"

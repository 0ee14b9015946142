"""A NUL character in a query string is a 400 on pages and API alike, never a database error."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from courtexec import services as core_services
from courtexec.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def judge(court_a):
    return UserFactory(username="nul_judge", court=court_a, roles=[Role.JUDGE])


def test_the_api_answers_400_with_the_error_shape(judge):
    client = APIClient(headers={"accept-language": "en"})
    token = core_services.issue_api_token(user=judge)
    response = client.get(
        "/api/v1/vehicles/wanted-list/", {"q": "\x00"}, HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 400
    message = "The query string may not contain a NUL character."
    assert response.json() == {
        "detail": message,
        "code": "null_characters_not_allowed",
        "fields": {"q": [message]},
        "field_codes": {"q": ["null_characters_not_allowed"]},
    }


@pytest.mark.parametrize("query", [{"q": "a\x00b"}, {"\x00": "1"}])
def test_pages_answer_400(client, judge, query):
    client.force_login(judge)
    assert client.get("/cases/", query).status_code == 400
    assert client.get("/cases/", {"q": "ab"}).status_code == 200

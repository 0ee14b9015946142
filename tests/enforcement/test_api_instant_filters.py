"""Instants in query strings reach PostgreSQL in UTC: odd but valid ISO offsets are no 500."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0650-08-01T09:09:22-19:13", 200),  # found by the schema fuzz test
        ("2016-08-01T09:09:22+18:00", 200),
        ("2016-08-01T09:09:22", 200),
        ("0001-01-01T00:00:00+18:00", 400),  # before year 1 in UTC
        ("yesterday", 400),
    ],
)
def test_field_action_time_filters(judge, value, code):
    client = APIClient()
    client.force_authenticate(judge)
    for lookup in ("occurred_at__gte", "occurred_at__lte"):
        response = client.get("/api/v1/field-actions/", {lookup: value})
        assert response.status_code == code, (lookup, value, response.content)

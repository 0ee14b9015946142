"""Every change leaves a history row with the user and the request id."""

from __future__ import annotations

import pytest
from django.test import Client

from courtexec.celery import app
from courtexec.models import Court
from courtexec.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_change_records_user_and_request_id(court_a):
    admin = UserFactory(court=court_a, roles=[Role.SYSADMIN], is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/admin/courtexec/court/{court_a.pk}/change/",
        {"name": "杭州市下城区人民法院（新）", "code": court_a.code, "level": court_a.level},
        HTTP_X_REQUEST_ID="req-42-abc",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["X-Request-ID"] == "req-42-abc"
    latest = Court.history.filter(id=court_a.pk).latest("history_date")
    assert latest.name == "杭州市下城区人民法院（新）"
    assert latest.history_user == admin
    assert latest.history_request_id == "req-42-abc"
    assert latest.history_type == "~"


def test_unsafe_request_id_is_replaced(court_a):
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_admin_shows_history(court_a):
    admin = UserFactory(court=court_a, roles=[Role.SYSADMIN], is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.get(f"/admin/courtexec/court/{court_a.pk}/history/")
    assert response.status_code == 200


@app.task(name="tests.rename_court")
def rename_court(court_id: int, name: str) -> None:
    court = Court.objects.get(pk=court_id)
    court.name = name
    court.save()


def test_changes_made_by_a_task_carry_the_task_id(court_a):
    result = rename_court.apply(args=[court_a.pk, "改名法院"], task_id="abc123")
    assert result.successful(), result.traceback
    latest = Court.history.filter(id=court_a.pk).latest("history_date")
    assert latest.name == "改名法院"
    assert latest.history_request_id == "task:abc123"

"""/healthz names what is down; with a real worker and a beat heartbeat it answers 200."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client

from courtexec.beat import record_heartbeat
from courtexec.celery import app

pytestmark = pytest.mark.django_db


def test_no_worker_no_beat_is_503_naming_them():
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["components"]["database"]["ok"] is True
    assert body["components"]["redis"]["ok"] is True
    assert set(body["failing"]) == {"worker", "beat"}


def test_stale_beat_heartbeat_is_down(settings):
    record_heartbeat(now=0.0)
    body = Client().get("/healthz").json()
    assert "beat" in body["failing"]


@pytest.mark.django_db(transaction=True)
def test_all_up_with_a_real_worker_and_beat_heartbeat():
    record_heartbeat()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        response = Client().get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []


@pytest.mark.django_db(transaction=True)
def test_beat_scheduler_tick_writes_the_heartbeat():
    from courtexec.beat import HeartbeatScheduler, last_heartbeat

    assert last_heartbeat() is None
    scheduler = HeartbeatScheduler(app=app, lazy=True)
    scheduler.tick()
    assert last_heartbeat() is not None


def test_no_login_needed_and_no_secrets():
    response = Client().get("/healthz")
    text = response.content.decode()
    assert "password" not in text.lower()
    assert "redis+socket" not in text and "postgresql://" not in text

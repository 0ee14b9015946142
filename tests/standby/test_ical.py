"""The per-user iCalendar feed: parses as RFC 5545, only one's own shifts, revocable."""

from __future__ import annotations

import icalendar
import pytest
from django.test import Client
from rest_framework.test import APIClient

from courtexec.roles import Role
from standby import ical, services
from standby.models import Shift
from tests.standby.roster_fixtures import local

pytestmark = pytest.mark.django_db


def feed_path(user) -> str:
    return f"/standby/ical/{services.calendar_feed(user=user).token}.ics"


def test_the_feed_parses_and_lists_only_ones_own_shifts(court_a, teams, rotation):
    judge = teams[1].judge
    judge.phone = "13900139000"
    judge.save()
    response = Client().get(feed_path(judge))  # no login: calendar apps cannot log in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    mine = Shift.objects.filter(judge=judge).order_by("starts_at")
    assert len(events) == mine.count() > 0
    first = events[0]
    assert first.decoded("DTSTART") == mine[0].starts_at
    assert first.decoded("DTEND") == mine[0].ends_at
    assert str(first["UID"]).startswith(f"standby-shift-{mine[0].pk}@")
    assert "13900139000" in str(first["DESCRIPTION"])
    assert "第2组" in str(first["SUMMARY"])
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75


def test_long_lines_are_folded_without_breaking_characters():
    line = "DESCRIPTION:" + "备勤" * 60
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_escaping():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_revoked_and_regenerated_addresses_answer_404(court_a, teams, rotation):
    judge = teams[0].judge
    old = feed_path(judge)
    assert feed_path(judge) == old  # the same address until changed
    services.calendar_feed(user=judge, regenerate=True)
    assert Client().get(old).status_code == 404
    new = feed_path(judge)
    assert Client().get(new).status_code == 200
    services.revoke_calendar_feed(user=judge)
    assert Client().get(new).status_code == 404
    assert Client().get("/standby/ical/not-a-token.ics").status_code == 404


def test_the_api_gives_regenerates_and_revokes_ones_address(staff, rotation):
    client = APIClient()
    client.force_authenticate(staff[Role.JUDGE])
    url = client.get("/api/v1/standby/calendar-feed/").json()["url"]
    assert url.endswith(".ics")
    new = client.post("/api/v1/standby/calendar-feed/").json()["url"]
    assert new != url
    assert client.delete("/api/v1/standby/calendar-feed/").status_code == 204
    path = new.split("testserver", 1)[1]
    assert Client().get(path).status_code == 404
    client.force_authenticate(staff[Role.POLICE_LIAISON])
    assert client.get("/api/v1/standby/calendar-feed/").status_code == 403


def test_the_feed_includes_a_recent_past_shift(court_a, teams, rotation, time_machine):
    time_machine.move_to(local(2026, 12, 20, 12), tick=False)
    judge = teams[0].judge
    events = icalendar.Calendar.from_ical(Client().get(feed_path(judge)).content).walk("VEVENT")
    assert events[0].decoded("DTSTART") == local(2026, 12, 1, 8)

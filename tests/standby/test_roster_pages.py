"""The roster pages: calendar (week, month), my shifts, swaps, override, teams and rotation."""

from __future__ import annotations

import pytest
from django.utils import translation

from courtexec.roles import Role
from standby.models import CalendarFeed, Shift, ShiftSwap
from tests.factories import UserFactory
from tests.standby.roster_fixtures import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(time_machine):
    time_machine.move_to(local(2026, 12, 2, 10), tick=False)


def test_week_and_month_views_show_the_three_people_today_and_gaps(client, staff, rotation, now):
    client.force_login(staff[Role.CLERK])
    week = client.get("/standby/roster/")
    assert week.status_code == 200
    html = week.content.decode()
    shift = Shift.objects.get(starts_at=local(2026, 12, 2, 8))
    for person in shift.members:
        assert str(person) in html
    assert 'data-testid="day-2026-12-02"' in html and "today" in html
    month = client.get("/standby/roster/", {"view": "month", "date": "2026-12-15"})
    assert month.status_code == 200
    assert 'data-testid="day-2026-12-31"' in month.content.decode()
    gap = client.get("/standby/roster/", {"view": "month", "date": "2027-03-01"}).content.decode()
    assert 'data-testid="gaps"' in gap
    assert client.get("/standby/roster/", {"date": "garbage"}).status_code == 200


def test_the_police_liaison_may_not_see_the_roster(client, staff, rotation):
    client.force_login(staff[Role.POLICE_LIAISON])
    assert client.get("/standby/roster/").status_code == 403
    assert client.get("/standby/my-shifts/").status_code == 403


def test_my_shifts_feed_and_swap_request(client, court_a, rotation, now):
    mine = Shift.objects.get(starts_at=local(2026, 12, 4, 8))
    theirs = Shift.objects.get(starts_at=local(2026, 12, 6, 8))
    client.force_login(mine.judge)
    page = client.get("/standby/my-shifts/").content.decode()
    token = CalendarFeed.objects.get(user=mine.judge, revoked_at__isnull=True).token
    assert token in page
    client.post("/standby/my-shifts/feed/regenerate/")
    assert not CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).exists()
    client.post("/standby/my-shifts/feed/revoke/")
    assert not CalendarFeed.objects.filter(user=mine.judge, revoked_at__isnull=True).exists()
    form = client.get(f"/standby/swaps/new/{mine.pk}/")
    assert form.status_code == 200
    response = client.post(
        f"/standby/swaps/new/{mine.pk}/",
        {"counterpart": theirs.judge_id, "counterpart_shift": theirs.pk, "reason": "家里有事"},
    )
    assert response.status_code == 302
    swap = ShiftSwap.objects.get()
    client.force_login(theirs.judge)
    assert "家里有事" in client.get("/standby/swaps/").content.decode()
    client.post(f"/standby/swaps/{swap.pk}/accept/")
    swap.refresh_from_db()
    assert swap.status == "accepted"


def test_override_form_shows_field_errors(client, court_a, chief, staff, rotation, now):
    client.force_login(chief)
    with translation.override("en"):
        response = client.post(
            "/standby/overrides/new/",
            {
                "starts_at": "2026-12-10T08:00",
                "ends_at": "2026-12-09T08:00",
                "leader": chief.pk,
                "judge": staff[Role.JUDGE].pk,
                "police": staff[Role.JUDICIAL_POLICE].pk,
                "reason": "春节",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "The end must come after the start." in response.content.decode()
    client.force_login(staff[Role.JUDGE])
    assert client.get("/standby/overrides/new/").status_code == 403


def test_teams_and_rotation_pages(client, court_a, chief, teams, rotation, now):
    client.force_login(chief)
    assert "第6组" in client.get("/standby/teams/").content.decode()
    new = {
        "name": "第7组",
        "leader": UserFactory(court=court_a, roles=[Role.BUREAU_CHIEF]).pk,
        "judge": UserFactory(court=court_a, roles=[Role.JUDGE]).pk,
        "police": UserFactory(court=court_a, roles=[Role.JUDICIAL_POLICE]).pk,
        "active": "on",
    }
    assert client.post("/standby/teams/new/", new).status_code == 302
    assert client.get("/standby/rotation/").status_code == 200
    data = {"shift_hours": 12, "starts_on": "2026-12-01", "start_time": "08:00"}
    data.update({f"team_{t.pk}": n for n, t in enumerate(teams[:2], start=1)})
    assert client.post("/standby/rotation/", data).status_code == 302
    future = Shift.objects.filter(starts_at__gt=local(2026, 12, 2, 10)).order_by("starts_at")
    # The running shift (2 December 08:00 to 3 December 08:00) stays; 12-hour shifts follow.
    assert (future[0].starts_at, future[0].ends_at) == (
        local(2026, 12, 3, 8),
        local(2026, 12, 3, 20),
    )
    dup = {**data, f"team_{teams[1].pk}": 1}
    with translation.override("en"):
        answer = client.post("/standby/rotation/", dup, HTTP_ACCEPT_LANGUAGE="en")
        assert "different number" in answer.content.decode()


def test_the_dashboard_shows_who_is_on_duty(client, staff, rotation, now):
    client.force_login(staff[Role.CLERK])
    html = client.get("/").content.decode()
    shift = Shift.objects.get(starts_at=local(2026, 12, 2, 8))
    assert 'data-testid="tile-on-duty"' in html and str(shift.police) in html
    client.force_login(staff[Role.POLICE_LIAISON])  # starts at the callout board instead
    assert client.get("/").status_code == 302

"""The standby roster in Chromium on a phone: the week with today highlighted and the three
people, the month view, my shifts with the feed address, and a swap request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from standby import services
from standby.models import Shift, ShiftSwap
from tests.browser.test_cases import log_in
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roster():
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    teams = []
    for n in range(1, 4):
        people = {
            place: UserFactory(
                username=f"sb_{place}{n}", display_name=f"{place}{n}号", court=court, roles=[role]
            )
            for place, role in services.PLACES.items()
        }
        teams.append(people)
    chief = teams[0]["leader"]
    made = [
        services.save_team(user=chief, court=court, name=f"第{n}组", **people)
        for n, people in enumerate(teams, start=1)
    ]
    first = timezone.localdate() - dt.timedelta(days=3)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time(8)))
    services.set_rotation(
        user=chief, court=court, teams=made, shift_hours=24, starts_on=first,
        start_time=dt.time(8), record_from=since,
    )  # fmt: skip
    return court


def test_week_month_my_shifts_and_a_swap_on_a_phone(phone_page, live_server, roster):
    page = phone_page
    log_in(page, live_server.url, "sb_judge1")
    page.goto(f"{live_server.url}/standby/roster/")
    today = timezone.localdate().isoformat()
    day = page.get_by_test_id(f"day-{today}")
    assert "today" in day.get_attribute("class")
    on_duty = Shift.objects.filter(starts_at__lte=timezone.now(), ends_at__gt=timezone.now()).get()
    assert str(on_duty.judge) in page.get_by_test_id("on-duty").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    page.get_by_role("link", name="月").click()
    page.wait_for_url("**view=month**")
    assert page.get_by_test_id(f"day-{today}").is_visible()
    page.goto(f"{live_server.url}/standby/my-shifts/")
    assert page.get_by_test_id("feed-url").input_value().endswith(".ics")
    mine = Shift.objects.filter(judge__username="sb_judge1", starts_at__gt=timezone.now()).first()
    page.goto(f"{live_server.url}/standby/swaps/new/{mine.pk}/")
    page.select_option("#id_counterpart", label="judge2号")
    page.fill("#id_reason", "家里有事")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/standby/swaps/")
    assert "家里有事" in page.content()
    assert ShiftSwap.objects.get().counterpart.username == "sb_judge2"

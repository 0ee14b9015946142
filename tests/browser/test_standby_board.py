"""The standby board in Chromium on a phone: who is on duty now (with phones to call) and the
figures chart drawn by the vendored Chart.js from the embedded data."""

from __future__ import annotations

import pytest
import time_machine

from courtexec.roles import Role
from tests.browser.test_cases import log_in
from tests.factories import CourtFactory, UserFactory
from tests.standby import figures_data
from tests.standby.figures_data import local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roster():
    court_a = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    court_b = CourtFactory(code="浙0104", name="杭州市江干区人民法院")
    staff = {
        role: UserFactory(username=f"a_{role.value}", court=court_a, roles=[role]) for role in Role
    }
    return figures_data.build(court_a, court_b, staff)


def test_phone_shows_who_is_on_duty_and_the_chart(roster, live_server, phone_page):
    page = phone_page
    # The server runs in this process: travelling moves its clock to the first night shift.
    with time_machine.travel(local(12, 1, 23), tick=True):
        log_in(page, live_server.url, "a_enforcement_judge")
        tile = page.get_by_test_id("tile-on-duty")
        assert "13900000001" in tile.inner_text()
        page.goto(f"{live_server.url}/standby/")
        on_duty = page.get_by_test_id("board-on-duty")
        assert on_duty.is_visible()
        assert page.get_by_test_id("on-duty-judge").inner_text() == str(roster.team_a.judge)
        for phone in ("13900000001", "13900000002", "13900000003"):
            assert page.locator(f'a[href="tel:{phone}"]').first.is_visible()
        assert page.get_by_test_id("figure-callouts").inner_text() == "6"
        assert page.get_by_test_id("figure-night_amount_paid").inner_text() == "5,200.00"
        canvas = page.locator("#standby-team-chart")
        canvas.scroll_into_view_if_needed()
        assert canvas.is_visible()
        datasets = page.evaluate(
            "Chart.getChart('standby-team-chart').data.datasets.map(d => d.data)"
        )
        assert datasets == [[1, 0, 1], [2, 1, 1]]  # own cases, assists: 一组, 二组, override
        labels = page.evaluate("Chart.getChart('standby-month-chart').data.labels")
        assert labels == ["2026-12"]
        # Nothing overflows the phone's width.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1

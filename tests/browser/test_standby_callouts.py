"""The team on duty works a callout from a phone: the board counts down to the handover
deadline, the detail page acknowledges and dispatches in place (htmx)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from courtexec.roles import Role
from standby import services
from standby.models import Callout, Shift
from tests.factories import PASSWORD, CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_counts_down_and_the_team_acknowledges_on_a_phone(phone_page, live_server):
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    leader = UserFactory(username="sb_leader", court=court, roles=[Role.BUREAU_CHIEF])
    judge = UserFactory(username="sb_judge", court=court, roles=[Role.JUDGE])
    police = UserFactory(username="sb_police", court=court, roles=[Role.JUDICIAL_POLICE])
    now = timezone.now()
    Shift.objects.create(
        court=court, starts_at=now - dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=22),
        leader=leader, judge=judge, police=police,
    )  # fmt: skip
    callout = services.report_callout(
        court=court,
        user=police,
        report=services.CalloutReport(
            police_station="武林派出所", police_officer="赵警官", police_phone="13800138000",
            caught_at=now - dt.timedelta(minutes=5), person_name="陈某",
            requesting_court_name="北京市朝阳区人民法院", requesting_court_code="京0105",
        ),
    )  # fmt: skip
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sb_judge")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/standby/callouts/")
    countdown = page.locator("[data-deadline]").first
    page.wait_for_function("document.querySelector('[data-deadline]').textContent.includes(':')")
    first = countdown.inner_text()
    assert re.fullmatch(r"\d\d:\d\d:\d\d", first)
    page.wait_for_timeout(1200)
    assert countdown.inner_text() != first  # it ticks
    page.get_by_role("link", name=callout.reference).click()
    page.get_by_test_id("acknowledge").click()
    page.get_by_test_id("dispatch").wait_for()
    assert page.url.endswith(f"/standby/callouts/{callout.pk}/")  # swapped in place
    callout.refresh_from_db()
    assert callout.status == Callout.Status.ACKNOWLEDGED and callout.acknowledged_by == judge

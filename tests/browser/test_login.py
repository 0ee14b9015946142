"""A demo judge logs in through Chromium and sees the dashboard (desktop and phone)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from courtexec.management.commands.demo import DEMO_PASSWORD
from courtexec.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_demo_judge_sees_the_dashboard(page, live_server):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(page, live_server.url, "judge")
    assert page.locator("h1").inner_text() == "执行指挥中心"
    # 下城's fourteen demo accounts and the fifteen other members of its six standby teams.
    assert page.get_by_test_id("tile-staff").inner_text() == "29"
    # Chart.js (vendored) drew the chart from the embedded data.
    assert page.evaluate("Chart.getChart('role-chart').data.datasets[0].data.length") == len(Role)
    assert page.get_by_test_id("user-menu").inner_text() == "王法官"


def test_dashboard_on_a_phone_and_language_switch(phone_page, live_server):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = phone_page
    log_in(page, live_server.url, "judge2")
    assert page.get_by_test_id("tile-staff").inner_text() == "1"  # only 上城's own staff
    page.click(".navbar-toggler")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Enforcement command centre"

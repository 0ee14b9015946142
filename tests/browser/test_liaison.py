"""The liaison station end to end on a phone: a party signs in with the code the sandbox SMS
outbox holds, writes to the judge of their case; the judge answers from the office; the party
sees the answer, and that the judge has read their message."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from courtexec.channels.sms import sandbox_phone
from courtexec.notifications import relay_deliveries
from enforcement.liaison.models import Thread
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("office_open"),
]
PHONE = "13900000001"  # the applicant's mobile number (tests.enforcement.fixtures)


def sign_in_code() -> str:
    relay_deliveries()  # the worker's part: the sandbox gateway texts the phone
    text = sandbox_phone(PHONE)[-1]
    return re.search(r"(?<![0-9])([0-9]{6})(?![0-9])", text).group(1)


def test_a_party_messages_the_judge_and_sees_the_answer(phone_page, page, live_server, case, judge):
    party = phone_page
    assert party.viewport_size["width"] <= 414
    party.goto(f"{live_server.url}{reverse('liaison:portal-login')}")
    party.fill("input[name=phone]", PHONE)
    party.get_by_test_id("send-code").click()
    party.locator("input[name=code]").wait_for()
    party.fill("input[name=code]", sign_in_code())
    party.get_by_test_id("sign-in").click()
    party.wait_for_url(lambda url: "login" not in url)

    thread_url = reverse("liaison:portal-thread", kwargs={"case_pk": case.pk})
    party.goto(f"{live_server.url}{thread_url}")
    party.fill("#id_message-text", "法官您好，请问执行款什么时候能到账？")
    party.get_by_test_id("send").click()
    party.get_by_test_id("message-text").filter(has_text="执行款什么时候能到账").wait_for()
    thread = Thread.objects.get(case=case)

    # The judge, at a desk, answers from the thread page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", judge.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('liaison:threads')}")
    page.get_by_test_id("thread").first.click()
    page.wait_for_url(f"{live_server.url}{reverse('liaison:thread', args=[thread.pk])}")
    assert "执行款什么时候能到账" in page.get_by_test_id("messages").inner_text()
    page.fill("#id_message-text", "已收到，款项将于下周一发放。")
    page.get_by_test_id("send").click()
    page.get_by_test_id("message-text").filter(has_text="下周一发放").wait_for()

    # The party sees the answer, and that the judge has read the question.
    party.reload()
    party.get_by_test_id("message-text").filter(has_text="下周一发放").wait_for()
    with translation.override("zh-hans"):
        read = translation.gettext("Read")
    assert party.get_by_test_id("receipt").first.inner_text().strip() == read

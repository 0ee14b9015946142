"""Binding WeChat in Chromium on a phone: a judge gets a code, sends "绑定 <code>" from WeChat
(a signed request to the live server's callback, as WeChat's servers would), sees the binding
and removes it."""

from __future__ import annotations

import urllib.request

import pytest

from courtexec.models import WechatBinding
from courtexec.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.liaison.wechat_helpers import callback_url, configure, signed_query, text_xml

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def send_from_wechat(base_url: str, openid: str, text: str) -> str:
    request = urllib.request.Request(
        base_url + callback_url(signed_query()),
        data=text_xml(openid, text).encode(),
        headers={"Content-Type": "text/xml"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def test_a_judge_binds_and_unbinds_wechat(phone_page, live_server, court_a, settings):
    configure(settings, mode="plain")
    UserFactory(username="wx_judge", court=court_a, roles=[Role.JUDGE])
    page = phone_page
    page.goto(f"{live_server.url}/liaison/wechat/bind/")
    page.fill("#id_username", "wx_judge")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/liaison/wechat/bind/")
    assert page.get_by_test_id("wechat-unbound").is_visible()

    page.locator("button[value=code]").click()
    code = page.get_by_test_id("wechat-code").inner_text().strip()
    assert len(code) == 8 and f"绑定 {code}" in page.content()

    reply = send_from_wechat(live_server.url, "o_wx_judge_phone", f"绑定 {code}")
    assert "<MsgType><![CDATA[text]]></MsgType>" in reply
    assert WechatBinding.objects.get().openid == "o_wx_judge_phone"

    page.goto(f"{live_server.url}/liaison/wechat/bind/")
    assert "o_wx…hone" in page.get_by_test_id("wechat-bound").inner_text()
    page.locator("button[value=unbind]").click()
    page.get_by_test_id("wechat-unbound").wait_for()
    assert not WechatBinding.objects.exists()

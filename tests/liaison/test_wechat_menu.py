"""The official account's menu and the command that creates it; the demo binding."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from courtexec.models import WechatBinding
from courtexec.roles import Role
from enforcement.liaison import demo_wechat
from enforcement.liaison.models import Message
from enforcement.liaison.wechat.menu import menu
from tests.liaison.wechat_helpers import fake_wechat_api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("office_open")]


@pytest.fixture
def wechat_api(settings):
    yield from fake_wechat_api(settings)


@pytest.fixture(autouse=True)
def site(settings):
    settings.WECHAT_SITE_URL = "https://court.example.cn"
    settings.LANGUAGE_CODE = "en"


def test_the_menu_links_the_portal_the_tip_form_and_asks_for_the_judge():
    buttons = menu()["button"]
    assert buttons[0] == {
        "type": "view",
        "name": "My case",
        "url": "https://court.example.cn" + reverse("liaison:portal-home"),
    }
    assert buttons[1] == {"type": "click", "name": "Contact judge", "key": "CONTACT_JUDGE"}
    (report,) = buttons[2]["sub_button"]
    assert report["type"] == "view"
    assert report["url"] == "https://court.example.cn" + reverse("public:tip-form")
    assert len(buttons) <= 3 and all(len(b["name"].encode()) <= 16 for b in buttons)


def test_the_command_prints_the_json():
    out = StringIO()
    call_command("wechat_menu", "--print", stdout=out)
    assert json.loads(out.getvalue())["button"][1]["key"] == "CONTACT_JUDGE"


def test_the_command_creates_the_menu_through_the_api(wechat_api):
    call_command("wechat_menu", stdout=StringIO())
    path, query, payload = wechat_api.calls[-1]
    assert path == "/cgi-bin/menu/create" and query["access_token"] == ["TOKEN-1"]
    assert payload == json.loads(json.dumps(menu(), ensure_ascii=False))
    wechat_api.script["/cgi-bin/menu/create"] = [{"errcode": 40018, "errmsg": "invalid name"}]
    with pytest.raises(CommandError, match="40018"):
        call_command("wechat_menu", stdout=StringIO())


def test_the_demo_binds_a_party_and_sends_a_first_message(court_a, staff, case, applicant):
    binding = demo_wechat.load(court_a, staff)
    assert binding.user.portal_account.phone == applicant.phone
    assert binding.user.has_role(Role.PARTY)
    message = Message.objects.get()
    assert message.via == Message.Via.WECHAT and message.thread.case == case
    assert demo_wechat.load(court_a, staff) == binding  # once
    assert WechatBinding.objects.count() == 1 and Message.objects.count() == 1

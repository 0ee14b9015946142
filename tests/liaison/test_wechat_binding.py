"""Binding a WeChat openid with a one-time code: the page, the API and the callback's side."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from courtexec.models import WechatBinding
from enforcement.liaison.wechat import binding
from enforcement.liaison.wechat.models import WechatBindingCode
from tests.liaison.conftest import make_account
from tests.liaison.wechat_helpers import configure, post_plain, reply_content, text_xml

pytestmark = pytest.mark.django_db
BIND_URL = reverse("liaison:wechat-bind")
API_URL = "/api/v1/liaison/wechat/binding/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    # Plain mode: these tests are about the codes' rules, not the transport (see the callback's).
    configure(settings, mode="plain")


def send_code(openid: str, code: str) -> str:
    return reply_content(post_plain(Client(), text_xml(openid, f"绑定 {code}")))


# --- codes -------------------------------------------------------------------------------------


def test_a_code_is_8_digits_stored_hashed_and_replaced_by_the_next(applicant_account):
    first = binding.issue_binding_code(user=applicant_account.user)
    second = binding.issue_binding_code(user=applicant_account.user)
    assert len(second.code) == 8 and second.code.isdigit()
    stored = WechatBindingCode.objects.get()
    assert second.code not in stored.code_hash
    assert (stored.expires_at - stored.created_at).total_seconds() == 600
    assert "wrong or has expired" in send_code("o_a", first.code)


def test_a_good_code_binds_and_is_used_up(applicant_account):
    issued = binding.issue_binding_code(user=applicant_account.user)
    assert "Bound successfully" in send_code("o_party", issued.code)
    assert WechatBinding.objects.get().user == applicant_account.user
    assert not WechatBindingCode.objects.exists()
    assert "wrong or has expired" in send_code("o_party_other", issued.code)


def test_an_expired_code_is_refused(applicant_account):
    issued = binding.issue_binding_code(user=applicant_account.user)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)):
        assert "wrong or has expired" in binding_reply("o_party", issued.code)
    assert not WechatBinding.objects.exists()


def binding_reply(openid: str, code: str) -> str:
    """The callback's handling without the HTTP layer (whose timestamp window time travel
    would also move)."""
    from enforcement.liaison.wechat.callback import receive
    from enforcement.liaison.wechat.messages import Inbound

    return receive(
        Inbound(
            to_account="gh_x",
            openid=openid,
            create_time="1",
            msg_type="text",
            msg_id=f"m-{openid}-{code}",
            content=f"绑定{code}",
        )
    )


def test_a_wrong_code_is_refused_and_guessing_is_limited(applicant_account):
    issued = binding.issue_binding_code(user=applicant_account.user)
    wrong = f"{(int(issued.code) + 1) % 10**8:08d}"
    for attempt in range(binding.WRONG_CODES_PER_HOUR):
        assert "wrong or has expired" in binding_reply("o_guesser", f"{attempt:06d}")
    assert "Too many wrong codes" in binding_reply("o_guesser", issued.code)
    assert "wrong or has expired" in binding_reply("o_someone", wrong)
    assert not WechatBinding.objects.exists()


def test_wrong_codes_from_all_openids_together_are_limited(applicant_account, settings):
    """Openids are free to make up: past the hourly total, even a right code waits."""
    settings.WECHAT_WRONG_BINDING_CODES_PER_HOUR = 3
    issued = binding.issue_binding_code(user=applicant_account.user)
    wrong = f"{(int(issued.code) + 1) % 10**8:08d}"
    for n in range(3):
        assert "wrong or has expired" in binding_reply(f"o_forged_{n}", wrong)
    assert "Try again later" in binding_reply("o_forged_3", wrong)
    assert "Try again later" in binding_reply("o_real_party", issued.code)
    assert not WechatBinding.objects.exists()
    cache.delete(binding.ALL_FAILURES_KEY)  # the hour is over
    assert binding.bind(openid="o_real_party", code=issued.code).user == applicant_account.user


def test_an_openid_bound_to_someone_else_is_refused(applicant_account, respondent_account):
    WechatBinding.objects.create(user=respondent_account.user, openid="o_shared_phone")
    issued = binding.issue_binding_code(user=applicant_account.user)
    assert "already bound to another person" in send_code("o_shared_phone", issued.code)
    assert WechatBinding.objects.get().user == respondent_account.user
    assert WechatBindingCode.objects.exists()  # still usable from the right WeChat


def test_rebinding_replaces_the_users_old_openid(applicant_account):
    WechatBinding.objects.create(user=applicant_account.user, openid="o_old_phone")
    issued = binding.issue_binding_code(user=applicant_account.user)
    assert "Bound successfully" in send_code("o_new_phone", issued.code)
    assert list(WechatBinding.objects.values_list("openid", flat=True)) == ["o_new_phone"]
    again = binding.issue_binding_code(user=applicant_account.user)
    assert "Bound successfully" in send_code("o_new_phone", again.code)  # same openid again
    assert WechatBinding.objects.count() == 1


# --- the page ----------------------------------------------------------------------------------


def test_the_page_shows_a_code_that_binds_then_unbinds(applicant_client, applicant_account):
    page = applicant_client.get(BIND_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and b'data-testid="wechat-unbound"' in page.content
    page = applicant_client.post(BIND_URL, {"action": "code"}, HTTP_ACCEPT_LANGUAGE="en")
    code = page.content.decode().split('data-testid="wechat-code">')[1][:8]
    assert f"绑定 {code}" in page.content.decode()
    send_code("o_from_page", code)
    page = applicant_client.get(BIND_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert b'data-testid="wechat-bound"' in page.content and b"o_fr" in page.content
    assert b"o_from_page" not in page.content  # masked
    response = applicant_client.post(BIND_URL, {"action": "unbind"})
    assert response.status_code == 302 and not WechatBinding.objects.exists()


def test_staff_bind_from_the_same_page(client, judge):
    client.force_login(judge)
    page = client.post(BIND_URL, {"action": "code"})
    code = page.content.decode().split('data-testid="wechat-code">')[1][:8]
    assert "Bound successfully" in send_code("o_judge", code)
    assert judge.wechat_binding.openid == "o_judge"
    assert b"liaison/wechat/bind/" in client.get(reverse("dashboard")).content  # in the menu


def test_the_page_needs_a_sign_in(client):
    response = client.get(BIND_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(BIND_URL)}"


def test_a_party_from_the_portal_is_sent_to_the_portals_sign_in(client, applicant_client):
    link = applicant_client.get(reverse("liaison:portal-home"), HTTP_ACCEPT_LANGUAGE="en")
    href = link.content.decode().split('data-testid="portal-wechat-link"')[0].rsplit('href="', 1)
    assert href[1].startswith(f"{BIND_URL}?party=1")
    response = client.get(f"{BIND_URL}?party=1")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("liaison:portal-login") + "?next=")
    assert applicant_client.get(f"{BIND_URL}?party=1").status_code == 200  # signed in: the page


# --- the API -----------------------------------------------------------------------------------


def test_api_status_code_and_unbind(applicant_client, applicant_account):
    assert applicant_client.get(API_URL).json() == {"bound": False, "openid": "", "bound_at": None}
    created = applicant_client.post(API_URL)
    assert created.status_code == 201 and len(created.json()["code"]) == 8
    send_code("o_api_user_01", created.json()["code"])
    state = applicant_client.get(API_URL).json()
    assert state["bound"] and state["openid"] == "o_ap…r_01" and state["bound_at"]
    assert applicant_client.delete(API_URL).status_code == 204
    assert applicant_client.delete(API_URL).status_code == 404
    assert not WechatBinding.objects.exists()


def test_api_needs_a_signed_in_user(client):
    assert client.get(API_URL).status_code in (401, 403)
    assert client.post(API_URL).status_code in (401, 403)


def test_an_inactive_users_binding_does_not_speak_for_them(applicant_account, case):
    WechatBinding.objects.create(user=applicant_account.user, openid="o_gone")
    applicant_account.user.is_active = False
    applicant_account.user.save(update_fields=["is_active"])
    assert "绑定" in reply_content(post_plain(Client(), text_xml("o_gone", "hello")))


def test_one_openid_serves_one_user_even_across_accounts(applicant_account):
    other = make_account("13900000009")
    WechatBinding.objects.create(user=other.user, openid="o_taken")
    issued = binding.issue_binding_code(user=applicant_account.user)
    assert "already bound" in send_code("o_taken", issued.code)

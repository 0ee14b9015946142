"""The official account's callback: URL verification, plain and safe-mode messages, retries,
and what a message from a bound party does."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from courtexec.models import WechatBinding
from enforcement.liaison.models import Message, Thread
from enforcement.liaison.wechat.crypto import SafeMode
from enforcement.liaison.wechat.models import WechatInbound
from enforcement.models import EnforcementCase
from tests.enforcement.fixtures import file_case
from tests.liaison.wechat_helpers import (
    ENCODING_AES_KEY,
    callback_url,
    configure,
    event_xml,
    peer,
    post_encrypted,
    post_plain,
    reply_content,
    sign,
    signed_query,
    text_xml,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("office_open")]
OPENID = "o_applicant_openid_0001"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    # Compatible mode takes plain and encrypted messages, so the handling tests can post plain;
    # the mode tests below set each mode.
    configure(settings, mode="compatible")


@pytest.fixture
def safe_mode(settings):
    settings.WECHAT_MESSAGE_MODE = "safe"


@pytest.fixture
def wechat():
    return Client()


@pytest.fixture
def bound_applicant(applicant_account):
    WechatBinding.objects.create(user=applicant_account.user, openid=OPENID)
    return applicant_account


# --- URL verification --------------------------------------------------------------------------


def test_url_verification_echoes_echostr(wechat):
    response = wechat.get(callback_url(signed_query(echostr="4711")))
    assert response.status_code == 200 and response.content == b"4711"


def test_a_bad_signature_is_refused(wechat):
    query = signed_query(echostr="4711")
    query["signature"] = sign("another-token", query["timestamp"], query["nonce"])
    assert wechat.get(callback_url(query)).status_code == 403
    assert wechat.get(callback_url({"echostr": "4711"})).status_code == 403


def test_a_replayed_verification_is_refused(wechat):
    query = signed_query(echostr="4711")
    assert wechat.get(callback_url(query)).status_code == 200
    assert wechat.get(callback_url(query)).status_code == 403


@pytest.mark.parametrize("offset", [-400, 400])
def test_a_stale_or_future_timestamp_is_refused(wechat, offset):
    query = signed_query(timestamp=int(time.time()) + offset, echostr="4711")
    assert wechat.get(callback_url(query)).status_code == 403


def test_a_timestamp_that_is_not_a_number_is_refused(wechat):
    query = signed_query(echostr="1")
    query["timestamp"] = "soon"
    query["signature"] = sign(settings.WECHAT_TOKEN, "soon", query["nonce"])
    assert wechat.get(callback_url(query)).status_code == 403


def test_other_methods_are_not_allowed(wechat):
    assert wechat.put(callback_url(signed_query())).status_code == 405


# --- messages: plain mode ----------------------------------------------------------------------


def test_an_unbound_openid_gets_binding_instructions(wechat, case):
    response = post_plain(wechat, text_xml("o_stranger", "hello"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert "绑定" in reply_content(response)
    assert not Message.objects.exists()
    logged = WechatInbound.objects.get()
    assert logged.openid == "o_stranger" and logged.user is None and logged.reply


def test_a_bound_partys_text_lands_in_the_case_thread(wechat, bound_applicant, case, judge):
    response = post_plain(wechat, text_xml(OPENID, "  When will the money be paid?  "))
    assert str(judge) in reply_content(response)
    message = Message.objects.get()
    assert message.via == Message.Via.WECHAT and message.author == Message.Author.PARTY
    assert message.party_author == bound_applicant
    assert message.body == "When will the money be paid?"
    assert message.thread.case == case and message.thread.awaiting_reply_since
    assert WechatInbound.objects.get().message == message


@pytest.mark.parametrize(
    "xml",
    [
        "<xml><MsgType>text</MsgType",
        "not xml at all",
        "<xml><MsgType><![CDATA[text]]></MsgType></xml>",  # no sender
        '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>',
    ],
)
def test_malformed_xml_is_a_400(wechat, xml):
    assert post_plain(wechat, xml).status_code == 400
    assert not WechatInbound.objects.exists()


def test_a_retried_msgid_gets_the_same_reply_and_writes_once(wechat, bound_applicant, case):
    xml = text_xml(OPENID, "Hello judge", msg_id="123456789")
    first = post_plain(wechat, xml)
    second = post_plain(wechat, xml)  # WeChat's retry: new query string, same MsgId
    assert reply_content(first) == reply_content(second)
    assert Message.objects.count() == 1 and WechatInbound.objects.count() == 1


def test_a_repeated_query_string_is_accepted_only_with_the_same_body(wechat, bound_applicant, case):
    query = signed_query()
    xml = text_xml(OPENID, "Hello", msg_id="42")
    assert wechat.post(callback_url(query), xml, content_type="text/xml").status_code == 200
    assert wechat.post(callback_url(query), xml, content_type="text/xml").status_code == 200
    forged = text_xml(OPENID, "Forged", msg_id="43")
    assert wechat.post(callback_url(query), forged, content_type="text/xml").status_code == 403
    assert list(Message.objects.values_list("body", flat=True)) == ["Hello"]


def test_other_message_types_are_answered_but_not_stored(wechat, bound_applicant, case):
    xml = text_xml(OPENID, "x").replace("[text]", "[image]")
    assert "text" in reply_content(post_plain(wechat, xml))
    assert not Message.objects.exists()


# --- messages: safe mode -----------------------------------------------------------------------


def test_encrypted_round_trip(wechat, bound_applicant, case, safe_mode):
    response = post_encrypted(wechat, text_xml(OPENID, "加密的消息"))
    assert response.status_code == 200
    assert Message.objects.get().body == "加密的消息"
    envelope = response.content.decode()
    fields = {
        name: envelope.split(f"<{name}>")[1].split(f"</{name}>")[0].removeprefix("<![CDATA[")
        for name in ("MsgSignature", "TimeStamp", "Nonce")
    }
    fields = {name: value.removesuffix("]]>") for name, value in fields.items()}
    # The reply decrypts in wechatpy (which checks our msg_signature too) ...
    plain = peer().decrypt_message(
        envelope, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"]
    )
    assert f"<ToUserName><![CDATA[{OPENID}]]></ToUserName>" in plain
    # ... and in our own code.
    encrypted = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    ours = SafeMode(settings.WECHAT_ENCODING_AES_KEY, settings.WECHAT_APP_ID).decrypt(encrypted)
    assert ours == plain


def test_an_encrypted_message_for_another_app_id_is_a_400(wechat, bound_applicant, case, safe_mode):
    response = post_encrypted(wechat, text_xml(OPENID, "hi"), app_id="wx_other_account")
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_a_bad_msg_signature_is_refused(wechat, bound_applicant, case, safe_mode):
    encrypted = peer().encrypt_message(text_xml(OPENID, "hi"), "n1")
    query = signed_query(encrypt_type="aes", msg_signature="0" * 40)
    body = "<xml>" + encrypted.split("<xml>")[1].split("<MsgSignature>")[0] + "</xml>"
    response = wechat.post(callback_url(query), body, content_type="text/xml")
    assert response.status_code == 403


def test_bad_ciphertext_is_a_400(wechat, safe_mode):
    query = signed_query(encrypt_type="aes")
    query["msg_signature"] = sign(settings.WECHAT_TOKEN, query["timestamp"], query["nonce"], "AAAA")
    body = "<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>"
    assert wechat.post(callback_url(query), body, content_type="text/xml").status_code == 400


# --- the message mode (WECHAT_MESSAGE_MODE), not the caller, decides about encryption ----------


def forged_plain(wechat, openid: str, text: str):
    """One fresh signed URL reused with a body of the sender's choosing, no encrypt_type."""
    return wechat.post(
        callback_url(signed_query()), text_xml(openid, text), content_type="text/xml"
    )


@pytest.mark.parametrize("mode", ["safe", "no-such-mode"])  # an unknown mode counts as safe
def test_safe_mode_refuses_plain_messages(wechat, bound_applicant, case, settings, mode):
    settings.WECHAT_MESSAGE_MODE = mode
    assert forged_plain(wechat, OPENID, "Forged in the party's name").status_code == 403
    raw = signed_query(encrypt_type="raw")
    body = text_xml(OPENID, "Forged again")
    assert wechat.post(callback_url(raw), body, content_type="text/xml").status_code == 403
    assert not WechatInbound.objects.exists() and not Message.objects.exists()
    assert post_encrypted(wechat, text_xml(OPENID, "Real")).status_code == 200
    assert list(Message.objects.values_list("body", flat=True)) == ["Real"]


def test_safe_mode_needs_the_msg_signature(wechat, bound_applicant, case, safe_mode):
    encrypted = peer().encrypt_message(text_xml(OPENID, "hi"), "n1")
    body = "<xml>" + encrypted.split("<xml>")[1].split("<MsgSignature>")[0] + "</xml>"
    query = signed_query(encrypt_type="aes")  # no msg_signature
    assert wechat.post(callback_url(query), body, content_type="text/xml").status_code == 403
    assert not WechatInbound.objects.exists()


def test_compatible_mode_takes_both(wechat, bound_applicant, case, settings):
    settings.WECHAT_MESSAGE_MODE = "compatible"
    assert post_plain(wechat, text_xml(OPENID, "Plain")).status_code == 200
    assert post_encrypted(wechat, text_xml(OPENID, "Encrypted")).status_code == 200
    assert set(Message.objects.values_list("body", flat=True)) == {"Plain", "Encrypted"}


def test_plain_mode_takes_only_plain(wechat, bound_applicant, case, settings):
    settings.WECHAT_MESSAGE_MODE = "plain"
    settings.WECHAT_ENCODING_AES_KEY = ""  # not needed in plain mode
    assert post_plain(wechat, text_xml(OPENID, "Plain")).status_code == 200
    settings.WECHAT_ENCODING_AES_KEY = ENCODING_AES_KEY
    assert post_encrypted(wechat, text_xml(OPENID, "Encrypted")).status_code == 403
    assert list(Message.objects.values_list("body", flat=True)) == ["Plain"]


@pytest.mark.parametrize("mode", ["safe", "compatible", "plain"])
def test_url_verification_works_in_every_mode(wechat, settings, mode):
    settings.WECHAT_MESSAGE_MODE = mode
    assert wechat.get(callback_url(signed_query(echostr="17"))).content == b"17"


@pytest.mark.parametrize(
    ("token", "aes_key", "mode"),
    [
        ("", ENCODING_AES_KEY, "safe"),  # no token: not configured
        ("", "", "plain"),
        ("token-without-key-0001", "", "safe"),  # safe mode needs the EncodingAESKey
        ("token-without-key-0001", "", "compatible"),
        ("token-with-a-bad-key-01", "not-43-characters", "safe"),  # 404, not a crash
    ],
)
def test_an_unconfigured_account_has_no_callback(wechat, case, settings, token, aes_key, mode):
    settings.WECHAT_TOKEN, settings.WECHAT_ENCODING_AES_KEY = token, aes_key
    settings.WECHAT_MESSAGE_MODE = mode
    assert wechat.get(callback_url(signed_query(echostr="17"))).status_code == 404
    assert post_plain(wechat, text_xml("o_stranger", "hello")).status_code == 404
    assert not WechatInbound.objects.exists()


# --- which case: the rule ----------------------------------------------------------------------


@pytest.fixture
def second_case(court_a, judge_a, applicant, respondent, case):
    return file_case(court_a, judge_a, applicant, respondent)


def test_with_several_open_cases_the_party_is_asked_which(
    wechat, bound_applicant, case, second_case
):
    reply = reply_content(post_plain(wechat, text_xml(OPENID, "Hello")))
    assert f"#1 {case.number}" in reply and f"#2 {second_case.number}" in reply
    assert not Message.objects.exists()


def test_a_hash_number_or_case_number_chooses_the_case(wechat, bound_applicant, case, second_case):
    post_plain(wechat, text_xml(OPENID, "#2 About the second"))
    post_plain(wechat, text_xml(OPENID, f"案号：{case.number} About the first"))
    bodies = dict(Message.objects.values_list("thread__case", "body"))
    assert bodies == {second_case.pk: "About the second", case.pk: "About the first"}
    reply = reply_content(post_plain(wechat, text_xml(OPENID, "#9 nowhere")))
    assert "#1" in reply and Message.objects.count() == 2


def test_a_concluded_case_takes_no_wechat_messages(wechat, bound_applicant, case):
    EnforcementCase.objects.filter(pk=case.pk).update(
        status=EnforcementCase.Status.CONCLUDED,
        closure_mode=EnforcementCase.ClosureMode.PERFORMED,
    )
    reply = reply_content(post_plain(wechat, text_xml(OPENID, "Hello")))
    assert "no open case" in reply and not Thread.objects.exists()


def test_a_party_cannot_reach_another_partys_case_by_number(
    wechat, bound_applicant, case, other_case
):
    post_plain(wechat, text_xml(OPENID, f"{other_case.number} let me in"))
    message = Message.objects.get()
    assert message.thread.case == case  # its own only case; the text is kept whole
    assert message.body.startswith(other_case.number)


def test_an_empty_text_after_the_case_number_is_not_stored(wechat, bound_applicant, case):
    reply = reply_content(post_plain(wechat, text_xml(OPENID, f"{case.number}   ")))
    assert "Write a message" in reply and not Message.objects.exists()


# --- events and staff --------------------------------------------------------------------------


def test_subscribing_gets_a_welcome_with_binding_instructions(wechat):
    reply = reply_content(post_plain(wechat, event_xml("o_new", "subscribe")))
    assert "Welcome" in reply and "绑定" in reply


def test_an_event_retry_is_handled_once(wechat):
    xml = event_xml("o_new", "subscribe")
    post_plain(wechat, xml)
    post_plain(wechat, xml)
    assert WechatInbound.objects.count() == 1


def test_two_clicks_in_one_second_are_two_events(wechat, bound_applicant, case):
    post_plain(wechat, event_xml(OPENID, "CLICK", "CONTACT_JUDGE"))
    post_plain(wechat, event_xml(OPENID, "CLICK", "OTHER_KEY"))
    assert WechatInbound.objects.count() == 2


def test_contact_my_judge_names_the_judge(wechat, bound_applicant, case, judge):
    reply = reply_content(post_plain(wechat, event_xml(OPENID, "CLICK", "CONTACT_JUDGE")))
    assert case.number in reply and str(judge) in reply


def test_contact_my_judge_lists_several_cases(wechat, bound_applicant, case, second_case):
    reply = reply_content(post_plain(wechat, event_xml(OPENID, "CLICK", "CONTACT_JUDGE")))
    assert "#1" in reply and "#2" in reply


def test_unsubscribe_and_menu_links_get_no_reply(wechat, bound_applicant):
    for xml in (event_xml(OPENID, "unsubscribe"), event_xml(OPENID, "VIEW", "http://x/")):
        response = post_plain(wechat, xml)
        assert response.content == b"success"


def test_a_bound_staff_members_text_is_not_a_party_message(wechat, judge, case):
    WechatBinding.objects.create(user=judge, openid="o_judge")
    reply = reply_content(post_plain(wechat, text_xml("o_judge", "hello")))
    assert "notifications" in reply and not Message.objects.exists()

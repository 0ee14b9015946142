"""The WeChat channel: the real API adapter against a local stand-in for WeChat's API server,
and the sandbox through the outbox with a real Celery worker."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from courtexec.celery import app
from courtexec.channels import DeliveryError
from courtexec.channels.wechat import WechatApi
from courtexec.models import Delivery
from courtexec.notifications import queue_delivery
from tests.liaison.wechat_helpers import APP_ID, fake_wechat_api


@pytest.fixture
def wechat_api(settings):
    yield from fake_wechat_api(settings)


def paths(server) -> list[str]:
    return [path for path, _query, _payload in server.calls]


def test_a_text_goes_as_a_customer_service_message_with_a_cached_token(wechat_api):
    WechatApi().send("o_party", "The judge replied")
    WechatApi().send("o_party", "Again")
    assert paths(wechat_api) == [
        "/cgi-bin/token",
        "/cgi-bin/message/custom/send",
        "/cgi-bin/message/custom/send",
    ]
    token_query = wechat_api.calls[0][1]
    assert token_query["appid"] == [APP_ID] and token_query["secret"] == ["secret"]
    _path, query, payload = wechat_api.calls[1]
    assert query["access_token"] == ["TOKEN-1"]
    assert payload == {
        "touser": "o_party",
        "msgtype": "text",
        "text": {"content": "The judge replied"},
    }


def test_the_token_is_fetched_again_shortly_before_it_expires(wechat_api):
    wechat_api.script["/cgi-bin/token"] = [
        {"access_token": "SHORT", "expires_in": 301},
        {"access_token": "NEXT", "expires_in": 7200},
    ]
    assert WechatApi().access_token() == "SHORT"
    assert WechatApi().access_token() == "SHORT"  # cached for 301 s less the 300 s margin
    time.sleep(1.1)
    assert WechatApi().access_token() == "NEXT"


def test_a_rejected_token_is_renewed_once(wechat_api):
    wechat_api.script["/cgi-bin/token"] = [
        {"access_token": "STALE", "expires_in": 7200},
        {"access_token": "FRESH", "expires_in": 7200},
    ]
    wechat_api.script["/cgi-bin/message/custom/send"] = [
        {"errcode": 42001, "errmsg": "access_token expired"},
        {"errcode": 0, "errmsg": "ok"},
    ]
    WechatApi().send("o_party", "hi")
    sends = [q["access_token"] for p, q, _ in wechat_api.calls if p.endswith("custom/send")]
    assert sends == [["STALE"], ["FRESH"]]


def test_outside_the_48_hour_window_it_falls_back_to_a_template(wechat_api, settings):
    settings.WECHAT_TEMPLATE_ID = "TPL-1"
    wechat_api.script["/cgi-bin/message/custom/send"] = [
        {"errcode": 45015, "errmsg": "response out of time limit"}
    ]
    wechat_api.script["/cgi-bin/message/template/send"] = [{"errcode": 0, "msgid": 200228332}]
    reference = WechatApi().send("o_party", "The judge replied", subject="New reply")
    assert reference == "template-200228332"
    _path, _query, payload = wechat_api.calls[-1]
    assert payload["template_id"] == "TPL-1" and payload["touser"] == "o_party"
    assert payload["data"]["content"]["value"] == "The judge replied"


def test_outside_the_window_without_a_template_it_fails(wechat_api, settings):
    settings.WECHAT_TEMPLATE_ID = ""
    wechat_api.script["/cgi-bin/message/custom/send"] = [{"errcode": 45015}]
    with pytest.raises(DeliveryError, match="48-hour"):
        WechatApi().send("o_party", "hi")


def test_an_errcode_is_a_delivery_error(wechat_api):
    wechat_api.script["/cgi-bin/message/custom/send"] = [
        {"errcode": 40003, "errmsg": "invalid openid"}
    ]
    with pytest.raises(DeliveryError, match="40003"):
        WechatApi().send("o_nobody", "hi")
    wechat_api.script["/cgi-bin/token"] = [{"errcode": 40125, "errmsg": "invalid appsecret"}]
    with pytest.raises(DeliveryError, match="40125"):
        WechatApi().access_token(renew=True)


def test_an_unreachable_api_is_a_delivery_error(settings):
    settings.WECHAT_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(DeliveryError, match="unreachable"):
        WechatApi().send("o_party", "hi")
    settings.WECHAT_API_BASE = "file:///etc"
    with pytest.raises(DeliveryError):
        WechatApi()


@pytest.mark.django_db(transaction=True)
def test_the_outbox_sends_a_wechat_message_once_through_a_real_worker():
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        with transaction.atomic():
            delivery = queue_delivery(
                Delivery.Channel.WECHAT, "o_party", "The judge replied", kind="liaison.staff_reply"
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status not in (Delivery.Status.QUEUED, Delivery.Status.SENDING):
                break
            time.sleep(0.2)
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    assert delivery.reference.startswith("sandbox-wx-")

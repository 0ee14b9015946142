"""Outside channels: Alibaba Cloud SMS (signature and the wire, against a local server) and email
through Django's backend."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from courtexec.channels import DeliveryError
from courtexec.channels.aliyun import AliyunSms, percent_encode, sign
from courtexec.channels.email import DjangoEmail
from courtexec.models import Delivery
from courtexec.notifications import queue_delivery, relay_deliveries

# The worked example of Alibaba Cloud's SMS API documentation (signature method v1, SendSms).
DOC_PARAMS = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}


def test_signature_matches_the_documented_example():
    assert sign(DOC_PARAMS, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_percent_encoding_follows_the_signature_rules():
    assert percent_encode("a b*c~d/é") == "a%20b%2Ac~d%2F%C3%A9"


# --- a local stand-in for dysmsapi.aliyuncs.com ------------------------------------------------


class FakeDysms(BaseHTTPRequestHandler):
    answers: list[tuple[int, dict | bytes]] = []
    requests: list[dict[str, str]] = []

    def do_GET(self):
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        FakeDysms.requests.append(query)
        status, body = FakeDysms.answers.pop(0)
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def dysms(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeDysms)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeDysms.answers, FakeDysms.requests = [], []
    settings.ALIYUN_SMS_ENDPOINT = f"http://127.0.0.1:{server.server_port}/"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAI-test"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "secret-test"
    settings.ALIYUN_SMS_SIGN_NAME = "杭州下城法院"
    settings.ALIYUN_SMS_TEMPLATE_CODE = "SMS_000001"
    settings.ALIYUN_SMS_TIMEOUT_SECONDS = 2
    yield FakeDysms
    server.shutdown()
    server.server_close()


def test_send_sms_round_trip(dysms):
    dysms.answers.append(
        (200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r"})
    )
    reference = AliyunSms().send("13800000001", "您的案件有新消息")
    assert reference == "900619746936498440^0"
    [query] = dysms.requests
    assert query["Action"] == "SendSms"
    assert query["PhoneNumbers"] == "13800000001"
    assert query["SignName"] == "杭州下城法院"
    assert json.loads(query["TemplateParam"]) == {"content": "您的案件有新消息"}
    received = {k: v for k, v in query.items() if k != "Signature"}
    assert query["Signature"] == sign(received, "secret-test")  # the server can verify it


@pytest.mark.parametrize(
    ("status", "body", "retryable"),
    [
        (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}, True),
        (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}, False),
        (400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}, False),
        (503, b"<html>busy</html>", True),
        (200, b"not json", True),
    ],
)
def test_send_sms_errors_are_mapped(dysms, status, body, retryable):
    dysms.answers.append((status, body))
    with pytest.raises(DeliveryError) as caught:
        AliyunSms().send("13800000001", "x")
    assert caught.value.retryable is retryable


def test_an_unreachable_provider_is_retried(settings):
    settings.ALIYUN_SMS_ENDPOINT = "http://127.0.0.1:9/"  # discard port: nothing listens
    settings.ALIYUN_SMS_TIMEOUT_SECONDS = 1
    with pytest.raises(DeliveryError) as caught:
        AliyunSms().send("13800000001", "x")
    assert caught.value.retryable


@pytest.mark.django_db
def test_the_relay_sends_through_aliyun(dysms, settings):
    settings.DELIVERY_ADAPTERS = {
        **settings.DELIVERY_ADAPTERS,
        "sms": "courtexec.channels.aliyun.AliyunSms",
    }
    dysms.answers.append((200, {"Code": "OK", "BizId": "biz-1"}))
    delivery = queue_delivery("sms", "13800000001", "测试", kind="funds.payee_paid")
    relay_deliveries()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.reference) == ("sent", "biz-1")


# --- email -------------------------------------------------------------------------------------


def test_email_goes_through_the_django_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reference = DjangoEmail().send("judge@example.cn", "案款到账", subject="案款到账提醒")
    [message] = mail.outbox
    assert message.to == ["judge@example.cn"]
    assert (message.subject, message.body) == ("案款到账提醒", "案款到账")
    assert message.extra_headers["Message-ID"] == reference


@pytest.mark.django_db
def test_a_notification_by_email_is_delivered(settings, judge_a):
    from courtexec.notifications import notify, set_preferences

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    judge_a.email = "judge@example.cn"
    judge_a.save()
    set_preferences(user=judge_a, channels={"debtors": ["email"]})
    notify([judge_a], kind="tip", message="新的财产线索")
    relay_deliveries()
    assert Delivery.objects.get().status == "sent"
    [message] = mail.outbox
    assert message.body == "新的财产线索"
    assert message.to == ["judge@example.cn"]


def test_a_refused_recipient_is_not_retried(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with pytest.raises(DeliveryError) as caught:
        DjangoEmail().send("nobody@example.cn", "x")
    assert not caught.value.retryable


class RefusingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused({"nobody@example.cn": (550, b"no such user")})

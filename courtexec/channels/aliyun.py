"""Alibaba Cloud SMS (阿里云短信服务, ``dysmsapi`` ``SendSms``): the real provider's adapter.

An RPC-style GET request signed with HMAC-SHA1 ("signature method v1"); the wire format and the
error mapping are in docs/channels.md. Only the standard library: no vendor SDK on the server.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings

from courtexec.channels import DeliveryError

API_VERSION = "2017-05-25"

# Answers that may go through later: throttling, the provider's own trouble. Every other error
# code (a bad number, signature or template) fails the message at once.
RETRYABLE_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL",  # per-number rate limit (流控)
    "Throttling",
    "Throttling.User",
    "ServiceUnavailable",
    "InternalError",
    "isp.SYSTEM_ERROR",
    "isp.GATEWAY_ERROR",
}


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the signature needs it: UTF-8, only ``A-Za-z0-9-_.~`` left bare
    (so a space is ``%20``, ``*`` is ``%2A`` and ``~`` stays)."""
    return urllib.parse.quote(value, safe="~")


def sign(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """The ``Signature`` of a request: HMAC-SHA1 with key ``secret + "&"`` over
    ``METHOD&%2F&`` + the encoded canonical query (parameters sorted by name), base64."""
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
    )
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    """Sends one text through the template ``ALIYUN_SMS_TEMPLATE_CODE`` (its one variable,
    ``${content}``, takes the text); the provider's ``BizId`` is the reference."""

    def send(self, address: str, text: str, *, subject: str = "") -> str:
        params = {
            "AccessKeyId": settings.ALIYUN_SMS_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": address,
            "RegionId": "cn-hangzhou",
            "SignName": settings.ALIYUN_SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": settings.ALIYUN_SMS_TEMPLATE_CODE,
            "TemplateParam": json.dumps({"content": text}, ensure_ascii=False),
            "Timestamp": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        signature = sign(params, settings.ALIYUN_SMS_ACCESS_KEY_SECRET)
        query = "&".join(
            f"{percent_encode(k)}={percent_encode(v)}"
            for k, v in [("Signature", signature), *sorted(params.items())]
        )
        body = self._get(f"{settings.ALIYUN_SMS_ENDPOINT}?{query}")
        code = body.get("Code", "")
        if code == "OK":
            return str(body.get("BizId", ""))
        raise DeliveryError(
            f"Aliyun {code or 'no code'}: {body.get('Message', '')}",
            retryable=code in RETRYABLE_CODES,
        )

    def _get(self, url: str) -> dict:
        if not url.startswith(("https://", "http://")):
            raise DeliveryError("ALIYUN_SMS_ENDPOINT must be an http(s) URL.", retryable=False)
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        try:
            with urllib.request.urlopen(  # noqa: S310 (scheme checked above)
                request, timeout=settings.ALIYUN_SMS_TIMEOUT_SECONDS
            ) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            # Errors come back as JSON with a 4xx/5xx status; a 5xx without JSON is retried.
            raw = exc.read()
            if not raw.strip().startswith(b"{"):
                raise DeliveryError(f"Aliyun HTTP {exc.code}", retryable=exc.code >= 500) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"Aliyun unreachable: {exc}") from exc
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise DeliveryError("Aliyun answered something that is not JSON.") from exc

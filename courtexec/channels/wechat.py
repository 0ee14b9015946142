"""WeChat messages (微信消息) to a follower of the court's official account, addressed by openid.

``SandboxWechat`` logs them (the ``Delivery`` row keeps the text). ``WechatApi`` speaks to
WeChat's API: an access token fetched with the AppID and AppSecret and cached until shortly
before it expires, then a customer-service text message; WeChat accepts those only within 48
hours of the follower's last message to the account (errcode 45015), so outside that window the
text goes as a template message with ``settings.WECHAT_TEMPLATE_ID``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.cache import cache

from courtexec.channels import DeliveryError

logger = logging.getLogger("courtexec.channels.wechat")

TOKEN_CACHE_KEY = "wechat-access-token"
TOKEN_MARGIN_SECONDS = 300  # fetch a new token five minutes before the old one expires
TIMEOUT_SECONDS = 10
OUTSIDE_48_HOURS = 45015  # "response out of time limit or subscription is canceled"
TOKEN_REJECTED = {40001, 40014, 42001}  # invalid or expired access token


class SandboxWechat:
    """Accepts every message and writes it to the log instead of WeChat."""

    def send(self, address: str, text: str, *, subject: str = "") -> str:
        reference = f"sandbox-wx-{uuid.uuid4().hex[:16]}"
        logger.info("WeChat to %s [%s]: %s", address, reference, text)
        return reference


class WechatApi:
    """The official account's API (``settings.WECHAT_API_BASE``, WeChat's host in production)."""

    def __init__(self) -> None:
        self.base = settings.WECHAT_API_BASE.rstrip("/")
        if not self.base.startswith(("https://", "http://")):
            raise DeliveryError("WECHAT_API_BASE must be an http(s) URL")

    def send(self, address: str, text: str, *, subject: str = "") -> str:
        answer = self._post(
            "/cgi-bin/message/custom/send",
            {"touser": address, "msgtype": "text", "text": {"content": text}},
            accept={OUTSIDE_48_HOURS},
        )
        if answer.get("errcode") != OUTSIDE_48_HOURS:
            return f"custom-{uuid.uuid4().hex[:16]}"  # WeChat answers no id for these
        if not settings.WECHAT_TEMPLATE_ID:
            raise DeliveryError("outside WeChat's 48-hour window and no WECHAT_TEMPLATE_ID set")
        answer = self._post(
            "/cgi-bin/message/template/send",
            {
                "touser": address,
                "template_id": settings.WECHAT_TEMPLATE_ID,
                "data": {"title": {"value": subject[:20]}, "content": {"value": text[:200]}},
            },
        )
        return f"template-{answer.get('msgid', '')}"

    def create_menu(self, menu: dict) -> None:
        self._post("/cgi-bin/menu/create", menu)

    def access_token(self, *, renew: bool = False) -> str:
        token = None if renew else cache.get(TOKEN_CACHE_KEY)
        if token:
            return token
        query = urllib.parse.urlencode(
            {
                "grant_type": "client_credential",
                "appid": settings.WECHAT_APP_ID,
                "secret": settings.WECHAT_APP_SECRET,
            }
        )
        answer = self._call(f"{self.base}/cgi-bin/token?{query}", None)
        token, expires_in = answer.get("access_token"), answer.get("expires_in", 7200)
        if not token:
            raise DeliveryError(f"no access token: {answer}")
        cache.set(TOKEN_CACHE_KEY, token, timeout=max(int(expires_in) - TOKEN_MARGIN_SECONDS, 1))
        return token

    def _post(self, path: str, payload: dict, *, accept: frozenset | set = frozenset()) -> dict:
        """POST with the cached token; a token WeChat rejects is renewed once."""
        for renew in (False, True):
            url = f"{self.base}{path}?access_token={self.access_token(renew=renew)}"
            answer = self._call(url, payload, accept=accept | TOKEN_REJECTED)
            if answer.get("errcode") not in TOKEN_REJECTED:
                return answer
        raise DeliveryError(f"WeChat rejected the access token: {answer}")

    def _call(self, url: str, payload: dict | None, *, accept=frozenset()) -> dict:
        data = None
        if payload is not None:
            data = json.dumps(payload, ensure_ascii=False).encode()
        # The scheme is checked in __init__: only WECHAT_API_BASE's http(s) host is opened.
        request = urllib.request.Request(  # noqa: S310
            url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read().decode() or "{}")
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise DeliveryError(f"WeChat API unreachable: {exc}") from exc
        errcode = answer.get("errcode", 0)
        if errcode and errcode not in accept:
            raise DeliveryError(f"WeChat errcode {errcode}: {answer.get('errmsg', '')}")
        return answer

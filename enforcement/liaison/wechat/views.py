"""The official account's server URL (WeChat calls it) and the page where a person binds WeChat."""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from enforcement.liaison.selectors import portal_account
from enforcement.liaison.wechat import binding, callback, crypto
from enforcement.liaison.wechat.messages import Inbound, encrypted_envelope, parse, text_reply

# WeChat's three message modes (消息加解密方式): 明文模式, 兼容模式, 安全模式.
PLAIN, COMPATIBLE, SAFE = "plain", "compatible", "safe"
MESSAGE_MODES = (PLAIN, COMPATIBLE, SAFE)


def message_mode() -> str:
    """The configured mode; an unknown value counts as safe (the system check reports it)."""
    mode = settings.WECHAT_MESSAGE_MODE
    return mode if mode in MESSAGE_MODES else SAFE


def aes_key_problem() -> str:
    """Why ``WECHAT_ENCODING_AES_KEY`` cannot decrypt messages ("" when it can)."""
    if not settings.WECHAT_ENCODING_AES_KEY:
        return "it is empty"
    try:
        _safe_mode()
    except ValueError as exc:
        return str(exc)
    return ""


def configured() -> bool:
    """The official account is set up: a token, and a usable EncodingAESKey unless in plain mode."""
    return bool(settings.WECHAT_TOKEN) and (message_mode() == PLAIN or not aes_key_problem())


def _fresh(timestamp: str) -> bool:
    try:
        return abs(time.time() - int(timestamp)) <= settings.WECHAT_TIMESTAMP_WINDOW_SECONDS
    except ValueError:
        return False


def _first_use(timestamp: str, nonce: str, body: bytes | None) -> bool:
    """A (timestamp, nonce) pair is used once (Redis SET NX with the window as expiry).

    WeChat re-posts an unanswered message with the same query string, so a POST may repeat a
    pair with the very same body (handled once by its MsgId); a different body never.
    """
    key = f"wechat-nonce:{timestamp}:{nonce}"
    digest = "url-verification" if body is None else hashlib.sha256(body).hexdigest()
    if cache.add(key, digest, timeout=2 * settings.WECHAT_TIMESTAMP_WINDOW_SECONDS):
        return True
    return body is not None and cache.get(key) == digest


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_callback(request: HttpRequest) -> HttpResponse:
    """WeChat's server protocol: URL verification (GET) and messages (POST, plain or safe mode).

    Whether a POST must be encrypted follows ``WECHAT_MESSAGE_MODE``, never the caller's
    ``encrypt_type``: in plain mode the signature does not cover the body, so in safe mode a
    request without ``encrypt_type=aes`` and a valid ``msg_signature`` is refused.
    """
    if not configured():
        raise Http404("no WeChat official account is configured")
    query = request.GET
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    token = settings.WECHAT_TOKEN
    if not crypto.signature_matches(query.get("signature", ""), token, timestamp, nonce):
        return HttpResponseForbidden("bad signature")
    body = request.body if request.method == "POST" else None
    if not _fresh(timestamp) or not _first_use(timestamp, nonce, body):
        return HttpResponseForbidden("stale or replayed request")
    if body is None:
        return HttpResponse(query.get("echostr", ""), content_type="text/plain")

    safe_mode = query.get("encrypt_type", "raw") == "aes"
    mode = message_mode()
    if mode == SAFE and not safe_mode:
        return HttpResponseForbidden("safe mode: only encrypted messages are accepted")
    if mode == PLAIN and safe_mode:
        return HttpResponseForbidden("plain mode: encrypted messages are not accepted")
    try:
        fields = parse(body)
        if safe_mode:
            encrypted = fields.get("Encrypt", "")
            if not crypto.signature_matches(
                query.get("msg_signature", ""), token, timestamp, nonce, encrypted
            ):
                return HttpResponseForbidden("bad msg_signature")
            fields = parse(_safe_mode().decrypt(encrypted))
        inbound = Inbound.from_fields(fields)
    except crypto.ProtocolError as exc:
        return HttpResponseBadRequest(str(exc))

    with translation.override(settings.LANGUAGE_CODE):
        reply = callback.receive(inbound)
    if not reply:
        return HttpResponse("success", content_type="text/plain")  # WeChat's "no reply"
    xml = text_reply(inbound, reply)
    if safe_mode:
        encrypted = _safe_mode().encrypt(xml)
        reply_timestamp, reply_nonce = str(int(time.time())), secrets.token_hex(8)
        xml = encrypted_envelope(
            encrypted,
            crypto.signature(token, reply_timestamp, reply_nonce, encrypted),
            reply_timestamp,
            reply_nonce,
        )
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


def _safe_mode() -> crypto.SafeMode:
    return crypto.SafeMode(settings.WECHAT_ENCODING_AES_KEY, settings.WECHAT_APP_ID)


@require_http_methods(["GET", "POST"])
def wechat_bind(request: HttpRequest) -> HttpResponse:
    """Ask for a binding code, see the binding, or unbind (a party or a staff member).

    Someone not signed in goes to the staff sign-in, or to the portal's when they came from the
    portal (its link adds ``?party=1``).
    """
    if not request.user.is_authenticated:
        login_url = reverse("liaison:portal-login") if request.GET.get("party") == "1" else None
        return redirect_to_login(request.get_full_path(), login_url=login_url)
    issued = None
    if request.method == "POST":
        if request.POST.get("action") == "unbind":
            if binding.unbind(user=request.user):
                messages.success(request, _("WeChat is no longer bound to your account."))
            return redirect("liaison:wechat-bind")
        issued = binding.issue_binding_code(user=request.user)
    current = binding.binding_of(request.user)
    # A party stays inside the portal's pages; staff keep the bureau's navigation.
    request.portal_account = portal_account(request.user)
    base = "liaison/portal/base.html" if request.portal_account else "base.html"
    return render(
        request,
        "liaison/wechat/bind.html",
        {
            "base_template": base,
            "binding": current,
            "masked_openid": binding.mask(current.openid) if current else "",
            "issued": issued,
        },
    )

"""Binding a person's WeChat identity (openid) to their CourtExec user (绑定微信).

The person, signed in (a party on the portal, or staff), asks for a code; sending
"绑定 <code>" to the official account from WeChat proves that openid is theirs. An openid
serves one user; a user who binds again replaces their old openid.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtexec.models import User, WechatBinding
from enforcement.liaison.wechat.models import WechatBindingCode

CODE_DIGITS = 8
# Wrong codes one openid may send per hour: 10 guesses in 10^8 codes cannot find a live one.
WRONG_CODES_PER_HOUR = 10
# Openids cost an attacker nothing to make up, so all wrong codes together are limited too
# (settings.WECHAT_WRONG_BINDING_CODES_PER_HOUR), counted in this key.
ALL_FAILURES_KEY = "wechat-bind-failures:all"


class BindingRefused(Exception):
    """The code cannot bind this openid; the message is the reply the sender gets."""


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def issue_binding_code(*, user: User) -> IssuedCode:
    """A new code for ``user``, replacing any earlier one; shown once, stored only hashed."""
    User.objects.select_for_update(of=("self",)).get(pk=user.pk)  # one request at a time
    now = timezone.now()
    WechatBindingCode.objects.filter(expires_at__lte=now).delete()
    WechatBindingCode.objects.filter(user=user).delete()
    expires_at = now + timedelta(seconds=settings.WECHAT_BINDING_CODE_SECONDS)
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        code_hash = _hash(code)
        # Two live codes may not share a hash (the callback finds the user from the code).
        if not WechatBindingCode.objects.filter(code_hash=code_hash).exists():
            break
    WechatBindingCode.objects.create(
        user=user, code_hash=code_hash, created_at=now, expires_at=expires_at
    )
    return IssuedCode(code=code, expires_at=expires_at)


@transaction.atomic
def bind(*, openid: str, code: str) -> WechatBinding:
    """Bind ``openid`` to the user whose live code this is; the code is used up."""
    failures_key = f"wechat-bind-failures:{openid}"
    if (cache.get(failures_key) or 0) >= WRONG_CODES_PER_HOUR:
        raise BindingRefused(_("Too many wrong codes. Try again in an hour."))
    if (cache.get(ALL_FAILURES_KEY) or 0) >= settings.WECHAT_WRONG_BINDING_CODES_PER_HOUR:
        raise BindingRefused(_("Too many binding attempts right now. Try again later."))
    pending = (
        WechatBindingCode.objects.select_for_update()
        .select_related("user")
        .filter(code_hash=_hash(code), expires_at__gt=timezone.now())
        .first()
    )
    if pending is None:
        _count_failure(failures_key)
        _count_failure(ALL_FAILURES_KEY)
        raise BindingRefused(
            _("This binding code is wrong or has expired. Ask for a new one on the binding page.")
        )
    user = pending.user
    if WechatBinding.objects.filter(openid=openid).exclude(user=user).exists():
        raise BindingRefused(
            _(
                "This WeChat account is already bound to another person. Unbind it there "
                "first, then send the code again."
            )
        )
    WechatBinding.objects.filter(user=user).delete()
    try:
        with transaction.atomic():
            binding = WechatBinding.objects.create(user=user, openid=openid)
    except IntegrityError as exc:  # the same openid bound to someone else a moment ago
        raise BindingRefused(_("This WeChat account is already bound to another person.")) from exc
    pending.delete()
    return binding


def _count_failure(key: str) -> None:
    """One more wrong code in the hour that began with the key's first failure."""
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this failure opens a new hour
        cache.add(key, 1, timeout=3600)


@transaction.atomic
def unbind(*, user: User) -> bool:
    """Remove the user's WeChat binding; WeChat messages no longer reach them or come from them."""
    deleted, _rows = WechatBinding.objects.filter(user=user).delete()
    return deleted > 0


def binding_of(user: User) -> WechatBinding | None:
    return WechatBinding.objects.filter(user=user).first()


def bound_user(openid: str) -> User | None:
    binding = WechatBinding.objects.select_related("user").filter(openid=openid).first()
    return binding.user if binding and binding.user.is_active else None


def mask(openid: str) -> str:
    return f"{openid[:4]}…{openid[-4:]}" if len(openid) > 8 else "…"

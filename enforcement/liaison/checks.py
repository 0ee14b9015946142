"""System checks of the WeChat official account's settings (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from enforcement.liaison.wechat.views import COMPATIBLE, MESSAGE_MODES, PLAIN, aes_key_problem


@checks.register(checks.Tags.security)
def wechat_message_mode(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.WECHAT_MESSAGE_MODE in MESSAGE_MODES:
        return []
    return [
        checks.Error(
            f"WECHAT_MESSAGE_MODE is {settings.WECHAT_MESSAGE_MODE!r}.",
            hint=f"Use one of {', '.join(MESSAGE_MODES)} (the callback treats others as safe).",
            id="liaison.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def wechat_deploy(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The callback is on (WECHAT_TOKEN set): is it set up so that nobody can forge messages?"""
    if not settings.WECHAT_TOKEN:
        return []
    found: list[checks.CheckMessage] = []
    mode = settings.WECHAT_MESSAGE_MODE
    if mode != PLAIN:
        problem = aes_key_problem()
        if problem:
            found.append(
                checks.Warning(
                    f"WECHAT_TOKEN is set but WECHAT_ENCODING_AES_KEY is not usable ({problem}).",
                    hint="Set the 43-character EncodingAESKey from the WeChat platform's server "
                    "page; until then the callback answers 404.",
                    id="liaison.W001",
                )
            )
        if not settings.WECHAT_APP_ID:
            found.append(
                checks.Warning(
                    "WECHAT_TOKEN is set but WECHAT_APP_ID is empty: encrypted messages, which "
                    "carry the AppID, are all refused.",
                    hint="Set WECHAT_APP_ID to the official account's AppID.",
                    id="liaison.W002",
                )
            )
    if mode in (PLAIN, COMPATIBLE):
        found.append(
            checks.Warning(
                f"WECHAT_MESSAGE_MODE is {mode!r}: plain messages are accepted, and their "
                "signature does not cover the body, so anyone holding one signed callback URL "
                "can post messages in any WeChat user's name.",
                hint="Choose safe mode (安全模式) on the WeChat platform and set "
                'WECHAT_MESSAGE_MODE="safe".',
                id="liaison.W003",
            )
        )
    if len(settings.WECHAT_TOKEN) < 16:
        found.append(
            checks.Warning(
                "WECHAT_TOKEN is shorter than 16 characters.",
                hint="Use a random token of 16 to 32 letters and digits.",
                id="liaison.W004",
            )
        )
    return found

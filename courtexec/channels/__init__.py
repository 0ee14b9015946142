"""Outside delivery channels (短信、邮件、微信) behind one small adapter interface.

An adapter takes an address (mobile number, email address, WeChat openid), a text and an
optional subject, and answers with the channel's own reference for the message, or raises
:class:`DeliveryError`. Which adapter serves a channel is a setting (``DELIVERY_ADAPTERS``):
the sandboxes are used by the demo and tests, real providers' adapters in production.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class DeliveryError(Exception):
    """The channel refused or could not take the message; the outbox records why.

    ``retryable``: the same message may go through later (a timeout, the provider's rate limit),
    so the relay tries again with backoff; otherwise (a bad number, a rejected signature) it is
    failed at once.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class ChannelAdapter(Protocol):
    def send(self, address: str, text: str, *, subject: str = "") -> str: ...


def adapter(channel: str) -> ChannelAdapter:
    try:
        path = settings.DELIVERY_ADAPTERS[channel]
    except KeyError:
        raise DeliveryError(f"No adapter for the {channel} channel.", retryable=False) from None
    try:
        return import_string(path)()
    except ImportError as exc:
        raise DeliveryError(f"Adapter {path} is missing: {exc}", retryable=False) from exc

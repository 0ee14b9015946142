"""Text messages (短信) through a gateway adapter.

A gateway takes a phone number and a text and answers with its own message reference or raises
:class:`SmsError`. ``SandboxSmsGateway`` is used by the demo and tests: it logs each message and
accepts it. A real provider's adapter implements the same two-line interface (see issue 8).
"""

from __future__ import annotations

import logging
import uuid
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("courtexec.sms")


class SmsError(Exception):
    pass


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> str: ...


class SandboxSmsGateway:
    """Accepts every message and writes it to the log instead of a phone."""

    def send(self, phone: str, text: str) -> str:
        reference = f"sandbox-{uuid.uuid4().hex[:16]}"
        logger.info("SMS to %s [%s]: %s", phone, reference, text)
        return reference


def gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()

"""Text messages (短信): the sandbox gateway used by the demo and tests."""

from __future__ import annotations

import logging
import uuid

logger = logging.getLogger("courtexec.channels.sms")


class SandboxSms:
    """Accepts every message and writes it to the log instead of a phone; the outbox row
    (``Delivery``) keeps the text, so the demo reads one-time codes there."""

    def send(self, address: str, text: str, *, subject: str = "") -> str:
        reference = f"sandbox-{uuid.uuid4().hex[:16]}"
        logger.info("SMS to %s [%s]: %s", address, reference, text)
        return reference

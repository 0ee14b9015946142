"""Text messages (短信): the sandbox gateway used by the demo and tests."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache

logger = logging.getLogger("courtexec.channels.sms")

# The sandbox's "phone": what it sent to a number in the last minutes, newest last, in the cache
# (Redis, shared by the web processes and the workers). The outbox masks a sign-in code once
# sent, so the demo and the browser tests read the code here.
SANDBOX_PHONE_SECONDS = 600
SANDBOX_PHONE_KEEPS = 20


def _sandbox_key(address: str) -> str:
    return f"sandbox-sms:{address}"


class SandboxSms:
    """Accepts every message, writes it to the log and keeps it on the sandbox phone."""

    def send(self, address: str, text: str, *, subject: str = "") -> str:
        reference = f"sandbox-{uuid.uuid4().hex[:16]}"
        logger.info("SMS to %s [%s]: %s", address, reference, text)
        key = _sandbox_key(address)
        cache.set(key, [*cache.get(key, []), text][-SANDBOX_PHONE_KEEPS:], SANDBOX_PHONE_SECONDS)
        return reference


def sandbox_phone(address: str) -> list[str]:
    """The texts the sandbox gateway sent to ``address`` lately, newest last (demo, tests)."""
    return list(cache.get(_sandbox_key(address), []))

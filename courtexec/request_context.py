"""The id of the request (or task) being served, for logs and history rows."""

from __future__ import annotations

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def accept_or_new(candidate: str | None) -> str:
    """Keep a caller's id when it is safe to log and store; otherwise make a new one."""
    if candidate and _VALID.match(candidate):
        return candidate
    return uuid.uuid4().hex


def bind(request_id: str) -> contextvars.Token:
    return _request_id.set(request_id)


def unbind(token: contextvars.Token) -> None:
    _request_id.reset(token)

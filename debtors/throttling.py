"""A per-address rate limit for the public pages, counted atomically in Redis (the cache).

A fixed window: ``INCR`` of one key per client address and window, which expires with the
window. DRF's ``SimpleRateThrottle`` keeps a list of timestamps per client and rewrites it on
every request (read-modify-write, not atomic, and its size grows with the rate); a counter is
one round trip and exact under concurrency. The same class limits the API (as a DRF throttle)
and the HTML page (``allow()``), so both doors share one budget per address.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/minute"`` → (30, 60)."""
    count, _slash, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[0]]


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, unless DRF's ``NUM_PROXIES`` says how many
    proxies in front may be trusted to append to ``X-Forwarded-For`` (a client could otherwise
    dodge the limit by sending the header itself)."""
    if api_settings.NUM_PROXIES is not None:
        return SimpleRateThrottle().get_ident(request)
    return request.META.get("REMOTE_ADDR", "")


class PublicSearchThrottle(BaseThrottle):
    """``settings.PUBLIC_SEARCH_RATE`` searches per client address (429 beyond)."""

    scope = "public_search"

    def __init__(self) -> None:
        self.wait_seconds: float | None = None

    def allow_request(self, request, view=None) -> bool:
        limit, window = parse_rate(settings.PUBLIC_SEARCH_RATE)
        now = time.time()
        slot = int(now // window)
        key = cache.make_and_validate_key(
            f"throttle:{self.scope}:{client_address(request)}:{window}:{slot}"
        )
        # One round trip: INCR creates the key at 1; the key names its window, so setting its
        # expiry again on every request changes nothing but keeps the pair atomic enough.
        client = cache._cache.get_client(key, write=True)
        pipe = client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, window + 1)
        used = pipe.execute()[0]
        if used <= limit:
            return True
        self.wait_seconds = (slot + 1) * window - now
        return False

    def wait(self) -> float | None:
        return self.wait_seconds

    allow = allow_request

"""Beat's scheduler, with a heartbeat that ``/healthz`` reads to tell whether beat is alive."""

from __future__ import annotations

import time

from django.core.cache import cache
from django_celery_beat.schedulers import DatabaseScheduler

HEARTBEAT_KEY = "health:beat:heartbeat"


def record_heartbeat(now: float | None = None) -> None:
    cache.set(HEARTBEAT_KEY, now if now is not None else time.time(), timeout=None)


def last_heartbeat() -> float | None:
    return cache.get(HEARTBEAT_KEY)


class HeartbeatScheduler(DatabaseScheduler):
    """django-celery-beat's database scheduler that also writes a heartbeat on every tick."""

    def tick(self, *args, **kwargs):
        record_heartbeat()
        return super().tick(*args, **kwargs)

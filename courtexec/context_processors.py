from __future__ import annotations

from django.conf import settings

from courtexec.sections import SECTIONS
from courtexec.selectors import unread_count


def shell(request) -> dict:
    """What the base template needs on every page: the sections and the languages."""
    return {
        "nav_sections": SECTIONS,
        "debug": settings.DEBUG,
        # Counted only when a page renders the badge (one query).
        "unread_notifications": lambda: unread_count(request.user),
    }

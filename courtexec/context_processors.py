from __future__ import annotations

from django.conf import settings

from courtexec.sections import SECTIONS
from courtexec.selectors import unread_count


def shell(request) -> dict:
    """What the base template needs on every page: the sections and the languages."""
    user = getattr(request, "user", None)
    return {
        "nav_sections": [s for s in SECTIONS if user is not None and s.visible_to(user)],
        "debug": settings.DEBUG,
        "tip_hotline": settings.DEBTORS_TIP_HOTLINE,
        # Counted only when a page renders the badge (one query).
        "unread_notifications": lambda: unread_count(user),
    }

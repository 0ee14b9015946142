from __future__ import annotations

from django.conf import settings

from courtexec.sections import SECTIONS


def shell(request) -> dict:
    """What the base template needs on every page: the sections and the languages."""
    return {"nav_sections": SECTIONS, "debug": settings.DEBUG}

from __future__ import annotations

from django.conf import settings

from courtexec.sections import SECTIONS


def shell(request) -> dict:
    """What the base template needs on every page: the sections and the languages."""
    user = getattr(request, "user", None)
    sections = [s for s in SECTIONS if user is not None and s.visible_to(user)]
    return {"nav_sections": sections, "debug": settings.DEBUG}

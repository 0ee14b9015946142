"""``{% standby_on_duty %}``: the standby team on duty now, for the dashboard (one query)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from standby import selectors

register = template.Library()


@register.inclusion_tag("standby/_on_duty_card.html", takes_context=True)
def standby_on_duty(context) -> dict:
    user = context["request"].user
    if user.court_id is None or not user.has_perm("standby.view_shift"):
        return {"show": False}
    return {"show": True, "shift": selectors.shift_at(user.court_id, timezone.now())}

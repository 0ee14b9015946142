"""Template filters of the case-funds pages: money in fen shown as yuan, tier colours."""

from __future__ import annotations

from django import template

from casefunds.models import yuan as to_yuan

register = template.Library()

PAYOUT_BADGES = {
    "draft": "text-bg-secondary",
    "approved": "text-bg-info",
    "reviewed": "text-bg-primary",
    "submitting": "text-bg-warning",
    "submitted": "text-bg-warning",
    "paid": "text-bg-success",
    "failed": "text-bg-danger",
    "returned": "text-bg-danger",
    "rejected": "text-bg-dark",
}
TIER_BADGES = {
    "info": "text-bg-info",
    "warning": "text-bg-warning",
    "orange": "badge-orange",
    "danger": "text-bg-danger",
}


@register.filter
def yuan(fen) -> str:
    """Fen as yuan with thousands separators: 123456 → "1,234.56"."""
    if fen in (None, ""):
        return ""
    return f"{to_yuan(int(fen)):,}"


@register.filter
def abs_yuan(fen) -> str:
    """The size of a signed posting, as yuan."""
    return yuan(abs(int(fen)))


@register.filter
def payout_badge(status: str) -> str:
    return PAYOUT_BADGES.get(status, "text-bg-light")


@register.filter
def tier_badge(colour: str) -> str:
    return TIER_BADGES.get(colour, "text-bg-warning")

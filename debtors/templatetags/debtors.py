"""Template tags the case file borrows from the debtors app: the red flag of an expired freeze
and the case file's debtors tabs (so enforcement knows no more of debtors than these hooks)."""

from __future__ import annotations

from django import template

from debtors import selectors
from debtors.models import AssetClass

register = template.Library()


@register.inclusion_tag("debtors/_expired_flag.html")
def expired_freeze_flag(case) -> dict:
    """A red badge when a freeze of the case passed its end unreleased and unrenewed."""
    return {"case": case, "expired": selectors.case_has_expired_freeze(case)}


@register.filter
def asset_class_labels(classes) -> str:
    """An investigation request's asset classes, translated, joined for a table cell."""
    return "、".join(str(AssetClass(c).label) for c in classes or ())

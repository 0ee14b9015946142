"""Time limits of enforcement, computed in one place (BRIEF §1).

A case must be concluded within 6 months of filing (3 for non-litigation instruments); the
president may extend that by at most 3 months in all. Objections are reviewed within 15 days;
a coercive measure's higher-court review is requested within 3 days and decided within 5.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings

LITIGATION_LIMIT_MONTHS = 6
NON_LITIGATION_LIMIT_MONTHS = 3
MAX_EXTENSION_MONTHS = 3
OBJECTION_REVIEW_DAYS = 15
DETENTION_MAX_DAYS = 15
FAMILY_NOTICE_HOURS = 24
REVIEW_REQUEST_DAYS = 3
REVIEW_DECISION_DAYS = 5


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; a day past the target month's end clips to that end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def limit_months(instrument_kind: str) -> int:
    from enforcement.models import EnforcementCase

    if instrument_kind == EnforcementCase.InstrumentKind.NON_LITIGATION:
        return NON_LITIGATION_LIMIT_MONTHS
    return LITIGATION_LIMIT_MONTHS


def case_due_date(filed_on: dt.date, instrument_kind: str, extension_months: int = 0) -> dt.date:
    return add_months(filed_on, limit_months(instrument_kind) + extension_months)


def objection_review_due(filed_on: dt.date) -> dt.date:
    return filed_on + dt.timedelta(days=OBJECTION_REVIEW_DAYS)


def consultation_threshold(today: dt.date) -> dt.date:
    """Cases filed on or before this day have been open longer than the consultation period."""
    return add_months(today, -settings.CONSULTATION_AFTER_MONTHS)


def due_soon_limit(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=settings.CASE_DUE_SOON_DAYS)

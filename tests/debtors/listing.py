"""Helpers that put respondents on the published list, for the exposure and list-API tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from debtors import rules, services
from debtors.models import BlacklistEntry
from tests.debtors.conftest import respondent_of

DECIDED = dt.date(2026, 3, 2)
# 2026-03-02 09:00 UTC: a Monday, after the decision date.
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def assessment(case) -> rules.CoverageAssessment:
    return rules.CoverageAssessment(
        assessed_by="王法官",
        assessed_on=DECIDED,
        security_given=False,
        frozen_property_value=Decimal("0"),
        outstanding=case.outstanding,
    )


def propose(case, judge, *, until_deleted: bool = False, number: str = "之一") -> BlacklistEntry:
    """A proposal on ground 3 (two years) or ground 1 (until deleted, with the assessment)."""
    grounds = [rules.Ground.REFUSES_DESPITE_ABILITY] if until_deleted else [rules.Ground.EVADES]
    return services.propose_listing(
        case=case,
        respondent=respondent_of(case),
        grounds=grounds,
        facts="有履行能力而拒不履行",
        decision_number=f"(2026)浙0103执100号{number}",
        decided_on=DECIDED,
        assessment=assessment(case) if until_deleted else None,
        user=judge,
    )


def publish(case, judge, president, **kwargs) -> BlacklistEntry:
    entry = propose(case, judge, **kwargs)
    services.approve_listing(entry=entry, user=president)
    services.record_listing_service(entry=entry, served_on=DECIDED, user=judge)
    return services.publish_listing(entry=entry, user=judge)

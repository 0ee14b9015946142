"""The reply-time figure per judge, against hand-built timestamps."""

from __future__ import annotations

import datetime as dt

import pytest

from courtexec.roles import Role
from enforcement.liaison import selectors
from tests.liaison.messaging_helpers import TUESDAY, at, party_writes, staff_writes

pytestmark = pytest.mark.django_db


def test_median_p90_and_unanswered_per_judge(
    applicant_account, respondent_account, case, judge, staff
):
    day = TUESDAY
    # Before the period: a run begun on Monday and answered on Tuesday is not counted.
    early = party_writes(applicant_account, case, at(day - dt.timedelta(days=1), 16)).thread
    staff_writes(early, judge, at(day, 9))
    # Applicant: 10:00 (and 10:30, the same run) answered 12:00 → 2 h; 14:00 → 14:30 → 30 min.
    party_writes(applicant_account, case, at(day, 10))
    party_writes(applicant_account, case, at(day, 10, 30))
    staff_writes(early, judge, at(day, 12))
    party_writes(applicant_account, case, at(day, 14))
    staff_writes(early, judge, at(day, 14, 30))
    # Respondent: 09:00 answered 15:00 → 6 h; 16:00 still waiting.
    other = party_writes(respondent_account, case, at(day, 9)).thread
    staff_writes(other, judge, at(day, 15))
    party_writes(respondent_account, case, at(day, 16))

    [figure] = selectors.reply_times(
        staff[Role.SECTION_CHIEF], start=at(day, 0), end=at(day + dt.timedelta(days=1), 0)
    )
    assert figure.judge == judge
    assert figure.answered == 3
    assert figure.median == dt.timedelta(hours=2)
    assert figure.p90 == dt.timedelta(hours=6)  # nearest rank: the 3rd of 3
    assert figure.unanswered == 1


def test_another_courts_chief_sees_no_figures(applicant_account, case, judge_b):
    party_writes(applicant_account, case, at(TUESDAY, 10))
    start, end = at(TUESDAY, 0), at(TUESDAY + dt.timedelta(days=1), 0)
    assert selectors.reply_times(judge_b, start=start, end=end) == []

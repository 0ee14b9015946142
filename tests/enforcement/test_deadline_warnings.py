"""Time-limit warnings (执行期限预警): the daily job tells the judge once when a case enters its
last weeks and once when it is overdue (the section chiefs too), and again after an extension
moves the due date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from courtexec.models import Notification
from courtexec.roles import Role
from enforcement import services
from enforcement.models import DeadlineWarning, EnforcementCase

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_due_soon_is_told_once_then_overdue_to_the_judge_and_section_chief(case, staff, settings):
    settings.CASE_DUE_SOON_DAYS = 30
    judge, chief = case.judge, staff[Role.SECTION_CHIEF]
    too_early = case.due_on - dt.timedelta(days=31)
    assert services.warn_deadlines(today=too_early) == 0
    soon = case.due_on - dt.timedelta(days=30)
    assert services.warn_deadlines(today=soon) == 1
    assert services.warn_deadlines(today=soon + dt.timedelta(days=1)) == 0  # told once
    assert kinds(judge).count("case.due_soon") == 1 and "case.due_soon" not in kinds(chief)

    late = case.due_on + dt.timedelta(days=1)
    assert services.warn_deadlines(today=late) == 1
    assert services.warn_deadlines(today=late) == 0
    assert kinds(judge).count("case.overdue") == 1 and kinds(chief) == ["case.overdue"]
    assert set(DeadlineWarning.objects.values_list("stage", flat=True)) == {
        "due_soon",
        "overdue",
    }


def test_a_moved_due_date_is_told_again_and_a_closed_case_never(case, court_a, staff):
    soon = case.due_on - dt.timedelta(days=5)
    assert services.warn_deadlines(today=soon) == 1
    EnforcementCase.objects.filter(pk=case.pk).update(due_on=F("due_on") + dt.timedelta(days=90))
    case.refresh_from_db()
    assert services.warn_deadlines(today=case.due_on - dt.timedelta(days=5)) == 1
    assert DeadlineWarning.objects.filter(case=case).count() == 2

    EnforcementCase.objects.filter(pk=case.pk).update(
        status=EnforcementCase.Status.CONCLUDED,
        closure_mode=EnforcementCase.ClosureMode.PERFORMED,
        closed_on=case.due_on,
    )
    assert services.warn_deadlines(today=case.due_on + dt.timedelta(days=10)) == 0


def test_another_courts_chief_is_not_told(case, court_b):
    from tests.factories import UserFactory

    other_chief = UserFactory(username="b_section", court=court_b, roles=[Role.SECTION_CHIEF])
    assert services.warn_deadlines(today=case.due_on + dt.timedelta(days=1)) == 1
    assert kinds(other_chief) == []

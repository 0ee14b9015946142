"""Fixtures for callout tests: a shift on duty, a case against a person, the police liaison."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from courtexec.roles import Role
from enforcement.models import EnforcementCase
from standby import services
from standby.models import Shift
from tests.enforcement.fixtures import PERSON_ID_2, file_case
from tests.factories import UserFactory

SH = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SH)


@pytest.fixture
def team(court_a):
    return {
        "leader": UserFactory(
            username="duty_leader", court=court_a, roles=[Role.BUREAU_CHIEF], phone="13900000011"
        ),
        "judge": UserFactory(
            username="duty_judge", court=court_a, roles=[Role.JUDGE], phone="13900000012"
        ),
        "police": UserFactory(
            username="duty_police", court=court_a, roles=[Role.JUDICIAL_POLICE], phone="13900000013"
        ),
    }


def make_shift(court, team, start: dt.datetime, hours: int = 24) -> Shift:
    return Shift.objects.create(
        court=court, starts_at=start, ends_at=start + dt.timedelta(hours=hours), **team
    )


@pytest.fixture
def liaison(court_a):
    return UserFactory(username="police_liaison", court=court_a, roles=[Role.POLICE_LIAISON])


@pytest.fixture
def person_case(court_a, judge, applicant, person_respondent) -> EnforcementCase:
    return file_case(court_a, judge, applicant, person_respondent)


def report(court, user, caught_at: dt.datetime, **overrides):
    fields = {
        "police_station": "武林派出所",
        "police_officer": "赵警官",
        "police_phone": "13800138000",
        "caught_at": caught_at,
        "person_name": "王五",
        "person_id_number": PERSON_ID_2,
        "wanted_reference": "(2016)浙0103执1号",
    }
    fields.update(overrides)
    return services.report_callout(court=court, user=user, report=services.CalloutReport(**fields))

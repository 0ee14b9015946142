"""Fixtures for debtors tests: the investigation group on a rotation, a second case of the same
respondent, and a search request the group has worked."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from courtexec.roles import Role
from debtors import services
from debtors.models import AssetClass
from enforcement.models import CaseParty
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def investigators(staff, court_a):
    """The three assistants of the investigation group (查控组), in rota order."""
    second = UserFactory(username="a_investigator_2", court=court_a, roles=[Role.INVESTIGATOR])
    third = UserFactory(username="a_investigator_3", court=court_a, roles=[Role.INVESTIGATOR])
    return [staff[Role.INVESTIGATOR], second, third]


@pytest.fixture
def rotation(court_a, staff, investigators):
    return services.set_rotation(
        court=court_a,
        members=investigators,
        period_days=7,
        start_date=dt.date(2026, 3, 2),
        user=staff[Role.BUREAU_CHIEF],
    )


@pytest.fixture
def investigator(investigators):
    return investigators[0]


@pytest.fixture
def second_case(court_a, judge, applicant, respondent):
    return file_case(
        court_a, judge, applicant, respondent, instrument_number="(2016)浙0103民初200号"
    )


def respondent_of(case) -> CaseParty:
    return case.parties.get(role=CaseParty.Role.RESPONDENT)


@pytest.fixture
def travel():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def bank_finding(case, judge, investigator, rotation, travel):
    """The respondent's first bank account, found by the group for ``case``."""
    request = services.request_investigation(
        case=case,
        respondent=respondent_of(case),
        asset_classes=[AssetClass.BANK_DEPOSIT],
        user=judge,
    )
    services.perform_searches(request=request, user=investigator)
    return request.searches.get().findings.order_by("pk").first()


def today():
    return timezone.localdate()

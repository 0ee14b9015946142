"""Fixtures for enforcement tests: a court with one person per role, parties and a filed case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from courtexec.roles import Role
from enforcement import services
from enforcement.models import CaseParty, EnforcementCase, Party
from tests.factories import UserFactory

# Valid fictitious identity numbers (check digits computed with python-stdnum).
PERSON_ID = "11010519491231002X"
PERSON_ID_2 = "110105198001010016"
CREDIT_CODE = "91110000600037341L"


@pytest.fixture
def staff(court_a):
    """One account per role in court A, plus a ticket clerk (a clerk given buy_tickets)."""
    people = {
        role: UserFactory(username=f"a_{role.value}", court=court_a, roles=[role]) for role in Role
    }
    ticket_clerk = UserFactory(username="a_ticket_clerk", court=court_a, roles=[Role.CLERK])
    ticket_clerk.user_permissions.add(Permission.objects.get(codename="buy_tickets"))
    people["ticket_clerk"] = ticket_clerk
    return people


@pytest.fixture
def judge(staff):
    return staff[Role.JUDGE]


@pytest.fixture
def applicant(court_a):
    return services.register_party(
        court=court_a, kind=Party.Kind.PERSON, name="张三", id_number=PERSON_ID, phone="13900000001"
    )


@pytest.fixture
def respondent(court_a):
    return services.register_party(
        court=court_a,
        kind=Party.Kind.ORGANISATION,
        name="杭州某某贸易有限公司",
        id_number=CREDIT_CODE,
        legal_representative="李四",
    )


@pytest.fixture
def person_respondent(court_a):
    return services.register_party(
        court=court_a, kind=Party.Kind.PERSON, name="王五", id_number=PERSON_ID_2
    )


def file_case(court, officer, applicant, respondent, **overrides) -> EnforcementCase:
    """File a case with defaults; ``officer`` files it and is its judge unless overridden."""
    arguments = {
        "court": court,
        "user": officer,
        "type_code": EnforcementCase.TypeCode.FIRST,
        "category": EnforcementCase.Category.FINANCIAL,
        "issuing_body": "杭州市下城区人民法院",
        "instrument_number": "(2016)浙0103民初100号",
        "instrument_effective_on": dt.date(2016, 3, 1),
        "instrument_kind": EnforcementCase.InstrumentKind.LITIGATION,
        "amount_to_enforce": Decimal("120000.00"),
        "filed_on": dt.date(2016, 4, 1),
        "judge": officer,
        "parties": [
            services.PartyRole(
                party=applicant,
                role=CaseParty.Role.APPLICANT,
                payee_bank="中国工商银行杭州分行",
                payee_account_number="6222020202020202020",
            ),
            services.PartyRole(party=respondent, role=CaseParty.Role.RESPONDENT),
        ],
    }
    arguments.update(overrides)
    return services.file_case(**arguments)


@pytest.fixture
def case(court_a, judge, applicant, respondent):
    return file_case(court_a, judge, applicant, respondent)


@pytest.fixture
def office_open(settings):
    """The court's office is open all day today (a make-up working day if today is a day off),
    so a message sent "now" gets no out-of-hours automatic reply whenever the suite runs."""
    from django.utils import timezone

    from courtexec.models import CalendarDay
    from courtexec.working_days import clear_cache

    settings.COURT_OFFICE_HOURS = "00:00-23:59:59.999999"
    today = timezone.localdate()
    CalendarDay.objects.update_or_create(date=today, defaults={"kind": CalendarDay.Kind.WORKDAY})
    clear_cache()

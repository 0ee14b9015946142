"""Fixtures of the liaison tests: the applicant (mobile 13900000001) and the respondent (given
mobile 13900000002) of the shared filed case, each with a portal account and a signed-in
client, and a second party's case in the same court that neither may see."""

from __future__ import annotations

import pytest
from django.test import Client

from courtexec.roles import Role
from enforcement.liaison.models import PortalAccount
from enforcement.models import Party
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

APPLICANT_PHONE = "13900000001"
RESPONDENT_PHONE = "13900000002"
OTHER_PHONE = "13900000003"


def make_account(phone: str) -> PortalAccount:
    user = UserFactory(username=f"p{phone}", court=None, roles=[Role.PARTY])
    user.set_unusable_password()
    user.save()
    return PortalAccount.objects.create(user=user, phone=phone)


def signed_in(account: PortalAccount) -> Client:
    client = Client()
    client.force_login(account.user)
    return client


@pytest.fixture
def applicant_account(case):
    return make_account(APPLICANT_PHONE)


@pytest.fixture
def respondent_account(case, respondent):
    respondent.phone = RESPONDENT_PHONE
    respondent.save(update_fields=["phone"])
    return make_account(RESPONDENT_PHONE)


@pytest.fixture
def applicant_client(applicant_account):
    return signed_in(applicant_account)


@pytest.fixture
def respondent_client(respondent_account):
    return signed_in(respondent_account)


@pytest.fixture
def other_case(court_a, judge, respondent):
    """A case of another applicant (mobile 13900000003) against the same respondent."""
    other = Party.objects.create(
        registered_by=court_a, kind=Party.Kind.PERSON, name="赵七", phone=OTHER_PHONE
    )
    other.courts.add(court_a)
    return file_case(court_a, judge, other, respondent)


@pytest.fixture
def other_account(other_case):
    return make_account(OTHER_PHONE)

"""Courts for the command centre's tests: an intermediate court over courts A and B, and the
people who look at figures (a judge, a bureau chief and presidents)."""

from __future__ import annotations

import pytest

from courtexec.models import Court
from courtexec.roles import Role
from tests.factories import CourtFactory, UserFactory


@pytest.fixture
def court_h(court_a, court_b):
    """杭州中院, the court above A and B."""
    higher = CourtFactory(code="浙01", name="杭州市中级人民法院", level=Court.Level.INTERMEDIATE)
    Court.objects.filter(pk__in=[court_a.pk, court_b.pk]).update(parent=higher)
    court_a.refresh_from_db()
    court_b.refresh_from_db()
    return higher


@pytest.fixture
def chief_a(court_a):
    return UserFactory(username="cc_chief_a", court=court_a, roles=[Role.BUREAU_CHIEF])


@pytest.fixture
def judge_only_a(court_a):
    return UserFactory(username="cc_judge_a", court=court_a, roles=[Role.JUDGE])


@pytest.fixture
def president_h(court_h):
    """The intermediate court's president: sees A, B and H."""
    return UserFactory(username="cc_president_h", court=court_h, roles=[Role.PRESIDENT])


@pytest.fixture
def chief_b(court_b):
    return UserFactory(username="cc_chief_b", court=court_b, roles=[Role.BUREAU_CHIEF])

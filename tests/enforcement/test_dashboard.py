"""The dashboard's case tiles count the records of the user's courts only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from courtexec.roles import Role
from enforcement import services
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tile(page: str, testid: str) -> int:
    return int(re.search(rf'data-testid="{testid}">(\d+)<', page).group(1))


def test_tiles_match_the_records(court_a, court_b, judge, applicant, respondent):
    today = timezone.localdate()
    file_case(court_a, judge, applicant, respondent)  # 2016: open and long overdue
    done = file_case(court_a, judge, applicant, respondent, filed_on=today)
    services.close_case(case=done, user=judge, mode="withdrawn", reason="撤回")
    soon = file_case(court_a, judge, applicant, respondent, filed_on=today - dt.timedelta(days=170))
    other_judge = UserFactory(court=court_b, roles=[Role.JUDGE])
    file_case(court_b, other_judge, applicant, respondent)

    client = Client()
    client.force_login(judge)
    page = client.get("/").content.decode()
    assert tile(page, "tile-open-cases") == 2
    assert tile(page, "tile-overdue") == 1
    assert tile(page, "tile-due-soon") == (1 if soon.due_on >= today else 0)
    assert tile(page, "tile-consultation") == 2
    assert tile(page, "tile-filed") == (2 if soon.filed_on.year == today.year else 1)
    assert tile(page, "tile-concluded") == 1
    assert 'href="/cases/?deadline=overdue"' in page


def test_dashboard_query_count_does_not_grow(
    court_a, judge, applicant, respondent, django_assert_max_num_queries
):
    client = Client()
    client.force_login(judge)
    client.get("/")
    for _ in range(5):
        file_case(court_a, judge, applicant, respondent)
    # 12, plus one for the standby tile (who is on duty now, with the three people).
    with django_assert_max_num_queries(13):
        assert client.get("/").status_code == 200

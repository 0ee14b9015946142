"""The figures of the list in Chromium: Chart.js (vendored) draws four counts and the rate by
month from the embedded data, on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtexec.roles import Role
from debtors import rules, services
from enforcement import services as enforcement
from enforcement.models import CaseParty, Party
from tests.browser.test_cases import log_in
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID, file_case
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def listed():
    """A case whose respondent passed the notice's deadline and was listed this month."""
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    judge = UserFactory(username="xc_judge", display_name="王法官", court=court, roles=[Role.JUDGE])
    president = UserFactory(username="xc_president", court=court, roles=[Role.PRESIDENT])
    applicant = enforcement.register_party(
        court=court, kind=Party.Kind.PERSON, name="张三", id_number=PERSON_ID
    )
    respondent = enforcement.register_party(
        court=court, kind=Party.Kind.ORGANISATION, name="杭州某某贸易有限公司",
        id_number=CREDIT_CODE, legal_representative="李四",
    )  # fmt: skip
    today = timezone.localdate()
    case = file_case(court, judge, applicant, respondent, filed_on=today - dt.timedelta(days=60))
    enforcement.record_milestone(
        case=case, user=judge, milestone="execution_notice_sent_on",
        on=today - dt.timedelta(days=55),
    )  # fmt: skip
    entry = services.propose_listing(
        case=case, respondent=case.parties.get(role=CaseParty.Role.RESPONDENT),
        grounds=[rules.Ground.EVADES], facts="转移财产", decision_number="(2026)浙0103执1号之一",
        decided_on=today, user=judge,
    )  # fmt: skip
    services.approve_listing(entry=entry, user=president)
    services.publish_listing(entry=entry, user=judge)
    return today


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_the_chart_draws_counts_and_the_rate(request, listed, live_server, fixture):
    page = request.getfixturevalue(fixture)
    log_in(page, live_server.url, "xc_judge")
    start = (listed - dt.timedelta(days=70)).replace(day=1)
    page.goto(f"{live_server.url}/debtors/figures/?from={start}&to={listed}")
    assert page.get_by_test_id("figure-listings").inner_text() == "1"
    assert page.get_by_test_id("figure-inclusion_rate").inner_text() == "100.0%"
    datasets = page.evaluate(
        "Chart.getChart('figures-chart').data.datasets.map(d => [d.type, d.data])"
    )
    assert [kind for kind, _data in datasets] == ["bar"] * 4 + ["line"]
    assert sum(datasets[0][1]) == 1  # one listing
    assert 100 in datasets[4][1]  # the month of the deadline: listed ÷ past = 100 %
    assert page.locator("#inclusion-definition").is_visible()

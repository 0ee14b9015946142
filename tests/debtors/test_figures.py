"""Figures of the list (listings, deletions, restrictions, inclusion rate) against a hand-built
dataset with known answers, through the selector, the API and the page; an empty period; the
campaign count of blacklist entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from courtexec.roles import Role
from debtors import rules, selectors, services
from enforcement import selectors as enforcement_selectors
from enforcement import services as enforcement
from enforcement.models import CaseParty, EnforcementCase, Party
from tests.enforcement.fixtures import file_case

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
END = dt.date(2026, 4, 30)
FILED = dt.date(2026, 1, 5)
G = rules.Ground


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI))


def organisation(court, name: str) -> Party:
    return enforcement.register_party(court=court, kind=Party.Kind.ORGANISATION, name=name)


def new_case(court, judge, applicant, *respondents, notice_on=None, **overrides):
    parties = [
        enforcement.PartyRole(
            party=applicant,
            role=CaseParty.Role.APPLICANT,
            payee_bank="中国工商银行杭州分行",
            payee_account_number="6222020202020202020",
        ),
        *(enforcement.PartyRole(party=r, role=CaseParty.Role.RESPONDENT) for r in respondents),
    ]
    case = file_case(court, judge, applicant, respondents[0], filed_on=FILED, parties=parties,
                     instrument_number=f"(2025)浙0103民初{Party.objects.count()}号",
                     **overrides)  # fmt: skip
    if notice_on:
        enforcement.record_milestone(
            case=case, user=judge, milestone="execution_notice_sent_on", on=notice_on
        )
    return case


def publish(case, link, judge, president, on, grounds=(G.EVADES,)):
    with at(on):
        entry = services.propose_listing(
            case=case, respondent=link, grounds=list(grounds), facts="规避执行",
            decision_number=f"(2026)浙0103执{case.pk}-{link.pk}号", decided_on=on, user=judge,
            assessment=rules.CoverageAssessment("王法官", on, False, Decimal(0), case.outstanding),
        )  # fmt: skip
        services.approve_listing(entry=entry, user=president)
        return services.publish_listing(entry=entry, user=judge)


def respondents(case) -> list[CaseParty]:
    return list(case.parties.filter(role=CaseParty.Role.RESPONDENT).order_by("pk"))


@pytest.fixture
def dataset(court_a, court_b, staff, judge_b, applicant, settings):
    """Known answers (notice period 10 days):

    March: 3 respondents past their deadline (case 1's two, case 2's one), 2 listed (case 1's),
    2 listings, 3 restrictions issued (two with the listings, one by hand for case 2).
    April: 1 past (case 3), listed and then deleted; its restriction lifted.
    Excluded: a case closed before its deadline, a deadline in May, a preservation case,
    another court's case.
    """
    settings.DEBTORS_PERFORMANCE_NOTICE_DAYS = 10
    judge, president = staff[Role.JUDGE], staff[Role.PRESIDENT]
    name = iter(f"杭州甲{i}贸易有限公司" for i in range(20))
    org = lambda: organisation(court_a, next(name))  # noqa: E731
    # Case 1: two respondents, deadline 7 March, both listed on 10 March.
    one = new_case(court_a, judge, applicant, org(), org(), notice_on=dt.date(2026, 2, 25))
    for link in respondents(one):
        publish(one, link, judge, president, dt.date(2026, 3, 10))
    # Case 2: deadline 15 March, not listed; a restriction by hand on 20 March.
    two = new_case(court_a, judge, applicant, org(), notice_on=dt.date(2026, 3, 5))
    with at(dt.date(2026, 3, 20)):
        services.issue_restriction(case=two, respondent=respondents(two)[0], user=judge)
    # Case 3: deadline 4 April; listed 10 April (ground 1), deleted and lifted 20 April.
    three = new_case(court_a, judge, applicant, org(), notice_on=dt.date(2026, 3, 25))
    entry = publish(three, respondents(three)[0], judge, president, dt.date(2026, 4, 10),
                    grounds=[G.REFUSES_DESPITE_ABILITY])  # fmt: skip
    with at(dt.date(2026, 4, 20)):
        services.delete_listing(
            entry=entry, ground=rules.DeletionGround.APPLICANT_REQUEST,
            arose_on=dt.date(2026, 4, 20), user=judge,
        )  # fmt: skip
        services.lift_restriction(
            order=entry.restriction_order, reason=rules.LiftingReason.SECURITY,
            note="提供担保", user=judge,
        )  # fmt: skip
    # Excluded: closed (withdrawn) on 8 March before its deadline of 11 March ...
    four = new_case(court_a, judge, applicant, org(), notice_on=dt.date(2026, 3, 1))
    enforcement.close_case(
        case=four, user=judge, mode="withdrawn", reason="撤回申请", on=dt.date(2026, 3, 8)
    )
    # ... a deadline in May, a preservation case, another court's case.
    new_case(court_a, judge, applicant, org(), notice_on=dt.date(2026, 4, 25))
    new_case(court_a, judge, applicant, org(), notice_on=dt.date(2026, 3, 1),
             type_code=EnforcementCase.TypeCode.PRESERVATION)  # fmt: skip
    other = new_case(court_b, judge_b, applicant, organisation(court_b, "上城某公司"),
                     notice_on=dt.date(2026, 3, 1))  # fmt: skip
    assert other.court == court_b
    return {"one": one, "two": two, "three": three}


def test_figures_of_the_hand_built_dataset(dataset, judge):
    numbers = selectors.figures(user=judge, start=MARCH, end=END)
    march, april = numbers.months
    assert (march.start, march.end, april.start, april.end) == (
        MARCH,
        dt.date(2026, 3, 31),
        APRIL,
        END,
    )
    assert (march.listings, march.deletions, march.restrictions_issued) == (2, 0, 3)
    assert (march.restrictions_lifted, march.past_deadline, march.listed) == (0, 3, 2)
    assert march.inclusion_rate == Decimal("66.7")
    assert (april.listings, april.deletions, april.restrictions_issued) == (1, 1, 1)
    assert (april.restrictions_lifted, april.past_deadline, april.listed) == (1, 1, 1)
    assert april.inclusion_rate == Decimal("100.0")
    total = numbers.total
    assert (total.listings, total.deletions, total.corrections) == (3, 1, 0)
    assert (total.restrictions_issued, total.restrictions_lifted) == (4, 1)
    assert (total.past_deadline, total.listed, total.inclusion_rate) == (4, 3, Decimal("75.0"))
    # A period cut inside a month counts only its days.
    assert selectors.figures(user=judge, start=dt.date(2026, 3, 11), end=END).total.listings == 1


def test_an_empty_period(dataset, judge):
    numbers = selectors.figures(user=judge, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28))
    assert len(numbers.months) == 2
    assert numbers.total == selectors.PeriodFigures(
        dt.date(2025, 1, 1), dt.date(2025, 2, 28), 0, 0, 0, 0, 0, 0, 0
    )
    assert numbers.total.inclusion_rate is None


def test_deadlines_not_yet_passed_are_not_counted(dataset, judge):
    """Case 3's deadline (4 April) has not passed on 4 April."""
    assert selectors.past_deadline_respondents(judge, APRIL, END, dt.date(2026, 4, 4)).count() == 0
    assert selectors.past_deadline_respondents(judge, APRIL, END, dt.date(2026, 4, 5)).count() == 1


def test_another_court_sees_only_its_own(dataset, judge_b):
    numbers = selectors.figures(user=judge_b, start=MARCH, end=END)
    assert (numbers.total.listings, numbers.total.past_deadline) == (0, 1)


# --- API and page ---------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def test_the_api(dataset, judge, staff):
    response = api(judge).get("/api/v1/debtors/figures/?from=2026-03-01&to=2026-04-30")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["total"]["listings"] == 3 and body["total"]["inclusion_rate"] == "75.0"
    assert [m["start"] for m in body["months"]] == ["2026-03-01", "2026-04-01"]
    assert body["months"][0]["past_deadline"] == 3 and body["notice_days"] == 10
    assert "performance deadline" in body["definition"]
    empty = api(judge).get("/api/v1/debtors/figures/?from=2025-01-01&to=2025-01-31").json()
    assert empty["total"]["inclusion_rate"] is None and empty["total"]["listings"] == 0
    backwards = api(judge).get("/api/v1/debtors/figures/?from=2026-04-30&to=2026-03-01")
    assert backwards.status_code == 400 and "to" in backwards.json()["fields"]
    garbled = api(judge).get("/api/v1/debtors/figures/?from=yesterday")
    assert garbled.status_code == 400 and "from" in garbled.json()["fields"]
    too_long = api(judge).get("/api/v1/debtors/figures/?from=2010-01-01&to=2026-01-01")
    assert too_long.status_code == 400
    assert api(staff[Role.FINANCE]).get("/api/v1/debtors/figures/").status_code == 403
    assert APIClient().get("/api/v1/debtors/figures/").status_code in (401, 403)
    default = api(judge).get("/api/v1/debtors/figures/").json()
    assert default["total"]["start"].endswith("-01-01")


def test_the_page(dataset, judge, staff):
    client = Client(headers={"accept-language": "en"})
    client.force_login(judge)
    page = client.get("/debtors/figures/?from=2026-03-01&to=2026-04-30")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="figure-listings">3<' in html
    assert 'data-testid="figure-inclusion_rate">75.0%<' in html
    assert "past their performance deadline" in html and "10 days" in html
    assert page.context["chart"]["labels"] == ["2026-03", "2026-04"]
    assert page.context["chart"]["rate"]["values"] == [66.7, 100.0]
    assert "vendor/chartjs/chart.umd.js" in html
    assert client.get("/debtors/figures/").status_code == 200
    bad = client.get("/debtors/figures/?from=2026-04-30&to=2026-03-01")
    assert bad.status_code == 400 and "cannot precede" in bad.content.decode()
    finance = Client()
    finance.force_login(staff[Role.FINANCE])
    assert finance.get("/debtors/figures/").status_code == 403


# --- Campaigns ------------------------------------------------------------------------------


def test_campaigns_count_blacklist_entries(dataset, staff, judge):
    """Case 1's two entries published in March, and case 2's listing recorded only as a step
    (no entry: listed outside this system); April's entry falls outside the campaign."""
    enforcement.record_milestone(
        case=dataset["two"], user=judge, milestone="blacklisted_on", on=dt.date(2026, 3, 12)
    )
    campaign = enforcement.create_campaign(
        court=dataset["one"].court, user=staff[Role.BUREAU_CHIEF], name="金融专项",
        starts_on=MARCH, ends_on=dt.date(2026, 3, 31), categories=["financial"],
    )  # fmt: skip
    assert enforcement_selectors.campaign_figures(campaign).blacklist_entries == 3
    assert (
        selectors.campaign_blacklist_entries(
            campaign, EnforcementCase.objects.filter(court=campaign.court)
        )
        == 3
    )
    livelihood = enforcement.create_campaign(
        court=dataset["one"].court, user=staff[Role.BUREAU_CHIEF], name="民生专项",
        starts_on=MARCH, ends_on=dt.date(2026, 3, 31), categories=["livelihood"],
    )  # fmt: skip
    assert enforcement_selectors.campaign_figures(livelihood).blacklist_entries == 0

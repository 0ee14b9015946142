"""Campaign reports: figures and money per campaign, pages, Excel and the API.

The ledger is ``funds_data`` (see test_funds): in court A ¥2,000 arrived 10 days ago and ¥300
was assigned from suspense today, ¥1,500 paid today; in court B ¥1,000 arrived 3 days ago and
¥700 was paid today.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courtexec.command.campaigns import campaign_case_rows, campaign_reports
from courtexec.command.tiles import Scope
from courtexec.roles import Role
from enforcement import services
from tests.casefunds.conftest import client_for
from tests.command.test_funds import all_courts, funds_data  # noqa: F401  (the ledger fixture)
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("command:campaigns")
API = reverse("api-stats-campaigns")


@pytest.fixture
def campaigns(funds_data, court_a, court_b, staff, chief_b, applicant, respondent):  # noqa: F811
    today = funds_data.today
    chief_a = staff[Role.BUREAU_CHIEF]

    def create(court, user, name, starts_on, ends_on):
        return services.create_campaign(
            court=court,
            user=user,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            categories=["financial"],
        )

    quiet_case = file_case(court_a, funds_data.judge_a, applicant, respondent)
    return {
        "a": create(court_a, chief_a, "金融债权专项", today - dt.timedelta(days=15), today),
        # Overlaps the period but ended before B's money moved.
        "b_early": create(
            court_b,
            chief_b,
            "春季攻坚",
            today - dt.timedelta(days=60),
            today - dt.timedelta(days=20),
        ),
        "b": create(
            court_b,
            chief_b,
            "夏季攻坚",
            today - dt.timedelta(days=5),
            today + dt.timedelta(days=10),
        ),
        "old": create(court_a, chief_a, "2001年专项", dt.date(2001, 1, 1), dt.date(2001, 1, 31)),
        "quiet_case": quiet_case,
    }


def period(data) -> dict[str, str]:
    return {"from": data.start.isoformat(), "to": data.today.isoformat()}


def test_reports_of_the_intermediate_court_cover_a_and_b(funds_data, campaigns):  # noqa: F811
    scope = Scope(frozenset(all_courts(funds_data)), funds_data.start, funds_data.today, None)
    reports = {report.campaign.name: report for report in campaign_reports(scope)}
    assert set(reports) == {"金融债权专项", "春季攻坚", "夏季攻坚"}  # 2001 is outside the period
    money = {name: (r.collected, r.paid) for name, r in reports.items()}
    assert money == {
        "金融债权专项": (230_000, 150_000),  # the ¥1,000 of 40 days ago predates it
        "春季攻坚": (0, 0),
        "夏季攻坚": (100_000, 70_000),
    }
    assert reports["金融债权专项"].figures.cases_concluded == 0
    only_a = Scope(
        frozenset([funds_data.case_a.court_id]), funds_data.start, funds_data.today, None
    )
    assert [r.campaign.name for r in campaign_reports(only_a)] == ["金融债权专项"]


def test_case_rows_add_up_to_the_report(funds_data, campaigns):  # noqa: F811
    rows = list(campaign_case_rows(campaigns["a"]))
    assert [(row.pk, row.received, row.paid) for row in rows] == [
        (funds_data.case_a.pk, 230_000, 150_000),
        (campaigns["quiet_case"].pk, 0, 0),
    ]


def test_list_page_for_a_chief_and_for_the_intermediate_president(
    funds_data,  # noqa: F811
    campaigns,
    chief_a,
    president_h,
    court_h,
):
    page = client_for(chief_a).get(LIST, period(funds_data))
    assert page.status_code == 200
    body = page.content.decode()
    assert "金融债权专项" in body and "夏季攻坚" not in body and "2001年专项" not in body
    assert f'data-testid="collected-{campaigns["a"].pk}">2,300.00<' in body
    assert f'data-testid="paid-{campaigns["a"].pk}">1,500.00<' in body
    assert reverse("command:campaign", args=[campaigns["a"].pk]) in body
    assert 'onclick="window.print()"' in body

    page = client_for(president_h).get(LIST, {**period(funds_data), "court": court_h.pk})
    body = page.content.decode()
    assert "金融债权专项" in body and "夏季攻坚" in body and "春季攻坚" in body
    assert 'data-testid="collected-total">3,300.00<' in body
    assert 'data-testid="paid-total">2,200.00<' in body


def test_an_empty_period_and_bad_input(funds_data, campaigns, chief_a, court_b):  # noqa: F811
    client = client_for(chief_a)
    empty = client.get(LIST, {"from": "2002-01-01", "to": "2002-03-01"})
    assert empty.status_code == 200
    assert 'data-testid="no-campaigns"' in empty.content.decode()
    assert client.get(LIST, {"from": "2020-13-01"}).status_code == 400
    assert client.get(LIST, {"from": "2020-03-01", "to": "2020-01-01"}).status_code == 400
    other_court = client.get(LIST, {"court": court_b.pk})
    assert other_court.status_code == 400
    assert "is-invalid" in other_court.content.decode()


def test_who_may_see_campaign_reports(funds_data, campaigns, court_a, chief_b, staff):  # noqa: F811
    police = UserFactory(username="camp_police", court=court_a, roles=[Role.JUDICIAL_POLICE])
    detail = reverse("command:campaign", args=[campaigns["a"].pk])
    for outsider in (police, staff[Role.FINANCE]):  # the command centre, but not campaigns
        assert client_for(outsider).get(LIST).status_code == 403
        assert client_for(outsider).get(detail).status_code == 403
        assert client_for(outsider).get(API).status_code == 403
    assert client_for(chief_b).get(detail).status_code == 404  # court A's campaign
    assert client_for(staff[Role.JUDGE]).get(detail).status_code == 200
    assert client_for(staff[Role.JUDGE]).get(LIST).status_code == 200
    anonymous = client_for(police)
    anonymous.logout()
    assert anonymous.get(LIST).status_code == 302
    assert anonymous.get(API).status_code in (401, 403)


def test_detail_page_lists_the_cases_with_money(funds_data, campaigns, chief_a):  # noqa: F811
    campaign = campaigns["a"]
    page = client_for(chief_a).get(reverse("command:campaign", args=[campaign.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    case = funds_data.case_a
    assert f'data-testid="case-received-{case.pk}">2,300.00<' in body
    assert f'data-testid="case-paid-{case.pk}">1,500.00<' in body
    assert f'data-testid="case-received-{campaigns["quiet_case"].pk}">0.00<' in body
    assert 'data-testid="figure-collected">2,300.00<' in body
    assert 'data-testid="figure-paid">1,500.00<' in body


def test_excel_of_the_list_and_of_a_campaign(
    funds_data,  # noqa: F811
    campaigns,
    president_h,
    court_h,
):
    client = client_for(president_h)
    response = client.get(LIST, {**period(funds_data), "court": court_h.pk, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    money = {row[0]: (row[9], row[10]) for row in rows}
    assert money["金融债权专项"] == (2300, 1500)
    assert money["夏季攻坚"] == (1000, 700)
    assert sheet.cell(row=2, column=10).number_format == "#,##0.00"

    detail = reverse("command:campaign", args=[campaigns["a"].pk])
    response = client.get(detail, {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == funds_data.case_a.number and rows[0][5:] == (2300, 1500)
    assert rows[-1][5:] == (2300, 1500)  # the total row
    assert len(rows) == 3  # two cases and the total


def test_api_reports_and_errors(funds_data, campaigns, president_h, court_h, chief_a, court_b):  # noqa: F811
    client = client_for(president_h)
    data = client.get(API, {**period(funds_data), "court": court_h.pk}).json()
    assert data["start"] == funds_data.start.isoformat()
    by_name = {row["name"]: row for row in data["campaigns"]}
    assert set(by_name) == {"金融债权专项", "春季攻坚", "夏季攻坚"}
    a = by_name["金融债权专项"]
    assert (a["collected"], a["paid"]) == (230_000, 150_000)
    assert a["categories"] == ["financial"]
    assert a["url"] == reverse("command:campaign", args=[campaigns["a"].pk])
    assert {"cases_concluded", "detentions", "blacklist_entries", "police_transfers"} <= set(a)

    bad = client_for(chief_a).get(API, {"from": "2020-13-01"})
    assert bad.status_code == 400
    assert bad.json()["field_codes"] == {"from": ["invalid"]}
    other_court = client_for(chief_a).get(API, {"court": court_b.pk})
    assert other_court.status_code == 400 and "court" in other_court.json()["fields"]
    reversed_period = client_for(chief_a).get(API, {"from": "2020-03-01", "to": "2020-01-01"})
    assert reversed_period.json()["field_codes"] == {"to": ["reversed"]}

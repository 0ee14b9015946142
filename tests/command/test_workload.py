"""The per-judge workload table (selector, page, Excel, API) against hand-built figures.

The period is the first quarter of 2024 and "today" 15 April 2024:

    judge (A)     a1 filed 2023-10-01 open, due 2024-04-01 (overdue); 100.00 paid 2023-12-15;
                  two party messages in March, one answered after two hours
                  a2 filed 2023-11-01 closed 2024-02-10; 300.00 paid 2024-02-05
                  a5 filed 2024-02-01 open
    judge_only_a  a judge of A without cases: a row of zeros
    gone (A)      g1 filed 2024-03-01 open; no longer active, listed for the open case
    judge_b (B)   b1 filed 2024-01-05 closed 2024-01-25; b2 filed 2023-09-15 open (overdue)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from casefunds.models import Account, Channel
from courtexec.command.selectors import court_subtree
from courtexec.command.tiles import Scope
from courtexec.command.workload import Totals, judge_workload, sort_rows, totals
from courtexec.roles import Role
from enforcement import services
from enforcement.models import EnforcementCase
from tests.casefunds.conftest import deposit
from tests.casefunds.flows import pay
from tests.enforcement.fixtures import file_case
from tests.factories import CourtFactory, UserFactory
from tests.liaison.conftest import APPLICANT_PHONE, make_account
from tests.liaison.messaging_helpers import at, party_writes, staff_writes

pytestmark = pytest.mark.django_db

D = dt.date
Q1 = {"from": "2024-01-01", "to": "2024-03-31"}
TODAY = D(2024, 4, 15)


def close(case, user, on):
    services.close_case(
        case=case, user=user, mode=EnforcementCase.ClosureMode.WITHDRAWN, reason="撤回", on=on
    )


def paid(case, staff, channel, amount: int, when: dt.datetime) -> None:
    """``amount`` fen arrives on the case and is paid out to the applicant at ``when``."""
    with time_machine.travel(when, tick=False):
        account = Account.objects.get(case=case, kind=Account.Kind.CASE)
        deposit(channel, account, amount, f"R-{case.pk}-{amount}", at=when)
        pay(case, case.judge, staff[Role.BUREAU_CHIEF], staff[Role.FINANCE], account, amount)


@pytest.fixture
def gone(court_a):
    return UserFactory(username="cc_gone", court=court_a, roles=[Role.JUDGE])


@pytest.fixture
def dataset(
    court_a, court_b, court_h, staff, judge, judge_only_a, gone, judge_b, applicant, respondent
):
    def filed(court, judge, on):
        return file_case(court, judge, applicant, respondent, filed_on=on)

    a1 = filed(court_a, judge, D(2023, 10, 1))
    a2 = filed(court_a, judge, D(2023, 11, 1))
    filed(court_a, judge, D(2024, 2, 1))
    filed(court_a, gone, D(2024, 3, 1))
    b1 = filed(court_b, judge_b, D(2024, 1, 5))
    filed(court_b, judge_b, D(2023, 9, 15))
    channel = Channel.objects.create(
        court=court_a, kind=Channel.Kind.BANK, code="icbc-a", name="工行", secret="s"
    )
    paid(a1, staff, channel, 10_000, at(D(2023, 12, 15), 10))
    paid(a2, staff, channel, 30_000, at(D(2024, 2, 5), 10))
    close(a2, judge, D(2024, 2, 10))
    close(b1, judge_b, D(2024, 1, 25))
    gone.is_active = False
    gone.save()
    account = make_account(APPLICANT_PHONE)
    thread = party_writes(account, a1, at(D(2024, 3, 5), 10)).thread
    staff_writes(thread, judge, at(D(2024, 3, 5), 12))
    party_writes(account, a1, at(D(2024, 3, 6), 14))


def scope_of(court, today=TODAY) -> Scope:
    return Scope(court_subtree(court.pk), D(2024, 1, 1), D(2024, 3, 31), today)


def figures(row) -> tuple:
    return (
        row.open,
        row.concluded,
        row.overdue,
        row.paid,
        row.answered,
        row.reply_median_hours,
        row.reply_p90_hours,
        row.unanswered,
    )


def test_rows_of_the_court_above(dataset, court_h, judge, judge_only_a, gone, judge_b):
    rows = {row.judge: row for row in judge_workload(scope_of(court_h))}
    assert set(rows) == {judge, judge_only_a, gone, judge_b}
    two = Decimal("2.0")
    assert figures(rows[judge]) == (2, 1, 1, 30_000, 1, two, two, 1)
    assert figures(rows[judge_only_a]) == (0, 0, 0, 0, 0, None, None, 0)
    assert figures(rows[gone]) == (1, 0, 0, 0, 0, None, None, 0)
    assert figures(rows[judge_b]) == (1, 1, 1, 0, 0, None, None, 0)
    assert totals(list(rows.values())) == Totals(4, 2, 2, 30_000, 1, 1)


def test_a_court_sees_its_own_judges(dataset, court_a, court_b, judge, judge_b):
    assert judge_b not in {row.judge for row in judge_workload(scope_of(court_a))}
    [row] = judge_workload(scope_of(court_b))
    assert row.judge == judge_b


def test_an_empty_period_keeps_the_judges_with_nothing_in_it(dataset, court_a, judge):
    scope = Scope(court_subtree(court_a.pk), D(2015, 1, 1), D(2015, 12, 31), D(2015, 12, 31))
    rows = {row.judge: row for row in judge_workload(scope)}
    # Cases open now still count (the state today); nothing was concluded or paid in 2015.
    assert (rows[judge].concluded, rows[judge].paid, rows[judge].answered) == (0, 0, 0)
    assert totals(list(rows.values())).concluded == 0


def test_sorting(dataset, court_h, judge, judge_b):
    rows = judge_workload(scope_of(court_h))
    by_paid, applied = sort_rows(rows, "-paid")
    assert (by_paid[0].judge, applied) == (judge, "-paid")
    by_median, _ = sort_rows(rows, "reply_median")
    assert by_median[0].judge == judge  # the only one with a median; the others after it
    assert sort_rows(rows, "password") == (rows, "")


def test_queries_do_not_grow_with_the_judges(dataset, court_a, court_h, applicant, respondent):
    scope = scope_of(court_h)
    with CaptureQueriesContext(connection) as before:
        judge_workload(scope)
    for n in range(3):
        extra = UserFactory(username=f"cc_extra_{n}", court=court_a, roles=[Role.JUDGE])
        file_case(court_a, extra, applicant, respondent, filed_on=D(2024, 1, 10))
    with CaptureQueriesContext(connection) as after:
        rows = judge_workload(scope)
    assert len(rows) == 7
    assert len(after) == len(before) <= 8


# --- The page ------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


URL = "/command/workload/"


def test_url_name():
    assert reverse("command:workload") == URL


def test_chiefs_and_presidents_only(dataset, judge_only_a, chief_a, president_h, staff):
    assert client_for(judge_only_a).get(URL, Q1).status_code == 403
    assert client_for(staff[Role.FINANCE]).get(URL, Q1).status_code == 403
    assert client_for(chief_a).get(URL, Q1).status_code == 200
    assert client_for(staff[Role.SECTION_CHIEF]).get(URL, Q1).status_code == 200
    response = client_for(president_h).get(URL, Q1)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4  # A's three judges and B's


def test_the_page_shows_rows_totals_and_sorts(dataset, chief_a, judge):
    response = client_for(chief_a).get(URL, {**Q1, "sort": "-paid"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="workload-row"') == 3
    assert response.context["rows"][0].judge == judge
    assert "300.00" in html and 'data-testid="workload-totals"' in html
    assert 'class="table-responsive"' in html
    # The sorted column links to the other way round.
    [paid] = [h for h in response.context["headers"] if h["column"].key == "paid"]
    assert paid["sorted"] == "desc" and "sort=paid" in paid["url"]


def test_bad_input_is_a_400_with_the_field_errors(chief_a, court_b):
    response = client_for(chief_a).get(URL, {"from": "2024-13-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["start"]
    # Another court's figures are not on offer.
    response = client_for(chief_a).get(URL, {**Q1, "court": court_b.pk})
    assert response.status_code == 400
    assert "court" in response.context["form"].errors


def test_empty_state(db):
    court = CourtFactory(code="浙0199", name="无法官法院")
    chief = UserFactory(username="cc_chief_c", court=court, roles=[Role.BUREAU_CHIEF])
    response = client_for(chief).get(URL, Q1)
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.content.decode()


def test_excel_download(dataset, chief_a, judge):
    response = client_for(chief_a).get(URL, {**Q1, "sort": "-paid", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 3 + 1  # header, three judges, totals
    # Judge, court, open, concluded, overdue (today), paid (yuan), answered, median, p90, waiting
    assert rows[1][0] == str(judge) and rows[1][2:4] == (2, 1)
    assert rows[1][5:] == (300, 1, 2, 2, 1)
    assert sheet.cell(row=2, column=6).number_format == "#,##0.00"
    assert rows[-1][:4] == ("合计", None, 3, 1) and rows[-1][5] == 300  # A's judges' totals


# --- The API -------------------------------------------------------------------------------------

API = "/api/v1/stats/workload/"


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def test_api_url_name():
    assert reverse("api-stats-workload") == API


def test_api_rows(dataset, president_h, judge):
    response = api(president_h).get(API, Q1)
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2024-01-01", "2024-03-31")
    [row] = [row for row in body["judges"] if row["judge"]["id"] == judge.pk]
    assert (row["concluded"], row["paid"], row["answered"], row["unanswered"]) == (1, 30_000, 1, 1)
    assert row["reply_median_hours"] == "2.0" and row["judge"]["court"] == judge.court.name
    assert body["totals"]["paid"] == 30_000 and len(body["judges"]) == 4


def test_api_refuses_judges_and_bad_input(judge_only_a, chief_a):
    assert api(judge_only_a).get(API, Q1).status_code == 403
    response = api(chief_a).get(API, {"from": "2024-04-01", "to": "2024-03-01"})
    assert response.status_code == 400
    assert response.json()["field_codes"]["to"] == ["reversed"]
    response = api(chief_a).get(API, {"from": "yesterday"})
    assert response.status_code == 400 and "from" in response.json()["fields"]

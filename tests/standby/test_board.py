"""The standby board (/standby/) and the dashboard's on-duty tile: who is on duty now with
phones, the next shift, open callouts, the figures; with and without a shift; bounded queries;
who may see them."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from courtexec.roles import Role
from tests.standby import figures_data
from tests.standby.figures_data import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(court_a, court_b, staff):
    return figures_data.build(court_a, court_b, staff)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(user, url, at, **query):
    with time_machine.travel(at, tick=False), translation.override("en"):
        client = user if isinstance(user, Client) else client_for(user)
        return client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")


# Session, user, permissions, the unread count of the shell and the board's own (a shift, the
# next, open callouts, three of figures): nothing grows with the data.
BOARD_QUERIES = 14


def test_board_shows_who_is_on_duty_and_the_next_shift(data, judge, django_assert_max_num_queries):
    client = client_for(judge)
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = get(client, "/standby/", local(12, 1, 12))
    assert response.status_code == 200
    body = response.content.decode()
    on_duty = body.split('data-testid="board-on-duty"')[1].split('data-testid="board-next"')[0]
    for phone in ("13900000001", "13900000002", "13900000003"):
        assert f'href="tel:{phone}"' in on_duty
    assert "一组" in on_duty
    next_card = body.split('data-testid="board-next"')[1].split("</div></div>")[0]
    assert "二组" in next_card and "2026-12-02 08:00" in next_card
    assert response.context["shift"] == data.shifts[0]
    assert response.context["next_shift"] == data.shifts[1]
    # c4 (reported) and the catch of 30 November are open; c7 and c6 are closed; handed-over
    # callouts are open until closed.
    assert response.context["open_callouts"] == 6
    for path in ("/standby/callouts/", "/standby/roster/", "/standby/my-shifts/"):
        assert f'href="{path}"' in body


def test_board_figures_default_to_this_month(data, judge):
    response = get(judge, "/standby/", local(12, 10, 12))
    figures = response.context["figures"]
    assert (figures.start.isoformat(), figures.end.isoformat()) == ("2026-12-01", "2026-12-31")
    body = response.content.decode()
    assert 'data-testid="figure-callouts">6<' in body
    assert 'data-testid="figure-assist_share">66.7%<' in body
    assert 'data-testid="figure-median_handover">105.0<' in body
    assert 'data-testid="figure-night_amount_paid">5,200.00<' in body
    chart = response.context["chart"]
    assert chart["teams"]["labels"] == ["一组", "二组", "Override"]
    assert chart["teams"]["series"][1]["values"] == [2, 1, 1]  # assists by team
    assert chart["teams"]["series"][0]["values"] == [1, 0, 1]  # this court's own cases
    assert 'id="standby-chart-data"' in body


def test_board_in_a_gap_and_for_an_empty_period(data, judge):
    response = get(
        judge, "/standby/", local(12, 20, 12), **{"from": "2027-02-01", "to": "2027-02-28"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="on-duty-nobody"' in body
    assert response.context["next_shift"] == data.shifts[3]
    assert 'data-testid="figure-callouts">0<' in body
    assert 'data-testid="figure-assist_share">—<' in body
    assert "No callouts in this period." in body


def test_board_without_any_shift(judge, django_assert_max_num_queries):
    client = client_for(judge)
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = get(client, "/standby/", local(12, 1, 12))
    assert response.status_code == 200
    assert response.context["shift"] is None and response.context["next_shift"] is None
    assert "No later shift is on the roster." in response.content.decode()


def test_board_queries_do_not_grow_with_the_data(
    data, judge, court_a, staff, django_assert_max_num_queries
):
    baseline = get(judge, "/standby/", local(12, 1, 12))
    assert baseline.status_code == 200
    for day in range(6, 28):
        figures_data.callout(court_a, staff[Role.POLICE_LIAISON], local(12, day, 23),
                             local(12, day + 1, 8), assist=True, paid=100)  # fmt: skip
    client = client_for(judge)
    with django_assert_max_num_queries(BOARD_QUERIES):
        assert get(client, "/standby/", local(12, 1, 12)).status_code == 200


def test_board_refuses_bad_dates(judge):
    response = get(
        judge, "/standby/", local(12, 1, 12), **{"from": "2026-12-31", "to": "2026-12-01"}
    )
    assert response.status_code == 400
    assert "The end of the period cannot precede its start." in response.content.decode()


@pytest.mark.parametrize("role", [Role.POLICE_LIAISON, Role.FINANCE, Role.INVESTIGATOR])
def test_board_refuses_who_lacks_view_shift(staff, role):
    assert not staff[role].has_perm("standby.view_shift")
    assert get(staff[role], "/standby/", local(12, 1, 12)).status_code == 403


def test_board_asks_anonymous_to_log_in():
    response = Client().get("/standby/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_president_sees_the_board(data, staff):
    assert get(staff[Role.PRESIDENT], "/standby/", local(12, 1, 12)).status_code == 200


def test_navigation_links_the_board_for_staff_only(staff):
    judge_page = get(staff[Role.JUDGE], "/", local(12, 1, 12)).content.decode()
    assert 'href="/standby/"' in judge_page
    finance_page = get(staff[Role.FINANCE], "/", local(12, 1, 12)).content.decode()
    assert 'href="/standby/"' not in finance_page


# --- The dashboard tile ------------------------------------------------------------------------


def test_dashboard_tile_shows_the_three_people_and_phones(data, judge):
    body = get(judge, "/", local(12, 2, 9)).content.decode()
    tile = body.split('data-testid="tile-on-duty"')[1].split('data-testid="tile-open-cases"')[0]
    assert "二组" in tile
    for phone in ("13900000011", "13900000012", "13900000013"):
        assert f'href="tel:{phone}"' in tile


def test_dashboard_tile_in_a_gap(data, judge):
    body = get(judge, "/", local(12, 20, 9)).content.decode()
    assert 'data-testid="on-duty-nobody"' in body


def test_dashboard_tile_costs_one_query(data, judge):
    """The tile adds exactly one query to the dashboard (the shift with its three people)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(judge)
    with time_machine.travel(local(12, 1, 12), tick=False):
        client.get("/")  # warm the session and caches
        with CaptureQueriesContext(connection) as with_tile:
            client.get("/")
    standby = [q["sql"] for q in with_tile.captured_queries if "standby_" in q["sql"]]
    assert len(standby) == 1
    assert "courtexec_user" in standby[0]  # the people come with the shift


def test_dashboard_has_no_tile_for_who_lacks_view_shift(data, staff):
    body = get(staff[Role.FINANCE], "/", local(12, 1, 12)).content.decode()
    assert 'data-testid="tile-on-duty"' not in body

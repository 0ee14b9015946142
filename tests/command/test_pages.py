"""The command centre's pages: the tiles by unit, the period and court choice, who sees what,
the drill-down (its records make the figure), the big screen, and a query-count bound."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courtexec.command import tiles as tiles_module
from courtexec.command.figures.cases import CASE_COLUMNS, filed
from courtexec.command.tiles import (
    Chart,
    ChartData,
    Column,
    Group,
    Part,
    Registry,
    Scope,
    Series,
    Tile,
    Unit,
)
from courtexec.roles import Role
from enforcement import services
from enforcement.models import EnforcementCase, Party
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

# The period of the tests: April 2016 (30 days); the previous period is 2 – 31 March 2016.
APRIL = {"from": "2016-04-01", "to": "2016-04-30"}
PREVIOUS = {"from": "2016-03-02", "to": "2016-03-31"}


def fen(case: EnforcementCase) -> int:
    return int(case.amount_to_enforce * 100)


def amount(scope: Scope) -> int:
    return int((filed(scope).aggregate(total=Sum("amount_to_enforce"))["total"] or 0) * 100)


def financial_share(scope: Scope) -> Decimal | None:
    records = filed(scope)
    total = records.count()
    if not total:
        return None
    share = records.filter(category=EnforcementCase.Category.FINANCIAL).count() * 100 / total
    return Decimal(share).quantize(Decimal("0.1"))


def open_cases(scope: Scope):
    return (
        scope.restrict(EnforcementCase.objects.select_related("court", "judge"))
        .exclude(status=EnforcementCase.Status.CONCLUDED)
        .order_by("pk")
    )


TEST_TILES = (
    Tile(
        "t.filed",
        Group.CASES,
        "Test filed",
        filed,
        CASE_COLUMNS,
        permission="enforcement.view_enforcementcase",
        help="Filed in the period.",
    ),
    Tile(
        "t.amount",
        Group.FUNDS,
        "Test amount",
        filed,
        (CASE_COLUMNS[0], Column("Amount", fen, unit=Unit.MONEY)),
        value=amount,
        unit=Unit.MONEY,
        permission="casefunds.approve_payout",  # a bureau chief's, not a judge's
    ),
    Tile(
        "t.share",
        Group.CASES,
        "Test share",
        filed,
        CASE_COLUMNS,
        value=financial_share,
        unit=Unit.PERCENT,
    ),
    Tile(
        "t.days",
        Group.STANDBY,
        "Test days",
        filed,
        CASE_COLUMNS,
        value=lambda scope: Decimal("3.5"),
        unit=Unit.DAYS,
    ),
    Tile(
        "t.open",
        Group.DEBTORS,
        "Test open",
        open_cases,
        CASE_COLUMNS,
        snapshot=True,
        alert=True,
        breakdown=lambda scope: [
            Part("Tier one", 2, 150000, "warning"),
            Part("Tier two", 1, None, "orange"),
        ],
    ),
)

TEST_CHART = Chart(
    "t.trend",
    Group.CASES,
    "Test trend",
    lambda scope: ChartData(
        ["2016-03", "2016-04"],
        [Series("Filed", [1, 2]), Series("Amount", [12345, None], Unit.MONEY)],
    ),
)


@pytest.fixture
def registry(monkeypatch) -> Registry:
    """The registry holding only the test tiles (one per unit, a snapshot with parts) for the
    test: its contents are swapped, so every module holding ``REGISTRY`` sees them."""
    fresh = Registry()
    fresh.add(*TEST_TILES, TEST_CHART)
    monkeypatch.setattr(tiles_module.REGISTRY, "tiles", fresh.tiles)
    monkeypatch.setattr(tiles_module.REGISTRY, "charts", fresh.charts)
    return tiles_module.REGISTRY


@pytest.fixture
def parties_b(court_b):
    return (
        services.register_party(
            court=court_b, kind=Party.Kind.PERSON, name="赵六", id_number="110105198001010016"
        ),
        services.register_party(
            court=court_b,
            kind=Party.Kind.ORGANISATION,
            name="宁波某某有限公司",
            id_number="91110000600037341L",
        ),
    )


@pytest.fixture
def judge_b(court_b):
    return UserFactory(username="cc_judge_b", court=court_b, roles=[Role.JUDGE])


@pytest.fixture
def cases(court_a, court_b, court_h, judge_only_a, judge_b, applicant, respondent, parties_b):
    """Court A: three cases in April 2016 (one enforcing a non-financial award) and one in
    March; court B: two in April."""
    made = {
        "april_a": [
            file_case(court_a, judge_only_a, applicant, respondent, filed_on=dt.date(2016, 4, day))
            for day in (1, 15, 30)
        ],
        "march_a": [
            file_case(court_a, judge_only_a, applicant, respondent, filed_on=dt.date(2016, 3, 10))
        ],
        "april_b": [
            file_case(court_b, judge_b, *parties_b, filed_on=dt.date(2016, 4, day))
            for day in (2, 3)
        ],
    }
    made["april_a"][2].category = EnforcementCase.Category.OTHER
    made["april_a"][2].save(update_fields=["category"])
    return made


def client_for(client, user):
    """``client`` signed in as ``user``, asking for English (the assertions' language)."""
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def tile_html(response, key: str) -> str:
    html = response.content.decode()
    match = re.search(rf'<a [^>]*data-testid="tile-{re.escape(key)}".*?</a>', html, re.S)
    assert match, f"no tile {key}"
    return match.group(0)


def figure_of(response, key: str) -> str:
    return re.search(r'data-testid="figure">([^<]*)<', tile_html(response, key)).group(1)


@pytest.mark.django_db
class TestDashboard:
    def test_every_unit_snapshot_and_breakdown(self, client, registry, cases, chief_a):
        response = client_for(client, chief_a).get(reverse("command:dashboard"), APRIL)
        assert response.status_code == 200
        assert figure_of(response, "t.filed") == "3"
        assert figure_of(response, "t.amount") == "¥360,000.00"
        assert figure_of(response, "t.share") == "66.7%"
        assert figure_of(response, "t.days") == "3.5 days"
        assert figure_of(response, "t.open") == "4"
        snapshot = tile_html(response, "t.open")
        assert 'data-testid="snapshot"' in snapshot and "comparison" not in snapshot
        assert "tile-alert" in snapshot
        assert "Tier one 2 · ¥1,500.00" in snapshot and "badge-orange" in snapshot
        assert "text-bg-warning" in snapshot
        filed_tile = tile_html(response, "t.filed")
        assert "Filed in the period." in filed_tile
        assert 'href="/command/tiles/t.filed/?from=2016-04-01&amp;to=2016-04-30"' in filed_tile
        # grouped in the registry's order, with headings
        html = response.content.decode()
        assert html.index("tile-t.filed") < html.index("tile-t.amount") < html.index("tile-t.open")
        assert "Case funds" in html and "Standby" in html
        assert "compared with the previous period: 2016-03-02 – 2016-03-31" in html

    def test_previous_period_comparison(self, client, registry, cases, chief_a):
        response = client_for(client, chief_a).get(reverse("command:dashboard"), APRIL)
        filed_tile = tile_html(response, "t.filed")
        assert re.search(r'data-testid="previous">1<', filed_tile)
        assert "▲ +2" in filed_tile and "text-success" in filed_tile
        march = client.get(reverse("command:dashboard"), PREVIOUS)
        assert figure_of(march, "t.filed") == "1" and "▲ +1" in tile_html(march, "t.filed")
        assert "▲ +¥120,000.00" in tile_html(march, "t.amount")

    def test_empty_period(self, client, registry, cases, chief_a):
        response = client_for(client, chief_a).get(
            reverse("command:dashboard"), {"from": "2015-01-01", "to": "2015-01-31"}
        )
        assert response.status_code == 200
        assert figure_of(response, "t.filed") == "0"
        assert figure_of(response, "t.amount") == "¥0.00"
        assert figure_of(response, "t.share") == "—"
        assert figure_of(response, "t.open") == "4"  # a snapshot: today's state

    def test_no_tiles_empty_state(self, client, monkeypatch, chief_a):
        monkeypatch.setattr(tiles_module.REGISTRY, "tiles", {})
        monkeypatch.setattr(tiles_module.REGISTRY, "charts", {})
        response = client_for(client, chief_a).get(reverse("command:dashboard"))
        assert response.status_code == 200
        assert 'data-testid="no-tiles"' in response.content.decode()

    def test_intermediate_court_adds_up_its_courts(
        self, client, registry, cases, president_h, court_a, court_b
    ):
        response = client_for(client, president_h).get(reverse("command:dashboard"), APRIL)
        assert figure_of(response, "t.filed") == "5"
        assert 'data-testid="court-select"' in response.content.decode()
        only_b = client.get(reverse("command:dashboard"), APRIL | {"court": court_b.pk})
        assert figure_of(only_b, "t.filed") == "2"

    def test_one_court_has_no_selector(self, client, registry, chief_a):
        response = client_for(client, chief_a).get(reverse("command:dashboard"))
        assert 'data-testid="court-select"' not in response.content.decode()

    @pytest.mark.parametrize(
        "params",
        [
            {"from": "not-a-day"},
            {"from": "2016-05-01", "to": "2016-04-01"},
            {"from": "2010-01-01", "to": "2016-01-01"},
            {"court": "abc"},
        ],
    )
    def test_bad_input_is_400(self, client, registry, chief_a, params):
        response = client_for(client, chief_a).get(reverse("command:dashboard"), params)
        assert response.status_code == 400
        assert "invalid-feedback" in response.content.decode()

    def test_court_of_another_court_is_400(self, client, registry, chief_a, court_b):
        response = client_for(client, chief_a).get(
            reverse("command:dashboard"), {"court": court_b.pk}
        )
        assert response.status_code == 400
        assert 'data-testid="court-select"' in response.content.decode()

    @pytest.mark.parametrize("role", [Role.PARTY, Role.POLICE_LIAISON, Role.CUSTODIAN])
    def test_outside_roles_are_refused(self, client, registry, staff, role):
        client.force_login(staff[role])
        for url in (
            reverse("command:dashboard"),
            reverse("command:wall"),
            reverse("command:wall-tiles"),
            reverse("command:tile", args=["t.filed"]),
        ):
            assert client.get(url).status_code == 403

    def test_anonymous_is_sent_to_log_in(self, client):
        response = client.get(reverse("command:dashboard"))
        assert response.status_code == 302 and "login" in response["Location"]

    def test_judge_sees_case_tiles_not_funds_tiles(self, client, registry, judge_only_a):
        html = client_for(client, judge_only_a).get(reverse("command:dashboard")).content.decode()
        assert "tile-t.filed" in html and "tile-t.amount" not in html

    def test_links_to_the_other_pages_and_the_nav(self, client, registry, chief_a, judge_only_a):
        html = client_for(client, chief_a).get(reverse("command:dashboard")).content.decode()
        assert 'data-testid="nav-command"' in html
        assert 'data-testid="wall-link"' in html
        workload = reverse("command:workload")
        assert f'href="{workload}?' in html
        judge_html = client_for(client, judge_only_a).get(reverse("command:dashboard")).content
        assert workload.encode() not in judge_html

    def test_home_dashboard_links_here(self, client, chief_a):
        html = client_for(client, chief_a).get(reverse("dashboard")).content.decode()
        assert 'data-testid="command-centre-link"' in html

    def test_charts_have_data_in_yuan(self, client, registry, chief_a):
        response = client_for(client, chief_a).get(reverse("command:dashboard"), APRIL)
        html = response.content.decode()
        assert 'data-command-chart="chart-t.trend"' in html
        data = re.search(r'<script id="chart-t.trend" type="application/json">(.*?)</script>', html)
        assert '"values": [123.45, null]' in data.group(1)
        assert "js/command_charts.js" in html and "vendor/chartjs/chart.umd.js" in html

    def test_presets(self, client, registry, chief_a, court_a):
        response = client_for(client, chief_a).get(reverse("command:dashboard"))
        presets = [preset for preset, _params in response.context["presets"]]
        today = response.context["form"].today
        assert [p.end for p in presets] == [
            today,
            today.replace(day=1) - dt.timedelta(days=1),
            today,
            today,
            today,
        ]
        assert presets[1].start.day == 1 and presets[3].start == today.replace(month=1, day=1)
        assert response.context["active_preset"] == presets[3]  # the default: the year so far


@pytest.mark.django_db
class TestDrilldown:
    def test_choosing_a_higher_court_covers_only_the_courts_one_sees(
        self, client, registry, cases, court_h
    ):
        """A judge of the intermediate court sees that court alone, not the courts below it."""
        judge_h = UserFactory(username="cc_judge_h", court=court_h, roles=[Role.JUDGE])
        client_for(client, judge_h)
        for court in ("", court_h.pk):
            response = client.get(
                reverse("command:tile", args=["t.filed"]), APRIL | {"court": court}
            )
            assert response.status_code == 200
            assert response.context["value"] == 0 and response.context["page"].paginator.count == 0

    def test_records_make_the_figure(self, client, registry, cases, chief_a):
        client_for(client, chief_a)
        for key in ("t.filed", "t.amount", "t.open"):
            response = client.get(reverse("command:tile", args=[key]), APRIL)
            assert response.status_code == 200
            page = response.context["page"]
            assert page.paginator.count == len(response.context["rows"])
            if key != "t.amount":
                assert page.paginator.count == response.context["value"]
        response = client.get(reverse("command:tile", args=["t.amount"]), APRIL)
        assert sum(fen(case) for case in response.context["page"].object_list) == 36000000
        html = response.content.decode()
        assert "¥360,000.00" in html and "120,000.00" in html
        link = reverse("enforcement:case-detail", args=[cases["april_a"][0].pk])
        assert f'<a href="{link}">{cases["april_a"][0].number}</a>' in html

    def test_previous_period_records(self, client, registry, cases, chief_a):
        response = client_for(client, chief_a).get(
            reverse("command:tile", args=["t.filed"]), APRIL | {"previous": "1"}
        )
        assert response.context["value"] == 1
        assert [row[0][0] for row in response.context["rows"]] == [cases["march_a"][0].number]
        assert response.context["scope"].start == dt.date(2016, 3, 2)

    def test_pagination(self, client, registry, cases, president_h, monkeypatch):
        monkeypatch.setattr("courtexec.command.views_dashboard.PAGE_SIZE", 2)
        client_for(client, president_h)
        url = reverse("command:tile", args=["t.filed"])
        first = client.get(url, APRIL)
        assert first.context["value"] == 5 and len(first.context["rows"]) == 2
        assert 'data-testid="next-page"' in first.content.decode()
        numbers = []
        for page in (1, 2, 3):
            response = client.get(url, APRIL | {"page": page})
            numbers += [row[0][0] for row in response.context["rows"]]
        assert len(set(numbers)) == 5
        assert client.get(url, APRIL | {"page": "zzz"}).status_code == 200

    def test_unknown_or_hidden_tile_is_404(self, client, registry, judge_only_a):
        client_for(client, judge_only_a)
        assert client.get(reverse("command:tile", args=["t.nope"])).status_code == 404
        assert client.get(reverse("command:tile", args=["t.amount"])).status_code == 404
        assert client.get(reverse("command:tile", args=["t.filed"])).status_code == 200

    def test_bad_period_is_400(self, client, registry, chief_a):
        response = client_for(client, chief_a).get(
            reverse("command:tile", args=["t.filed"]), {"to": "2016-13-01"}
        )
        assert response.status_code == 400

    def test_empty(self, client, registry, chief_a):
        response = client_for(client, chief_a).get(reverse("command:tile", args=["t.filed"]), APRIL)
        assert 'data-testid="empty"' in response.content.decode()

    def test_export_form_posts_the_scope(self, client, registry, cases, chief_a, court_a):
        response = client_for(client, chief_a).get(
            reverse("command:tile", args=["t.filed"]), APRIL | {"court": court_a.pk}
        )
        html = response.content.decode()
        action = reverse("command:export-request")
        form = re.search(
            r'<form method="post" action="([^"]+)"[^>]*data-testid="export-form".*?</form>',
            html,
            re.S,
        )
        assert form.group(1) == action
        for name, value in (
            ("kind", "tile"),
            ("key", "t.filed"),
            ("from", "2016-04-01"),
            ("to", "2016-04-30"),
            ("court", str(court_a.pk)),
        ):
            assert f'name="{name}" value="{value}"' in form.group(0)


@pytest.mark.django_db
class TestWall:
    def test_big_screen(self, client, registry, cases, chief_a, settings):
        settings.COMMAND_WALL_REFRESH_SECONDS = 45
        response = client_for(client, chief_a).get(reverse("command:wall"), APRIL)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="navbar' not in html  # no nav chrome
        assert '<noscript><meta http-equiv="refresh" content="45"></noscript>' in html
        assert 'hx-trigger="every 45s"' in html
        assert 'hx-get="/command/wall/tiles/?from=2016-04-01&amp;to=2016-04-30"' in html
        assert 'data-testid="clock"' in html and "vendor/htmx/htmx.min.js" in html
        assert re.search(r'tile-t.filed".*?data-testid="figure">3<', html, re.S)
        assert "Filed in the period." not in html  # figures only, no help

    def test_partial(self, client, registry, cases, president_h, court_a):
        response = client_for(client, president_h).get(
            reverse("command:wall-tiles"), APRIL | {"court": court_a.pk}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert re.search(r'tile-t.filed".*?data-testid="figure">3<', html, re.S)
        assert re.search(r'tile-t.share".*?data-testid="figure">66.7%<', html, re.S)

    def test_bad_period(self, client, registry, chief_a):
        client_for(client, chief_a)
        assert client.get(reverse("command:wall"), {"from": "x"}).status_code == 400
        assert client.get(reverse("command:wall-tiles"), {"from": "x"}).status_code == 400


def _make_cases(count: int, court_a, court_b, judge_a, judge_b, applicant, respondent, parties_b):
    for index in range(count):
        day = dt.date(2016, 4, 1 + index % 28)
        file_case(court_a, judge_a, applicant, respondent, filed_on=day)
        file_case(court_b, judge_b, *parties_b, filed_on=day - dt.timedelta(days=31))


# Queries of the command centre page for everything it shows besides the tiles and charts
# (session, user, permissions, court selector, nav), and at most per tile (figure and previous
# figure, breakdown) and per chart (a monthly series): a page must not query per record.
BASE_QUERIES = 20
PER_TILE = 6
PER_CHART = 40


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_records(
    client, court_a, court_b, court_h, judge_only_a, judge_b, applicant, respondent, parties_b
):
    """Against the real registry (every tile after the merge): 3N records cost the queries N
    do, and no more than a fixed bound."""
    admin = UserFactory(username="cc_admin", court=court_h, is_superuser=True)
    client.force_login(admin)
    url = reverse("command:dashboard")
    params = {"from": "2016-03-01", "to": "2016-04-30"}
    registry = tiles_module.REGISTRY
    bound = BASE_QUERIES + PER_TILE * len(registry.tiles) + PER_CHART * len(registry.charts)
    counts = []
    for count in (3, 6):  # 3 records, then 9 in all
        _make_cases(
            count, court_a, court_b, judge_only_a, judge_b, applicant, respondent, parties_b
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        round_counts = {"dashboard": len(queries)}
        for key in registry.tiles:  # every drill-down lists the records without a query each
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("command:tile", args=[key]), params).status_code == 200
            round_counts[key] = len(queries)
        counts.append(round_counts)
    assert counts[0] == counts[1], counts
    assert counts[0]["dashboard"] <= bound, (counts, bound)

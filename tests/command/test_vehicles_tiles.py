"""The command centre's vehicles tiles against hand-computed custody fees (the fee tests' two
agreements changing on 1 February 2026 in court A, one agreement in court B), made with the
ORM as the vehicles fee tests do: figures per court and for the intermediate court over both,
an empty period, the previous period, drill-down lists that agree, and who sees which tile."""

from __future__ import annotations

import datetime as dt

import pytest

from courtexec.command.selectors import evaluate
from courtexec.command.tiles import REGISTRY, Scope, Unit
from courtexec.roles import Role
from enforcement import services as enforcement
from enforcement.models import Party
from tests.enforcement.fixtures import file_case
from tests.vehicles.conftest import local, make_agreement, make_impound
from tests.vehicles.fee_fixtures import NEW_RATES, OLD_RATES
from vehicles.models import Custodian, Impound, Lot, Vehicle, VehicleClass

pytestmark = pytest.mark.django_db

KEYS = {"vehicles.in_custody", "vehicles.custody_fees", "vehicles.impounded"}
FEBRUARY = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def scope(*courts, period=FEBRUARY) -> Scope:
    return Scope(frozenset(court.pk for court in courts), *period, dt.date(2026, 3, 31))


def figure(key: str, where: Scope):
    return REGISTRY.tiles[key].measure(where)


def keeper(court, name: str) -> tuple[Custodian, Lot]:
    custodian = Custodian.objects.create(court=court, name=name)
    return custodian, Lot.objects.create(
        custodian=custodian, name="一号", address="某路", capacity=9
    )


def impound(case, user, plate, vehicle_class, state, *, seized, keeper=None, **fields) -> Impound:
    vehicle = Vehicle.objects.create(
        court=case.court, plate=plate, vehicle_class=vehicle_class, owner=case.parties.last().party,
        registered_by=user,
    )  # fmt: skip
    custodian, lot = keeper or (None, None)
    return make_impound(
        vehicle, case, user, state=state, seized_at=seized, custodian=custodian, lot=lot, **fields
    )


@pytest.fixture
def data(court_a, court_b, court_h, case, judge, judge_b, applicant):
    """Court A (old terms to 31 January, towing 300 yuan; new from 1 February, small 60 and
    large 80 yuan a day, towing 400):

    - 浙A10001 small: towed 29 January 22:00, kept 30 January – released 2 March;
    - 浙A10002 large: towed and kept 10 February, still kept;
    - 浙A10003: seized 20 February, not towed.

    Court B (2026: small 30 yuan a day, towing 200): 浙A20001 small, towed and kept 5 February.
    """
    a = keeper(court_a, "杭州甲保管公司")
    make_agreement(a[0], dt.date(2025, 1, 1), dt.date(2026, 1, 31), 30000, OLD_RATES)
    make_agreement(a[0], dt.date(2026, 2, 1), dt.date(2026, 12, 31), 40000, NEW_RATES)
    kept, seized = Impound.State.IN_CUSTODY, Impound.State.SEIZED
    impound(case, judge, "浙A10001", VehicleClass.SMALL, Impound.State.RELEASED, keeper=a,
            seized=local(2026, 1, 29, 21), towed_at=local(2026, 1, 29, 22),
            intake_at=local(2026, 1, 30, 0, 30), ended_at=local(2026, 3, 2, 15))  # fmt: skip
    impound(case, judge, "浙A10002", VehicleClass.LARGE, kept, keeper=a,
            seized=local(2026, 2, 10, 9), towed_at=local(2026, 2, 10, 9, 30),
            intake_at=local(2026, 2, 10, 11))  # fmt: skip
    impound(case, judge, "浙A10003", VehicleClass.SMALL, seized, seized=local(2026, 2, 20, 10))
    b = keeper(court_b, "上城乙保管公司")
    make_agreement(b[0], dt.date(2026, 1, 1), dt.date(2026, 12, 31), 20000,
                   {VehicleClass.SMALL: 3000})  # fmt: skip
    owner = enforcement.register_party(court=court_b, kind=Party.Kind.PERSON, name="钱七")
    case_b = file_case(court_b, judge_b, applicant, owner)
    impound(case_b, judge_b, "浙A20001", VehicleClass.SMALL, kept, keeper=b,
            seized=local(2026, 2, 5, 8), towed_at=local(2026, 2, 5, 8, 30),
            intake_at=local(2026, 2, 5, 10))  # fmt: skip


def test_custody_fees_of_each_court_and_of_the_court_above(data, court_a, court_b, court_h):
    """February: 浙A10001 28 days × 60 = 1,680 yuan (towed in January); 浙A10002 19 days × 80
    + towing 400 = 1,920; court B's 24 days × 30 + towing 200 = 920."""
    a, b, h = scope(court_a), scope(court_b), scope(court_h, court_a, court_b)
    assert [figure("vehicles.custody_fees", s) for s in (a, b, h)] == [360000, 92000, 452000]
    # March: 浙A10001 two days (1–2 March) × 60, 浙A10002 31 days × 80.
    assert figure("vehicles.custody_fees", scope(court_a, period=MARCH)) == 12000 + 248000
    assert REGISTRY.tiles["vehicles.custody_fees"].unit == Unit.MONEY


def test_vehicles_in_custody_and_seized(data, court_a, court_b, court_h):
    a, b, h = scope(court_a), scope(court_b), scope(court_h, court_a, court_b)
    assert [figure("vehicles.in_custody", s) for s in (a, b, h)] == [1, 1, 2]
    assert [figure("vehicles.impounded", s) for s in (a, b, h)] == [2, 1, 3]
    plates = [str(row.vehicle) for row in REGISTRY.tiles["vehicles.in_custody"].records(h)]
    assert plates == ["浙A20001", "浙A10002"]  # the longest kept first


def test_an_empty_period(data, court_a, court_b, court_h):
    empty = scope(court_h, court_a, court_b, period=(dt.date(2025, 6, 1), dt.date(2025, 6, 30)))
    assert figure("vehicles.custody_fees", empty) == 0
    assert figure("vehicles.impounded", empty) == 0
    assert not REGISTRY.tiles["vehicles.custody_fees"].records(empty).exists()


def test_the_previous_period(data, court_a):
    """March against 29 January – 28 February: 浙A10001 towed 29 January (old terms, 300
    yuan), 30–31 January × 50 and 28 February days × 60; 浙A10002 as in February."""
    tiles = [REGISTRY.tiles[key] for key in ("vehicles.custody_fees", "vehicles.impounded")]
    fees, seized = evaluate(tiles, scope(court_a, period=MARCH))
    assert (fees.value, fees.previous) == (260000, 30000 + 10000 + 168000 + 192000)
    assert (seized.value, seized.previous) == (0, 3)
    custody = evaluate([REGISTRY.tiles["vehicles.in_custody"]], scope(court_a))[0]
    assert custody.previous is None


def test_drill_downs_agree_with_the_figures(
    data, court_a, court_b, court_h, django_assert_max_num_queries
):
    h = scope(court_h, court_a, court_b)
    for key in KEYS:
        tile = REGISTRY.tiles[key]
        # The fee list: the impounds, then their custodians' agreements and rates.
        with django_assert_max_num_queries(3):
            rows = [[column.value(r) for column in tile.columns] for r in tile.records(h)]
        if key == "vehicles.custody_fees":
            assert sum(row[-1] for row in rows) == tile.measure(h)
            assert sorted(row[-2] for row in rows) == [19, 24, 28]  # days in February
        else:
            assert len(rows) == tile.measure(h), key
    tile = REGISTRY.tiles["vehicles.in_custody"]
    first = tile.records(h).first()
    assert tile.columns[0].link(first) == f"/vehicles/{first.vehicle_id}/"


def test_who_sees_which_tile(staff):
    for role, user in staff.items():
        if role == "ticket_clerk":
            continue
        visible = {tile.key for tile in REGISTRY.visible_tiles(user)}
        for key in KEYS:
            shown = user.has_perm("command.view_command_centre") and user.has_perm(
                REGISTRY.tiles[key].permission
            )
            assert (key in visible) == shown, (role, key)
    assert {tile.key for tile in REGISTRY.visible_tiles(staff[Role.FINANCE])} >= KEYS
    assert not KEYS & {tile.key for tile in REGISTRY.visible_tiles(staff[Role.INVESTIGATOR])}
    # A custodian's user sees their own custody in the portal, never the command centre.
    assert not REGISTRY.visible_tiles(staff[Role.CUSTODIAN])


def test_custody_fees_stop_at_today(data, court_a):
    """Read on 15 March: 浙A10001's two days and 浙A10002's first fifteen; nothing after today."""
    mid_march = Scope(frozenset({court_a.pk}), *MARCH, dt.date(2026, 3, 15))
    assert figure("vehicles.custody_fees", mid_march) == 12000 + 15 * 8000
    april = Scope(frozenset({court_a.pk}), dt.date(2026, 4, 1), dt.date(2026, 4, 30), MARCH[1])
    assert figure("vehicles.custody_fees", april) == 0
    assert not REGISTRY.tiles["vehicles.custody_fees"].records(april).exists()

"""Fixtures of the custodian, fee and stock-check tests: two agreements changing on 1 February
2026 and a vehicle kept from 30 January to 2 March 2026 (hand-computed figures in the tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from courtexec.roles import Role
from tests.vehicles.conftest import local, make_agreement, make_impound
from vehicles.models import Impound, Lot, VehicleClass

OLD_RATES = {
    VehicleClass.SMALL: 5000,
    VehicleClass.LARGE: 8000,
    VehicleClass.MOTORCYCLE: 2000,
    VehicleClass.SPECIAL: 10000,
}
NEW_RATES = {**OLD_RATES, VehicleClass.SMALL: 6000}


@pytest.fixture
def chief(staff):
    return staff[Role.BUREAU_CHIEF]


@pytest.fixture
def agreements(custodian):
    """Old terms to 31 January 2026 (towing 300 yuan), new from 1 February (towing 400)."""
    return (
        make_agreement(custodian, dt.date(2025, 1, 1), dt.date(2026, 1, 31), 30000, OLD_RATES),
        make_agreement(custodian, dt.date(2026, 2, 1), dt.date(2026, 12, 31), 40000, NEW_RATES),
    )


def kept(vehicle, case, user, custodian, lot, *, towed, intake, ended=None, **fields) -> Impound:
    state = Impound.State.RELEASED if ended else Impound.State.IN_CUSTODY
    return make_impound(
        vehicle, case, user, state=state, custodian=custodian, lot=lot, towed_at=towed,
        intake_at=intake, ended_at=ended, seized_at=towed, **fields,
    )  # fmt: skip


@pytest.fixture
def released(vehicle, case, judge, custodian, lot, agreements):
    """Towed 29 Jan 2026 22:00, in custody 30 Jan 00:30, released 2 Mar 2026 (Shanghai)."""
    return kept(
        vehicle, case, judge, custodian, lot,
        towed=local(2026, 1, 29, 22), intake=local(2026, 1, 30, 0, 30),
        ended=local(2026, 3, 2, 15),
    )  # fmt: skip


def second_lot(custodian) -> Lot:
    return Lot.objects.create(custodian=custodian, name="二号停车场", address="某路2号", capacity=5)

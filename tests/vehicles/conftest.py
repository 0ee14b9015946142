"""Fixtures of the vehicles tests: a respondent's vehicle on a filed case, a custodian with a
user, an agreement, a lot, and a way to put an impound in any state directly (ORM), so that
fee and visibility tests do not depend on the lifecycle services they do not test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtexec.roles import Role
from tests.factories import UserFactory
from vehicles.models import (
    AgreementRate,
    Custodian,
    CustodyAgreement,
    Impound,
    Lot,
    Vehicle,
    VehicleClass,
)

VALID_VIN = "LSVAM4187C2184847"
VALID_VIN_2 = "1M8GDM9AXKP042788"
PLATE = "浙A12345"


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def vehicle(court_a, judge, respondent, case):
    found = Vehicle.objects.create(
        court=court_a,
        plate=PLATE,
        vin=VALID_VIN,
        make_model="大众 帕萨特",
        colour="黑色",
        owner=respondent,
        registered_by=judge,
    )
    found.cases.add(case)
    return found


@pytest.fixture
def custodian(court_a):
    return Custodian.objects.create(
        court=court_a, name="杭州某某保安服务有限公司", contact="赵六", phone="0571-88000000"
    )


@pytest.fixture
def custodian_user(court_a, custodian):
    user = UserFactory(username="keeper", court=court_a, roles=[Role.CUSTODIAN])
    custodian.members.add(user)
    return user


RATES = {
    VehicleClass.SMALL: 5000,
    VehicleClass.LARGE: 8000,
    VehicleClass.MOTORCYCLE: 2000,
    VehicleClass.SPECIAL: 10000,
}


def make_agreement(custodian, valid_from, valid_until, towing_fee=30000, rates=None, number=None):
    agreement = CustodyAgreement.objects.create(
        custodian=custodian,
        number=number or f"BG-{valid_from:%Y%m%d}",
        valid_from=valid_from,
        valid_until=valid_until,
        towing_fee=towing_fee,
    )
    for vehicle_class, fee in (rates or RATES).items():
        AgreementRate.objects.create(
            agreement=agreement, vehicle_class=vehicle_class, daily_fee=fee
        )
    return agreement


@pytest.fixture
def agreement(custodian):
    return make_agreement(custodian, dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def lot(custodian):
    return Lot.objects.create(
        custodian=custodian, name="一号停车场", address="杭州市某路1号", capacity=3
    )


def make_impound(vehicle, case, user, state=Impound.State.SEIZED, **fields) -> Impound:
    """An impound put straight into ``state`` (no services, no chain of custody)."""
    values = {
        "vehicle": vehicle,
        "case": case,
        "state": state,
        "decision_number": "(2026)浙0103执100号之一",
        "seized_at": local(2026, 3, 1, 10),
        "seized_place": "杭州市某小区地下车库",
        "recorded_by": user,
        **fields,
    }
    return Impound.objects.create(**values)

"""Keeping custodians: credit code checked, members given the custodian role, all four rates,
no overlapping agreements (a field error, never a 500), capacity not below occupancy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courtexec.roles import Role
from tests.enforcement.fixtures import CREDIT_CODE
from tests.factories import UserFactory
from tests.vehicles.conftest import VALID_VIN_2, local
from tests.vehicles.fee_fixtures import NEW_RATES, kept
from vehicles import services
from vehicles.models import Vehicle

pytest_plugins = ["tests.vehicles.fee_fixtures"]
pytestmark = pytest.mark.django_db
RATES = {str(k): v for k, v in NEW_RATES.items()}


def test_custodian_with_a_checked_credit_code(chief, court_a, judge):
    made = services.save_custodian(user=chief, court=court_a, name=" 某某拖车公司 ",
                                   credit_code=CREDIT_CODE.lower())  # fmt: skip
    assert (made.name, made.credit_code) == ("某某拖车公司", CREDIT_CODE)
    with pytest.raises(ValidationError) as wrong:
        services.save_custodian(
            user=chief, court=court_a, name="乙", credit_code="91110000600037341X"
        )
    assert "credit_code" in wrong.value.error_dict
    with pytest.raises(ValidationError) as twice:
        services.save_custodian(user=chief, court=court_a, name="某某拖车公司")
    assert twice.value.error_dict["name"][0].code == "duplicate"
    with pytest.raises(PermissionDenied):
        services.save_custodian(user=judge, court=court_a, name="丙")


def test_members_get_the_custodian_role(chief, custodian, court_a, judge):
    keeper = UserFactory(username="new_keeper", court=court_a, roles=[])
    services.set_custodian_members(user=chief, custodian=custodian, members=[keeper])
    keeper.refresh_from_db()
    assert keeper.has_role(Role.CUSTODIAN)
    assert list(custodian.members.all()) == [keeper]
    with pytest.raises(ValidationError):  # court staff are not a company's users
        services.set_custodian_members(user=chief, custodian=custodian, members=[judge])


def agree(chief, custodian, start, end, **overrides):
    arguments = {"number": "X", "towing_fee": 0, "rates": RATES, **overrides}
    return services.save_agreement(
        user=chief, custodian=custodian, valid_from=start, valid_until=end, **arguments
    )


def test_agreement_needs_every_rate_and_no_overlap(chief, custodian, agreements):
    year = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    with pytest.raises(ValidationError) as missing:
        agree(chief, custodian, *year, rates={"small": 1, "large": 2})
    assert set(missing.value.error_dict) == {"rate_motorcycle", "rate_special"}
    with pytest.raises(ValidationError) as overlap:
        agree(chief, custodian, dt.date(2026, 12, 1), dt.date(2027, 12, 31))
    assert overlap.value.error_dict["valid_from"][0].code == "overlap"
    made = agree(chief, custodian, *year, number="BG-2027", towing_fee=50000)
    assert made.rates.count() == 4
    edited = agree(chief, custodian, dt.date(2027, 1, 1), dt.date(2027, 6, 30), number="BG-2027",
                   rates={**RATES, "small": 7000}, agreement=made)  # fmt: skip
    assert edited.rates.get(vehicle_class="small").daily_fee == 7000
    assert edited.valid_until == dt.date(2027, 6, 30)


def test_capacity_not_below_occupancy(
    chief, custodian, lot, vehicle, case, judge, agreements, court_a, respondent
):
    other = Vehicle.objects.create(court=court_a, plate="浙B54321", vin=VALID_VIN_2,
                                   owner=respondent, registered_by=judge)  # fmt: skip
    for car in (vehicle, other):
        kept(car, case, judge, custodian, lot, towed=local(2026, 2, 1), intake=local(2026, 2, 1, 2))
    with pytest.raises(ValidationError) as low:
        services.save_lot(user=chief, custodian=custodian, name=lot.name, address=lot.address,
                          capacity=1, lot=lot)  # fmt: skip
    assert low.value.error_dict["capacity"][0].code == "below_occupancy"
    assert services.save_lot(user=chief, custodian=custodian, name=lot.name, address=lot.address,
                             capacity=2, lot=lot).capacity == 2  # fmt: skip
    new = services.save_lot(
        user=chief, custodian=custodian, name="三号", address="某路3号", capacity=9
    )
    assert new.capacity == 9

"""Registering a vehicle through the service: plate and VIN normalised and checked, at least one
of them, each once in the court, an owner the court knows who is a party of each linked case."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from courtexec.roles import Role
from enforcement import services as enforcement_services
from enforcement.models import Party
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory
from tests.vehicles.conftest import VALID_VIN, VALID_VIN_2
from vehicles import services
from vehicles.models import Vehicle

pytestmark = pytest.mark.django_db


def register(user, court, owner, **fields):
    return services.register_vehicle(user=user, court=court, owner=owner, **fields)


def fields_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


def test_full_width_plate_and_vin_are_stored_normalised(court_a, judge, respondent, case):
    vehicle = register(
        judge, court_a, respondent, plate="浙ａ １２３４５", vin=" lsvam4187c2184847 ", cases=[case]
    )
    vehicle.refresh_from_db()
    assert (vehicle.plate, vehicle.vin) == ("浙A12345", VALID_VIN)
    assert list(vehicle.cases.all()) == [case]
    assert vehicle.registered_by == judge
    assert vehicle.history.first().history_user == judge


def test_a_new_energy_plate_alone_is_enough(court_a, judge, respondent):
    assert register(judge, court_a, respondent, plate="浙AD12345").vin == ""


def test_a_vin_alone_is_enough(court_a, judge, respondent):
    assert register(judge, court_a, respondent, vin=VALID_VIN_2).plate == ""


def test_neither_plate_nor_vin_is_refused(court_a, judge, respondent):
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        register(judge, court_a, respondent, plate=" ", vin="")
    assert "plate or the VIN" in fields_of(exc)["plate"][0]


def test_wrong_check_digit_names_the_vin(court_a, judge, respondent):
    wrong = VALID_VIN[:8] + "9" + VALID_VIN[9:]
    with translation.override("en"):  # the messages are lazy: read them in English too
        with pytest.raises(ValidationError) as exc:
            register(judge, court_a, respondent, plate="浙A12345", vin=wrong)
        assert "check digit" in fields_of(exc)["vin"][0]
    assert not Vehicle.objects.exists()


def test_a_bad_plate_and_a_bad_vin_are_both_named(court_a, judge, respondent):
    with pytest.raises(ValidationError) as exc:
        register(judge, court_a, respondent, plate="XA12345", vin="123")
    assert set(fields_of(exc)) == {"plate", "vin"}


def test_duplicate_plate_or_vin_in_the_court_is_a_field_error(court_a, judge, respondent, vehicle):
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        register(judge, court_a, respondent, plate="浙 a12345", vin=VALID_VIN)
    assert "already registered" in fields_of(exc)["plate"][0]
    assert "already registered" in fields_of(exc)["vin"][0]


def test_another_court_may_register_the_same_plate(court_b, judge_b, respondent, vehicle):
    respondent.courts.add(court_b)
    other = register(judge_b, court_b, respondent, plate=vehicle.plate)
    assert other.court == court_b


def test_the_owner_must_be_known_to_the_court(court_a, court_b, judge):
    stranger = enforcement_services.register_party(
        court=court_b, kind=Party.Kind.PERSON, name="路人"
    )
    with pytest.raises(ValidationError) as exc:
        register(judge, court_a, stranger, plate="浙A12345")
    assert "owner" in fields_of(exc)


def test_the_owner_must_be_a_party_of_each_linked_case(
    court_a, judge, applicant, respondent, person_respondent, case
):
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        register(judge, court_a, person_respondent, plate="浙A12345", cases=[case])
    assert "not a party of case" in fields_of(exc)["cases"][0]


def test_a_case_of_another_court_cannot_be_linked(
    court_a, court_b, judge, judge_b, respondent, applicant
):
    other_case = file_case(court_b, judge_b, applicant, respondent)
    with pytest.raises(ValidationError) as exc:
        register(judge, court_a, respondent, plate="浙A12345", cases=[other_case])
    assert "cases" in fields_of(exc)


def test_a_role_without_the_permission_may_not_register(court_a, respondent, staff):
    with pytest.raises(PermissionDenied):
        register(staff[Role.FINANCE], court_a, respondent, plate="浙A12345")


def test_update_renormalises_and_checks_duplicates(court_a, judge, respondent, vehicle):
    other = register(judge, court_a, respondent, plate="浙B54321")
    with pytest.raises(ValidationError) as exc:
        services.update_vehicle(user=judge, vehicle=other, owner=respondent, plate=vehicle.plate)
    assert "plate" in fields_of(exc)
    saved = services.update_vehicle(
        user=judge, vehicle=other, owner=respondent, plate="浙ｂ５４３２１", colour=" 白色 "
    )
    assert (saved.plate, saved.colour) == ("浙B54321", "白色")


def test_update_keeps_the_owner_a_party_of_the_linked_cases(judge, person_respondent, vehicle):
    with pytest.raises(ValidationError) as exc:
        services.update_vehicle(
            user=judge, vehicle=vehicle, owner=person_respondent, plate=vehicle.plate
        )
    assert "owner" in fields_of(exc)


def test_link_case_checks_the_owner(court_a, judge, applicant, respondent, person_respondent):
    vehicle = register(judge, court_a, respondent, plate="浙A11111")
    foreign = file_case(court_a, judge, applicant, person_respondent, instrument_number="X2")
    with pytest.raises(ValidationError):
        services.link_case(user=judge, vehicle=vehicle, case=foreign)
    mine = file_case(court_a, judge, applicant, respondent, instrument_number="X3")
    services.link_case(user=judge, vehicle=vehicle, case=mine)
    assert list(vehicle.cases.all()) == [mine]


def test_a_court_b_judge_cannot_register_in_court_a(court_a, court_b, respondent):
    outsider = UserFactory(court=court_b, roles=[Role.JUDGE])
    with pytest.raises(PermissionDenied):
        register(outsider, court_a, respondent, plate="浙A12345")

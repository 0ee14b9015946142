"""Custody: the lot's capacity (also for two intakes racing for the last bay), bays, the chain
of custody that no door can change, and custodians who see only their own custody."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from casefunds.services import Conflict
from courtexec.roles import Role
from tests.factories import UserFactory
from tests.vehicles import lifecycle_fixtures
from tests.vehicles.conftest import make_impound
from tests.vehicles.lifecycle_fixtures import State, advance, ago, impound_in
from vehicles import services
from vehicles.models import Custodian, CustodyEvent, Impound, Lot, Vehicle

approver = lifecycle_fixtures.approver


def _another_vehicle(vehicle, plate: str) -> Vehicle:
    other = Vehicle.objects.create(
        court=vehicle.court, plate=plate, owner=vehicle.owner, registered_by=vehicle.registered_by
    )
    other.cases.set(vehicle.cases.all())
    return other


def _towed(vehicle, case, judge, custodian) -> Impound:
    return make_impound(
        vehicle,
        case,
        judge,
        state=State.TOWED,
        custodian=custodian,
        towed_at=ago(hours=8),
        tow_driver="李师傅",
    )


def _intake(impound, lot, user, bay):
    return advance(impound, "intake", user=user, lot=lot, bay=bay)


@pytest.mark.django_db
def test_a_full_lot_refuses_and_a_bay_holds_one(vehicle, case, judge, custodian, lot):
    lot.capacity = 2
    lot.save()
    first, second, third = (
        _towed(_another_vehicle(vehicle, plate), case, judge, custodian)
        for plate in ("浙A00001", "浙A00002", "浙A00003")
    )
    _intake(first, lot, judge, "A1")
    with pytest.raises(Exception) as caught:
        _intake(second, lot, judge, "a1")
    assert "bay" in caught.value.message_dict
    _intake(second, lot, judge, "A2")
    with pytest.raises(Conflict) as caught:
        _intake(third, lot, judge, "A3")
    assert caught.value.code == "lot_full"
    assert Impound.objects.get(pk=third.pk).state == State.TOWED
    assert not CustodyEvent.objects.filter(impound=third).exists()


@pytest.mark.django_db
def test_moving_to_a_full_lot_is_refused(vehicle, case, judge, custodian, lot):
    small = Lot.objects.create(custodian=custodian, name="二号", address="某路2号", capacity=1)
    kept = make_impound(
        _another_vehicle(vehicle, "浙A00001"), case, judge, state=State.IN_CUSTODY,
        custodian=custodian, lot=small, bay="1",
    )  # fmt: skip
    mine = make_impound(
        vehicle, case, judge, state=State.IN_CUSTODY, custodian=custodian, lot=lot, bay="1"
    )
    assert kept.lot == small
    with pytest.raises(Conflict):
        services.move_bay(impound=mine, lot=small, bay="2", user=judge)
    services.move_bay(impound=mine, lot=lot, bay="2", user=judge)
    assert Impound.objects.get(pk=mine.pk).bay == "2"


@pytest.mark.django_db(transaction=True)
def test_two_intakes_racing_for_the_last_bay_exactly_one_wins(
    court_a, staff, vehicle, case, custodian, lot
):
    judge = staff[Role.JUDGE]
    lot.capacity = 1
    lot.save()
    impounds = [
        _towed(_another_vehicle(vehicle, plate), case, judge, custodian)
        for plate in ("浙A00001", "浙A00002")
    ]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def intake(impound, bay):
        try:
            barrier.wait()
            _intake(impound, lot, judge, bay)
            results.append("in")
        except Conflict as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=intake, args=(impound, f"B{n}"))
        for n, impound in enumerate(impounds)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["in", "lot_full"]
    assert Impound.objects.filter(lot=lot, state=State.IN_CUSTODY).count() == 1


# --- the chain cannot be changed ---


@pytest.mark.django_db
def test_services_offer_no_edit_or_delete_of_events():
    names = [name for name in dir(services) if "event" in name.lower()]
    assert all(not name.startswith(("edit", "update", "delete", "remove")) for name in names)


@pytest.mark.django_db
def test_admin_cannot_change_or_delete_the_chain(
    client, vehicle, case, judge, approver, custodian, agreement, lot
):
    impound = impound_in(State.IN_CUSTODY, vehicle, case, judge, approver, custodian, lot)
    event = impound.events.first()
    photo = CustodyEvent.objects.get(impound=impound, kind="seized").photos.get()
    admin = UserFactory(court=vehicle.court, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(f"/admin/vehicles/custodyevent/{event.pk}/change/").status_code == 200
    posted = client.post(f"/admin/vehicles/custodyevent/{event.pk}/change/", {"note": "rewritten"})
    assert posted.status_code == 403
    assert (
        client.post(f"/admin/vehicles/custodyevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(f"/admin/vehicles/custodyphoto/{photo.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/admin/vehicles/impound/{impound.pk}/change/", {"state": "released"}
        ).status_code
        == 403
    )
    assert client.get(f"/admin/vehicles/impound/{impound.pk}/change/").status_code == 200
    assert CustodyEvent.objects.get(pk=event.pk).note == event.note
    assert Impound.objects.get(pk=impound.pk).state == State.IN_CUSTODY


# --- custodians see their own custody only ---


@pytest.fixture
def rival(court_a, case, judge, vehicle):
    """Another custodian with its own user and a vehicle in its custody."""
    company = Custodian.objects.create(court=court_a, name="另一家保管公司")
    user = UserFactory(username="rival", court=court_a, roles=[Role.CUSTODIAN])
    company.members.add(user)
    lot = Lot.objects.create(custodian=company, name="三号", address="某路3号", capacity=5)
    other = _another_vehicle(vehicle, "浙A99999")
    impound = make_impound(
        other, case, judge, state=State.IN_CUSTODY, custodian=company, lot=lot, bay="9"
    )
    return user, impound


@pytest.mark.django_db
def test_custodian_sees_only_their_custody(
    client, custodian_user, rival, vehicle, case, judge, approver, custodian, agreement, lot
):
    mine = impound_in(State.IN_CUSTODY, vehicle, case, judge, approver, custodian, lot)
    _rival_user, theirs = rival
    photo = mine.events.get(kind="seized").photos.get()
    client.force_login(custodian_user)
    portal = client.get("/vehicles/custody/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mine.vehicle.plate in portal
    assert theirs.vehicle.plate not in portal
    assert client.get(photo.get_absolute_url()).status_code == 200
    listed = client.get("/api/v1/vehicles/impounds/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert client.get(f"/api/v1/vehicles/impounds/{theirs.pk}/").status_code == 404
    assert client.get(f"/vehicles/impounds/{theirs.pk}/move/").status_code == 404
    assert client.get(theirs.vehicle.get_absolute_url()).status_code == 404

    client.force_login(_rival_user)
    assert client.get(photo.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/vehicles/impounds/{mine.pk}/").status_code == 404
    events = client.get(f"/api/v1/vehicles/custody-events/?impound={mine.pk}")
    assert events.status_code == 400 or events.json()["results"] == []


@pytest.mark.django_db
def test_custodian_users_take_only_their_own_steps(
    client, custodian_user, vehicle, case, judge, approver, custodian, agreement, lot
):
    impound = impound_in(State.IN_CUSTODY, vehicle, case, judge, approver, custodian, lot)
    client.force_login(custodian_user)
    refused = client.post(
        f"/api/v1/vehicles/impounds/{impound.pk}/decide-disposal/",
        {"disposal": "release", "reference": "X"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    moved = client.post(
        f"/api/v1/vehicles/impounds/{impound.pk}/move/",
        {"lot": lot.pk, "bay": "C3"},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["allowed_actions"] == ["move"]

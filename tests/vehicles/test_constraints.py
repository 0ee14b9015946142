"""What PostgreSQL itself refuses: an edited or deleted chain of custody, overlapping custody
agreements, two open impounds of one vehicle, a vehicle in custody without a lot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.vehicles.conftest import make_agreement, make_impound
from vehicles.models import CustodyEvent, Impound

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(vehicle, case, judge):
    impound = make_impound(vehicle, case, judge)
    return CustodyEvent.objects.create(
        impound=impound,
        kind=CustodyEvent.Kind.SEIZED,
        at=impound.seized_at,
        handed_by="王五",
        received_by="执行法官",
        recorded_by=judge,
    )


def test_custody_events_cannot_be_edited(event):
    event.note = "changed afterwards"
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        CustodyEvent.objects.filter(pk=event.pk).update(received_by="someone else")


def test_custody_events_cannot_be_deleted(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        CustodyEvent.objects.filter(pk=event.pk).delete()
    assert CustodyEvent.objects.filter(pk=event.pk).exists()


def test_agreements_of_a_custodian_do_not_overlap(custodian, agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_agreement(custodian, dt.date(2026, 12, 31), dt.date(2027, 6, 30), number="BG-2")
    make_agreement(custodian, dt.date(2027, 1, 1), dt.date(2027, 12, 31), number="BG-3")


def test_one_open_impound_per_vehicle(vehicle, case, judge):
    make_impound(vehicle, case, judge)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_impound(vehicle, case, judge)
    Impound.objects.update(state=Impound.State.RELEASED)
    make_impound(vehicle, case, judge)  # seized again after the release


def test_in_custody_needs_a_lot(vehicle, case, judge):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_impound(vehicle, case, judge, state=Impound.State.IN_CUSTODY)

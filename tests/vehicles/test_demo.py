"""The vehicles demo: loaded by ``manage.py demo`` once, with a vehicle at every stage, the chain
of custody written by the services, and the controls (stock check, invoice, posting, alerts)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from courtexec.models import Notification, User
from vehicles import selectors
from vehicles.models import (
    CustodyEvent,
    CustodyInvoice,
    FeePosting,
    Impound,
    Sighting,
    StockCheck,
    Surveillance,
    Vehicle,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_every_stage_once():
    call_command("demo", stdout=io.StringIO())
    assert set(Impound.objects.values_list("state", flat=True)) == set(Impound.State.values)
    assert Surveillance.objects.filter(lifted_at__isnull=True).count() >= 2
    assert Sighting.objects.filter(matches__isnull=False).exists()
    for impound in Impound.objects.all():  # each step left its link in the chain
        assert impound.events.filter(kind=CustodyEvent.Kind.SEIZED).count() == 1
    delivered = Impound.objects.get(state=Impound.State.DELIVERED)
    assert list(delivered.events.values_list("kind", flat=True)) == [
        "seized",
        "tow_approved",
        "towed",
        "intake",
        "disposal_decided",
        "to_auction",
        "delivered",
    ]
    check = StockCheck.objects.get()
    assert check.discrepancies == 2  # one missing from its bay, one stranger
    assert CustodyInvoice.objects.get().total > 0
    assert FeePosting.objects.get().amount > 0
    assert Impound.objects.filter(overdue_alerted_at__isnull=False).count() == 1
    assert Notification.objects.filter(kind__startswith="vehicles.").exists()
    keeper = User.objects.get(username="keeper")
    seen = selectors.visible_impounds(keeper)
    assert seen.exists() and not seen.exclude(custodian__members=keeper).exists()

    vehicles, events = Vehicle.objects.count(), CustodyEvent.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert (Vehicle.objects.count(), CustodyEvent.objects.count()) == (vehicles, events)

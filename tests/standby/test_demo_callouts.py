"""The callouts demo: a month of past callouts (four in five assists), one paid in part at night
through casefunds with no ledger drift, one open night callout; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from casefunds.models import Deposit
from courtexec.roles import Role
from standby import demo_callouts, rules
from standby.models import Callout
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_its_mix(court_a, staff, judge, applicant, person_respondent):
    file_case(court_a, judge, applicant, person_respondent)
    UserFactory(court=court_a, roles=[Role.FINANCE])  # the cashier who counts with finance
    created = demo_callouts.load(court=court_a, staff=staff)
    assert created == demo_callouts.DAYS + 1
    assert demo_callouts.load(court=court_a, staff=staff) == 0
    past = Callout.objects.filter(status=Callout.Status.CLOSED)
    assert past.count() == demo_callouts.DAYS
    assert past.exclude(requesting_court_name="").count() / past.count() == pytest.approx(0.8)
    paid = past.get(outcome=Callout.Outcome.PAID_IN_PART)
    assert rules.is_night(paid.caught_at) and paid.deposit == Deposit.objects.get()
    assert set(past.values_list("outcome", flat=True)) >= {
        "transferred",
        "released",
        "paid_in_part",
    }
    open_one = Callout.objects.exclude(status=Callout.Status.CLOSED).get()
    assert open_one.status == Callout.Status.REPORTED and rules.is_night(open_one.caught_at)
    assert open_one.is_assist and open_one.events.filter(kind="notified").exists()
    assert not past.filter(events__kind="notified").exists()  # the log is not paged again
    call_command("verify_ledger")

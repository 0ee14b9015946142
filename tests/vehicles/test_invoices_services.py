"""Monthly invoices: lines per vehicle (days that month × rate, towing if towed that month),
once per custodian and month, only for a month that has ended, custodians see their own."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from casefunds.services import Conflict
from courtexec.roles import Role
from tests.factories import UserFactory
from tests.vehicles.conftest import local
from vehicles import selectors, services
from vehicles.models import Custodian

pytest_plugins = ["tests.vehicles.fee_fixtures"]
pytestmark = pytest.mark.django_db
D = dt.date


def issue(custodian, month, user):
    with time_machine.travel(local(2026, 4, 10, 9), tick=False):
        return services.issue_invoice(custodian=custodian, month=month, user=user)


def test_lines_per_month_across_the_agreement_change(released, custodian, chief):
    january = issue(custodian, D(2026, 1, 1), chief)
    february = issue(custodian, D(2026, 2, 15), chief)  # any day names its month
    march = issue(custodian, D(2026, 3, 1), chief)
    rows = [
        [(ln.days, ln.towing, ln.custody, ln.total) for ln in inv.lines.all()]
        for inv in (january, february, march)
    ]
    assert rows == [[(2, 30000, 10000, 40000)], [(28, 0, 168000, 168000)], [(2, 0, 12000, 12000)]]
    assert february.month == D(2026, 2, 1)
    assert (
        january.total + february.total + march.total == selectors.impound_statement(released).total
    )


def test_a_month_is_invoiced_once(released, custodian, chief, staff):
    issue(custodian, D(2026, 2, 1), chief)
    with pytest.raises(Conflict) as second:
        issue(custodian, D(2026, 2, 1), staff[Role.FINANCE])
    assert second.value.code == "already_invoiced"


def test_only_an_ended_month(released, custodian, chief):
    with pytest.raises(ValidationError) as error:
        issue(custodian, D(2026, 4, 1), chief)
    assert error.value.error_dict["month"][0].code == "not_ended"


def test_a_month_without_vehicles_has_no_lines(custodian, chief, agreements):
    assert issue(custodian, D(2026, 1, 1), chief).lines.count() == 0


def test_custodian_users_see_only_their_own_invoices(
    released, custodian, custodian_user, chief, court_a
):
    other = Custodian.objects.create(court=court_a, name="另一家保管公司")
    issue(custodian, D(2026, 1, 1), chief)
    issue(other, D(2026, 1, 1), chief)
    assert [i.custodian for i in selectors.visible_invoices(custodian_user)] == [custodian]
    assert selectors.visible_invoices(chief).count() == 2
    stranger = UserFactory(username="stranger", court=court_a, roles=[Role.CUSTODIAN])
    assert selectors.visible_invoices(stranger).count() == 0
    assert selectors.visible_postings(custodian_user).count() == 0

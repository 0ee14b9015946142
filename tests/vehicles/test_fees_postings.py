"""Statements and cost postings: the agreement change, month ends, contiguous and idempotent
postings with the towing fee once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from courtexec.roles import Role
from tests.vehicles.conftest import local
from tests.vehicles.fee_fixtures import kept
from vehicles import selectors, services
from vehicles.models import FeePosting

pytest_plugins = ["tests.vehicles.fee_fixtures"]
pytestmark = pytest.mark.django_db
D = dt.date


def test_statement_of_a_released_vehicle(released):
    statement = selectors.impound_statement(released)
    assert [(ln.number, ln.days, ln.amount) for ln in statement.lines] == [
        ("BG-20250101", 2, 10000),
        ("BG-20260201", 30, 180000),
    ]
    assert statement.towing == 30000  # towed 29 January under the old agreement
    assert statement.total == 220000


def test_statement_of_a_vehicle_still_kept_runs_to_today(
    vehicle, case, judge, custodian, lot, agreements
):
    impound = kept(vehicle, case, judge, custodian, lot, towed=local(2026, 2, 27, 9),
                   intake=local(2026, 2, 27, 11))  # fmt: skip
    with time_machine.travel(local(2026, 3, 1, 8), tick=False):
        statement = selectors.impound_statement(impound)
    assert statement.days == 3  # 27, 28 Feb, 1 Mar
    assert statement.total == 40000 + 3 * 6000


def test_postings_are_contiguous_idempotent_and_carry_towing_once(released, judge):
    with time_machine.travel(local(2026, 4, 1, 9), tick=False):
        first = services.post_fees_to_case(impound=released, through=D(2026, 1, 31), user=judge)
        again = services.post_fees_to_case(impound=released, through=D(2026, 1, 31), user=judge)
        second = services.post_fees_to_case(impound=released, through=D(2026, 2, 28), user=judge)
        third = services.post_fees_to_case(impound=released, through=D(2026, 3, 31), user=judge)
    assert again.pk == first.pk
    assert (first.covers_from, first.through, first.amount) == (
        D(2026, 1, 30),
        D(2026, 1, 31),
        40000,
    )
    assert (second.covers_from, second.amount) == (D(2026, 2, 1), 28 * 6000)
    assert (third.covers_from, third.amount) == (D(2026, 3, 1), 2 * 6000)  # left on 2 March
    assert FeePosting.objects.filter(impound=released).count() == 3
    assert sum(p.amount for p in FeePosting.objects.all()) == 220000  # = the statement
    assert first.case_id == released.case_id


def test_posting_refuses_future_overlapping_and_not_in_custody(released, judge, vehicle, case):
    with time_machine.travel(local(2026, 2, 10, 9), tick=False):
        with pytest.raises(ValidationError) as future:
            services.post_fees_to_case(impound=released, through=D(2026, 2, 11), user=judge)
        assert future.value.error_dict["through"][0].code == "future"
        services.post_fees_to_case(impound=released, through=D(2026, 2, 5), user=judge)
        with pytest.raises(ValidationError) as overlap:
            services.post_fees_to_case(impound=released, through=D(2026, 2, 3), user=judge)
        assert overlap.value.error_dict["through"][0].code == "already_posted"


def test_posting_needs_the_permission_and_the_court(released, staff, judge_b):
    with pytest.raises(PermissionDenied):
        services.post_fees_to_case(
            impound=released, through=D(2026, 2, 1), user=staff[Role.FINANCE]
        )
    with pytest.raises(PermissionDenied):
        services.post_fees_to_case(impound=released, through=D(2026, 2, 1), user=judge_b)

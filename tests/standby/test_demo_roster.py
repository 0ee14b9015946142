"""The demo roster loads once: six teams, four weeks back, eight ahead, a swap, Spring Festival."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from courtexec.roles import Role
from standby import demo_roster, selectors
from standby.models import Shift, ShiftSwap, StandbyTeam
from tests.standby.roster_fixtures import local

pytestmark = pytest.mark.django_db


def test_demo_roster(court_a, staff, time_machine):
    time_machine.move_to(local(2027, 1, 1, 10), tick=False)
    count = demo_roster.load(court=court_a, staff=staff)
    assert StandbyTeam.objects.filter(court=court_a).count() == 6
    shifts = list(Shift.objects.filter(court=court_a).order_by("starts_at"))
    assert count == len(shifts)
    assert shifts[0].starts_at == local(2026, 12, 4, 8)  # four weeks back, full shifts
    assert shifts[-1].ends_at >= local(2027, 1, 1, 10) + dt.timedelta(weeks=8)
    assert all(a.ends_at == b.starts_at for a, b in itertools.pairwise(shifts))
    assert selectors.shift_at(court_a, local(2027, 1, 1, 10)).starts_at == local(2027, 1, 1, 8)
    assert ShiftSwap.objects.get().status == "approved"
    festival = Shift.objects.filter(origin="override").order_by("starts_at")
    assert [s.starts_at for s in festival] == [local(2027, 2, d, 8) for d in (5, 6, 7, 8)]
    assert staff[Role.JUDGE] in shifts[0].members or any(
        staff[Role.JUDGE] in s.members for s in shifts
    )
    assert demo_roster.load(court=court_a, staff=staff) == 0

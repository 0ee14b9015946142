"""A hand-built month of standby callouts with known figures (built with the ORM: the callout
services are another slice's), shared by the figures, board and browser tests.

Court A, December 2026 and January 2027 (Asia/Shanghai):

==== ============== ======= ======== ============== ============ ======== =========
 no   caught          shift   assist   deadline       handed over  minutes  paid fen
==== ============== ======= ======== ============== ============ ======== =========
 c1   12-01 22:00     一组    yes      12-02 08:00    12-02 02:00   240 ok   500000
 c2   12-01 10:00     一组    no       12-01 12:00    12-01 12:30   150 late 100000
 c3   12-02 07:59     一组    yes      12-02 08:00    12-02 08:30    31 late  20000
 c4   12-02 20:00     二组    yes      12-03 08:00    —  (open: overdue after)     0
 c5   12-03 08:00     override yes     12-03 10:00    12-03 09:00    60 ok    30000
 c7   12-05 19:59     (gap)   no       12-05 21:59    —  (closed: released)       0
 c6   01-01 22:00     一组    yes      01-02 08:00    01-02 00:30   150 ok   250000
 --   11-30 23:30     (gap)   no       outside the period                    70000
 --   court B 12-01 22:00                 not visible to court A            999999
==== ============== ======= ======== ============== ============ ======== =========
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import count
from zoneinfo import ZoneInfo

from courtexec.roles import Role
from standby.models import Callout, Shift, StandbyTeam
from tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
_references = count(1)


def local(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def shift(court, team, starts_at, hours=24, people=None, origin=Shift.Origin.ROTATION) -> Shift:
    leader, judge, police = people or team.members
    return Shift.objects.create(
        court=court,
        team=team,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        leader=leader,
        judge=judge,
        police=police,
        origin=origin,
    )


def callout(court, reporter, caught_at, deadline, *, shift=None, assist=False, handed=None,
            paid=0, status=None) -> Callout:  # fmt: skip
    if status is None:
        status = Callout.Status.HANDED_OVER if handed else Callout.Status.REPORTED
    return Callout.objects.create(
        court=court,
        reference=f"BQ-FIG-{next(_references)}",
        reported_by=reporter,
        police_station="武林派出所",
        police_officer="李警官",
        police_phone="0571-87000000",
        caught_at=caught_at,
        person_name="王五",
        requesting_court_name="上海市浦东新区人民法院" if assist else "",
        requesting_court_code="沪0115" if assist else "",
        shift=shift,
        handover_deadline=deadline,
        handed_over_at=handed,
        status=status,
        amount_paid=paid,
    )


@dataclass
class Dataset:
    team_a: StandbyTeam
    team_b: StandbyTeam
    shifts: list[Shift]


def build(court_a, court_b, staff) -> Dataset:
    leader, judge, police = staff[Role.BUREAU_CHIEF], staff[Role.JUDGE], staff[Role.JUDICIAL_POLICE]
    for person, phone in ((leader, "13900000001"), (judge, "13900000002"), (police, "13900000003")):
        person.phone = phone
        person.save(update_fields=["phone"])
    others = [
        UserFactory(username=f"b_{role.value}", court=court_a, roles=[role], phone=phone)
        for role, phone in (
            (Role.SECTION_CHIEF, "13900000011"),
            (Role.JUDGE, "13900000012"),
            (Role.JUDICIAL_POLICE, "13900000013"),
        )
    ]
    team_a = StandbyTeam.objects.create(
        court=court_a, name="一组", leader=leader, judge=judge, police=police
    )
    team_b = StandbyTeam.objects.create(
        court=court_a, name="二组", leader=others[0], judge=others[1], police=others[2]
    )
    s1 = shift(court_a, team_a, local(12, 1, 8))
    s2 = shift(court_a, team_b, local(12, 2, 8))
    s3 = shift(court_a, None, local(12, 3, 8), people=(others[0], judge, police),
               origin=Shift.Origin.OVERRIDE)  # fmt: skip
    s4 = shift(court_a, team_a, local(1, 1, 8, year=2027))
    reporter = staff[Role.POLICE_LIAISON]
    callout(court_a, reporter, local(12, 1, 22), local(12, 2, 8), shift=s1, assist=True,
            handed=local(12, 2, 2), paid=500000)  # fmt: skip
    callout(court_a, reporter, local(12, 1, 10), local(12, 1, 12), shift=s1,
            handed=local(12, 1, 12, 30), paid=100000)  # fmt: skip
    callout(court_a, reporter, local(12, 2, 7, 59), local(12, 2, 8), shift=s1, assist=True,
            handed=local(12, 2, 8, 30), paid=20000)  # fmt: skip
    callout(court_a, reporter, local(12, 2, 20), local(12, 3, 8), shift=s2, assist=True)
    callout(court_a, reporter, local(12, 3, 8), local(12, 3, 10), shift=s3, assist=True,
            handed=local(12, 3, 9), paid=30000)  # fmt: skip
    callout(court_a, reporter, local(12, 5, 19, 59), local(12, 5, 21, 59),
            status=Callout.Status.CLOSED)  # fmt: skip
    callout(court_a, reporter, local(1, 1, 22, year=2027), local(1, 2, 8, year=2027), shift=s4,
            assist=True, handed=local(1, 2, 0, 30, year=2027), paid=250000,
            status=Callout.Status.CLOSED)  # fmt: skip
    callout(court_a, reporter, local(11, 30, 23, 30), local(12, 1, 8), paid=70000)
    other = UserFactory(court=court_b, roles=[Role.POLICE_LIAISON])
    callout(court_b, other, local(12, 1, 22), local(12, 2, 8), assist=True, paid=999999)
    return Dataset(team_a, team_b, [s1, s2, s3, s4])

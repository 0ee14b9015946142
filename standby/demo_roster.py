"""Demo roster of a court: six 1+1+1 teams on a 24-hour rotation from 08:00, shifts from four
weeks ago to eight weeks ahead, one approved swap and, when it falls in range, a Spring
Festival override. Idempotent: nothing happens once the court has a rotation.

The first team is the demo's login accounts (bureau chief, judge, judicial police); the other
fifteen members are staff without a login (unusable password), like other demo staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from courtexec.models import Court, User
from courtexec.roles import Role
from standby import services
from standby.models import Rotation, Shift

# Spring Festival eve (除夕) of the coming years; the override covers the eve and three days.
SPRING_FESTIVAL_EVE = [dt.date(2026, 2, 16), dt.date(2027, 2, 5), dt.date(2028, 1, 25)]

SURNAMES = "钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
TITLES = {"leader": "副局长", "judge": "法官", "police": "法警"}


def _member(court: Court, place: str, n: int) -> User:
    role = services.PLACES[place]
    username = f"standby_{court.pk}_{place}{n}"
    user = User.objects.filter(username=username).first()
    if user is None:
        surname = SURNAMES[(n * 3 + list(TITLES).index(place)) % len(SURNAMES)]
        user = User(
            username=username,
            court=court,
            display_name=f"{surname}{TITLES[place]}",
            phone=f"1390000{court.pk % 100:02d}{n}{list(TITLES).index(place)}"[:11],
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.set(Group.objects.filter(name=role.value))
    return user


@transaction.atomic
def load(*, court: Court, staff: Mapping[Role, User]) -> int:
    """Load the demo roster of ``court``; returns the number of shifts (0 if already loaded)."""
    if Rotation.objects.filter(court=court).exists():
        return 0
    chief = staff[Role.BUREAU_CHIEF]
    teams = [
        services.save_team(
            user=chief, court=court, name="第1组",
            leader=chief, judge=staff[Role.JUDGE], police=staff[Role.JUDICIAL_POLICE],
        )
    ]  # fmt: skip
    for n in range(2, 7):
        people = {place: _member(court, place, n) for place in services.PLACES}
        teams.append(services.save_team(user=chief, court=court, name=f"第{n}组", **people))
    now = timezone.now()
    first_day = timezone.localdate() - dt.timedelta(weeks=4)
    services.set_rotation(
        user=chief, court=court, teams=teams, shift_hours=24, starts_on=first_day,
        start_time=dt.time(8, 0),
        record_from=timezone.make_aware(dt.datetime.combine(first_day, dt.time(8, 0))),
    )  # fmt: skip
    _swap(court, chief, staff[Role.JUDGE], now)
    _spring_festival(court, chief, teams, now)
    return Shift.objects.filter(court=court).count()


def _swap(court: Court, chief: User, judge: User, now: dt.datetime) -> None:
    """The demo judge swaps their next shift with the second team's judge's following one."""
    future = Shift.objects.filter(court=court, starts_at__gt=now + dt.timedelta(days=1))
    mine = future.filter(judge=judge).order_by("starts_at").first()
    if mine is None:
        return
    theirs = future.filter(starts_at__gt=mine.starts_at).exclude(judge=judge).first()
    if theirs is None:
        return
    swap = services.request_swap(
        user=judge, shift=mine, counterpart=theirs.judge, counterpart_shift=theirs,
        reason="孩子家长会",
    )  # fmt: skip
    services.accept_swap(user=theirs.judge, swap=swap)
    services.approve_swap(user=chief, swap=swap)


def _spring_festival(court: Court, chief: User, teams, now: dt.datetime) -> None:
    horizon = now + dt.timedelta(weeks=8)
    for eve in SPRING_FESTIVAL_EVE:
        start = timezone.make_aware(dt.datetime.combine(eve, dt.time(8, 0)))
        if now < start and start + dt.timedelta(days=4) <= horizon:
            services.add_override(
                user=chief, court=court, starts_at=start, ends_at=start + dt.timedelta(days=4),
                leader=teams[1].leader, judge=teams[2].judge, police=teams[3].police,
                reason="春节值班",
            )  # fmt: skip
            return

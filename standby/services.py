"""Writes of the standby section: each one transaction, checking who may do it.

Business rules live here whatever the door (pages, API, admin, Celery).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.services import Conflict as _ServiceConflict
from courtexec.authz import authorise, require
from courtexec.history import recorded_write
from courtexec.models import Court, User
from courtexec.notifications import notify
from courtexec.roles import Role
from standby.models import (
    CalendarFeed,
    GapWarning,
    Override,
    Rotation,
    RotationTeam,
    Shift,
    ShiftSwap,
    StandbyTeam,
)

# --- roster -----------------------------------------------------------------------------------


class Conflict(_ServiceConflict):
    """The roster changed under the request (the shift started, someone moved): HTTP 409."""


# The three places of a 1+1+1 team and the role each needs.
PLACES: dict[str, Role] = {
    "leader": Role.BUREAU_CHIEF,
    "judge": Role.JUDGE,
    "police": Role.JUDICIAL_POLICE,
}


def check_people(court: Court, people: dict[str, User | None]) -> None:
    """Three different people of the court, each holding their place's role."""
    errors: dict[str, list[ValidationError]] = {}
    for place, role in PLACES.items():
        person = people.get(place)
        if person is None:
            errors[place] = [ValidationError(_("Choose a person."), code="required")]
        elif person.court_id != court.pk or not person.is_active:
            errors[place] = [
                ValidationError(_("Choose an active member of this court."), code="other_court")
            ]
        elif not person.has_role(role):
            errors[place] = [
                ValidationError(
                    _("%(person)s does not hold the role %(role)s.")
                    % {"person": person, "role": role.label},
                    code="wrong_role",
                )
            ]
    if errors:
        raise ValidationError(errors)
    ids = [people[place].pk for place in PLACES]
    if len(set(ids)) != 3:
        raise ValidationError(
            {"police": ValidationError(_("A 1+1+1 team needs three different people."), "same")}
        )


def _check_free(person: User, starts_at: dt.datetime, ends_at: dt.datetime, exclude: Iterable[int]):
    """Refuse to put ``person`` on a shift overlapping another of theirs (any court)."""
    busy = (
        Shift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .filter(Q(leader=person) | Q(judge=person) | Q(police=person))
        .exclude(pk__in=list(exclude))
        .first()
    )
    if busy is not None:
        raise Conflict(
            _("%(person)s is already on duty from %(start)s to %(end)s.")
            % {
                "person": person,
                "start": f"{timezone.localtime(busy.starts_at):%Y-%m-%d %H:%M}",
                "end": f"{timezone.localtime(busy.ends_at):%Y-%m-%d %H:%M}",
            },
            code="double_booked",
        )


def _refuse_started(shift: Shift, now: dt.datetime) -> None:
    if shift.starts_at <= now:
        raise Conflict(
            _("The shift of %(start)s has started: past shifts are records and cannot change.")
            % {"start": f"{timezone.localtime(shift.starts_at):%Y-%m-%d %H:%M}"},
            code="shift_started",
        )


def _is_chief(user: User, court: Court) -> bool:
    return user.is_superuser or (user.court_id == court.pk and user.has_role(Role.BUREAU_CHIEF))


# Teams ------------------------------------------------------------------------------------------


@recorded_write
def save_team(
    *,
    user: User,
    court: Court,
    name: str,
    leader: User,
    judge: User,
    police: User,
    active: bool = True,
    team: StandbyTeam | None = None,
) -> StandbyTeam:
    """Create a team, or edit ``team``. Its shifts already generated keep their people."""
    authorise(user, court, "standby.change_standbyteam" if team else "standby.add_standbyteam")
    name = (name or "").strip()
    require(bool(name), "name", _("Give the team a name."), "required")
    check_people(court, {"leader": leader, "judge": judge, "police": police})
    clash = StandbyTeam.objects.filter(court=court, name=name)
    if team is not None:
        require(team.court_id == court.pk, "name", _("This team belongs to another court."))
        clash = clash.exclude(pk=team.pk)
    require(not clash.exists(), "name", _("A team of this court has that name."), "duplicate")
    team = team or StandbyTeam(court=court)
    team.name, team.leader, team.judge, team.police, team.active = (
        name,
        leader,
        judge,
        police,
        active,
    )
    team.save()
    return team


# Rotation and generation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    team: StandbyTeam


def _first_start(rotation: Rotation) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(rotation.starts_on, rotation.start_time))


def rotation_slots(
    rotation: Rotation, teams: Sequence[StandbyTeam], start: dt.datetime, end: dt.datetime
) -> list[Slot]:
    """The rotation's shifts that end after ``start`` and begin before ``end``, in order."""
    if not teams:
        return []
    first = _first_start(rotation)
    length = dt.timedelta(hours=rotation.shift_hours)
    index = max(0, int((start - first) // length))
    slots = []
    while True:
        slot_start = first + index * length
        if slot_start >= end:
            return slots
        if slot_start + length > start:
            slots.append(Slot(slot_start, slot_start + length, teams[index % len(teams)]))
        index += 1


def _horizon(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(weeks=settings.STANDBY_ROSTER_WEEKS)


def _generate(rotation: Rotation, start: dt.datetime, end: dt.datetime) -> list[Shift]:
    """Create the rotation's shifts in [start, end) that no existing shift occupies; a slot
    whose beginning is covered by an existing shift starts when that one ends. Idempotent."""
    teams = [
        slot.team
        for slot in rotation.slots.select_related("team__leader", "team__judge", "team__police")
    ]
    existing = list(
        Shift.objects.filter(court=rotation.court_id, ends_at__gt=start, starts_at__lt=end)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )
    created = []
    for slot in rotation_slots(rotation, teams, start, end):
        begin = max(slot.starts_at, start)
        overlapping = [(s, e) for s, e in existing if s < slot.ends_at and e > begin]
        for s, e in overlapping:
            if s <= begin:
                begin = max(begin, e)
        if begin >= slot.ends_at or any(s > begin and s < slot.ends_at for s, _e in overlapping):
            continue
        team = slot.team
        shift = Shift.objects.create(
            court_id=rotation.court_id,
            starts_at=begin,
            ends_at=slot.ends_at,
            team=team,
            leader=team.leader,
            judge=team.judge,
            police=team.police,
        )
        existing.append((shift.starts_at, shift.ends_at))
        created.append(shift)
    return created


def _apply_overrides(court: Court | int, start: dt.datetime) -> None:
    for override in Override.objects.filter(court=court, ends_at__gt=start).order_by("created_at"):
        _override_shifts(override, start)


def _override_shifts(override: Override, now: dt.datetime) -> int:
    shifts = list(
        Shift.objects.select_for_update()
        .filter(court=override.court_id, starts_at__gte=max(override.starts_at, now))
        .filter(starts_at__lt=override.ends_at)
        .order_by("pk")
    )
    for shift in shifts:
        shift.team = None
        shift.leader_id, shift.judge_id, shift.police_id = (
            override.leader_id,
            override.judge_id,
            override.police_id,
        )
        shift.origin = Shift.Origin.OVERRIDE
        shift.note = override.reason[:200]
        shift.save()
    return len(shifts)


@recorded_write
def set_rotation(
    *,
    user: User,
    court: Court,
    teams: Sequence[StandbyTeam],
    shift_hours: int,
    starts_on: dt.date,
    start_time: dt.time,
    record_from: dt.datetime | None = None,
) -> Rotation:
    """Set the court's rotation. Shifts that have not started are regenerated (with the
    overrides applied again, open swaps of removed shifts cancelled); started shifts stay.

    ``record_from`` (a past moment) also records the rotation's shifts since then where no
    shift is on record: for taking over the paper roster when the rotation is first set.
    Without it, a first rotation set in the middle of a slot starts its shift now."""
    authorise(user, court, "standby.change_rotation")
    require(bool(teams), "teams", _("Put at least one team in the rotation."), "required")
    require(len({t.pk for t in teams}) == len(teams), "teams", _("A team is listed twice."))
    for team in teams:
        require(team.court_id == court.pk, "teams", _("A team belongs to another court."))
        require(team.active, "teams", _("Team %(team)s is not active.") % {"team": team.name})
    require(
        isinstance(shift_hours, int) and 1 <= shift_hours <= 168,
        "shift_hours",
        _("A shift lasts from 1 to 168 hours."),
    )
    Court.objects.select_for_update().get(pk=court.pk)  # one rotation edit at a time per court
    rotation, _created = Rotation.objects.get_or_create(
        court=court,
        defaults={"shift_hours": shift_hours, "starts_on": starts_on, "start_time": start_time},
    )
    rotation.shift_hours, rotation.starts_on, rotation.start_time = (
        shift_hours,
        starts_on,
        start_time,
    )
    rotation.save()
    rotation.slots.all().delete()
    for position, team in enumerate(teams, start=1):
        RotationTeam.objects.create(rotation=rotation, team=team, position=position)
    now = timezone.now()
    future = Shift.objects.filter(court=court, starts_at__gt=now)
    future_ids = list(future.values_list("pk", flat=True))
    open_swaps = (
        ShiftSwap.objects.select_for_update()  # an approval in flight finishes first
        .filter(status__in=ShiftSwap.OPEN)
        .filter(Q(shift__in=future_ids) | Q(counterpart_shift__in=future_ids))
        .order_by("pk")
    )
    for swap in open_swaps:
        swap.status, swap.decided_at, swap.decided_by = ShiftSwap.Status.CANCELLED, now, user
        swap.save()
    for shift in Shift.objects.filter(pk__in=future_ids):
        shift.delete()
    _generate(rotation, min(now, record_from) if record_from else now, _horizon(now))
    _apply_overrides(court, now)
    return rotation


@recorded_write
def extend_roster(*, court: Court | None = None, user: User | None = None) -> int:
    """Generate every rotation's shifts up to ``STANDBY_ROSTER_WEEKS`` ahead (idempotent)."""
    now = timezone.now()
    rotations = Rotation.objects.all() if court is None else Rotation.objects.filter(court=court)
    created = 0
    for rotation in rotations.order_by("court_id"):
        Court.objects.select_for_update().get(pk=rotation.court_id)
        new = _generate(rotation, now, _horizon(now))
        if new:
            _apply_overrides(rotation.court_id, new[0].starts_at)
        created += len(new)
    return created


# Overrides --------------------------------------------------------------------------------------


@recorded_write
def add_override(
    *,
    user: User,
    court: Court,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    leader: User,
    judge: User,
    police: User,
    reason: str,
) -> Override:
    """Put a 1+1+1 of the right roles on every future shift that starts in the period."""
    authorise(user, court, "standby.change_shift")
    require(
        bool((reason or "").strip()), "reason", _("Say why (e.g. Spring Festival)."), "required"
    )
    require(ends_at > starts_at, "ends_at", _("The end must come after the start."), "order")
    now = timezone.now()
    require(starts_at > now, "starts_at", _("An override can only change future shifts."), "past")
    check_people(court, {"leader": leader, "judge": judge, "police": police})
    Court.objects.select_for_update().get(pk=court.pk)
    targets = list(
        Shift.objects.select_for_update()
        .filter(court=court, starts_at__gte=starts_at, starts_at__lt=ends_at)
        .order_by("pk")
    )
    require(bool(targets), "starts_at", _("No shift starts in this period."), "no_shifts")
    ids = [s.pk for s in targets]
    for person in (leader, judge, police):
        for shift in targets:
            _check_free(person, shift.starts_at, shift.ends_at, exclude=ids)
    override = Override.objects.create(
        court=court,
        starts_at=starts_at,
        ends_at=ends_at,
        leader=leader,
        judge=judge,
        police=police,
        reason=reason.strip(),
        created_by=user,
    )
    _override_shifts(override, now)
    notify(
        {leader, judge, police},
        kind="standby.override",
        message=_("You are on standby duty from %(start)s to %(end)s: %(reason)s")
        % {
            "start": f"{timezone.localtime(targets[0].starts_at):%Y-%m-%d %H:%M}",
            "end": f"{timezone.localtime(targets[-1].ends_at):%Y-%m-%d %H:%M}",
            "reason": override.reason,
        },
        link="/standby/my-shifts/",
    )
    return override


# Swaps ------------------------------------------------------------------------------------------


def place_of(shift: Shift, person: User) -> str | None:
    for place in PLACES:
        if getattr(shift, f"{place}_id") == person.pk:
            return place
    return None


@recorded_write
def request_swap(
    *,
    user: User,
    shift: Shift,
    counterpart: User,
    counterpart_shift: Shift | None = None,
    reason: str = "",
) -> ShiftSwap:
    """``user`` asks ``counterpart`` (same role) to take their place on ``shift``, in exchange for
    the counterpart's place on ``counterpart_shift`` or, without one, as a one-way cover."""
    court = shift.court
    if user.court_id != court.pk:
        raise PermissionDenied(_("This record belongs to another court."))
    place = place_of(shift, user)
    require(place is not None, "shift", _("You are not on this shift."), "not_on_shift")
    now = timezone.now()
    require(shift.starts_at > now, "shift", _("This shift has started."), "shift_started")
    require(counterpart.pk != user.pk, "counterpart", _("Choose someone else."), "same")
    require(
        counterpart.court_id == court.pk and counterpart.is_active,
        "counterpart",
        _("Choose an active member of this court."),
        "other_court",
    )
    require(
        counterpart.has_role(PLACES[place]),
        "counterpart",
        _("%(person)s does not hold the role %(role)s.")
        % {"person": counterpart, "role": PLACES[place].label},
        "wrong_role",
    )
    require(
        place_of(shift, counterpart) is None,
        "counterpart",
        _("%(person)s is already on this shift.") % {"person": counterpart},
        "already_on_shift",
    )
    if counterpart_shift is not None:
        require(
            counterpart_shift.court_id == court.pk and counterpart_shift.pk != shift.pk,
            "counterpart_shift",
            _("Choose another shift of this court."),
        )
        require(
            getattr(counterpart_shift, f"{place}_id") == counterpart.pk,
            "counterpart_shift",
            _("%(person)s is not on that shift in your place.") % {"person": counterpart},
            "not_on_shift",
        )
        require(
            counterpart_shift.starts_at > now,
            "counterpart_shift",
            _("That shift has started."),
            "shift_started",
        )
        require(
            place_of(counterpart_shift, user) is None,
            "counterpart_shift",
            _("You are already on that shift."),
            "already_on_shift",
        )
    swap = ShiftSwap.objects.create(
        court=court,
        requester=user,
        shift=shift,
        counterpart=counterpart,
        counterpart_shift=counterpart_shift,
        role=place,
        reason=(reason or "").strip()[:200],
    )
    notify(
        [counterpart],
        kind="standby.swap_requested",
        message=_("%(person)s asks you to swap standby shifts.") % {"person": user},
        link="/standby/swaps/",
    )
    return swap


def _lock_swap(swap: ShiftSwap, *states: str) -> ShiftSwap:
    swap = ShiftSwap.objects.select_for_update().get(pk=swap.pk)
    if swap.status not in states:
        raise Conflict(
            _("This swap is %(status)s.") % {"status": swap.get_status_display().lower()},
            code="wrong_state",
        )
    return swap


@recorded_write
def accept_swap(*, user: User, swap: ShiftSwap) -> ShiftSwap:
    if user.pk != swap.counterpart_id:
        raise PermissionDenied(_("Only the person asked can accept."))
    swap = _lock_swap(swap, ShiftSwap.Status.REQUESTED)
    swap.status, swap.accepted_at = ShiftSwap.Status.ACCEPTED, timezone.now()
    swap.save()
    chiefs = User.objects.filter(court=swap.court_id, groups__name=Role.BUREAU_CHIEF.value)
    notify(
        chiefs,
        kind="standby.swap_accepted",
        message=_("A standby swap waits for approval: %(swap)s.") % {"swap": swap},
        link="/standby/swaps/",
    )
    return swap


@recorded_write
def withdraw_swap(*, user: User, swap: ShiftSwap) -> ShiftSwap:
    if user.pk != swap.requester_id:
        raise PermissionDenied(_("Only the person who asked can withdraw."))
    swap = _lock_swap(swap, *ShiftSwap.OPEN)
    swap.status, swap.decided_at, swap.decided_by = ShiftSwap.Status.WITHDRAWN, timezone.now(), user
    swap.save()
    return swap


@recorded_write
def refuse_swap(*, user: User, swap: ShiftSwap) -> ShiftSwap:
    """The counterpart refuses a request; a bureau leader refuses a request or an acceptance."""
    chief = _is_chief(user, swap.court)
    if not chief and user.pk != swap.counterpart_id:
        raise PermissionDenied(_("Only the person asked or a bureau leader can refuse."))
    swap = _lock_swap(swap, *(ShiftSwap.OPEN if chief else (ShiftSwap.Status.REQUESTED,)))
    swap.status, swap.decided_at, swap.decided_by = ShiftSwap.Status.REFUSED, timezone.now(), user
    swap.save()
    notify(
        [swap.requester],
        kind="standby.swap_refused",
        message=_("Your standby swap was refused."),
        link="/standby/swaps/",
    )
    return swap


@recorded_write
def approve_swap(*, user: User, swap: ShiftSwap) -> ShiftSwap:
    """Exchange the two people's places (or hand over the place, for a cover). The swap and
    both shifts are locked (shifts in primary-key order), then everything is checked again, so
    of two swaps racing for the same shift exactly one goes through."""
    if not _is_chief(user, swap.court):
        raise PermissionDenied(_("Only a bureau leader of this court can approve a swap."))
    swap = _lock_swap(swap, ShiftSwap.Status.ACCEPTED)
    ids = [pk for pk in (swap.shift_id, swap.counterpart_shift_id) if pk is not None]
    if swap.shift_id is None:  # regenerated away (its open swaps are cancelled with it)
        raise Conflict(_("A shift of this swap no longer exists."), code="shift_gone")
    shifts = {s.pk: s for s in Shift.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    mine, theirs = shifts[swap.shift_id], shifts.get(swap.counterpart_shift_id)
    now = timezone.now()
    place = f"{swap.role}_id"
    for shift in (mine, theirs):
        if shift is not None:
            _refuse_started(shift, now)
    if getattr(mine, place) != swap.requester_id or (
        theirs is not None and getattr(theirs, place) != swap.counterpart_id
    ):
        raise Conflict(
            _("The roster changed since this swap was asked: ask again."), code="roster_changed"
        )
    counterpart, requester = swap.counterpart, swap.requester
    for person, shift in ((counterpart, mine), (requester, theirs)):
        if shift is None:
            continue
        others = {getattr(shift, f"{p}_id") for p in PLACES if p != swap.role}
        if person.pk in others:
            raise Conflict(
                _("%(person)s is already on that shift.") % {"person": person},
                code="already_on_shift",
            )
        _check_free(person, shift.starts_at, shift.ends_at, exclude=ids)
    setattr(mine, place, counterpart.pk)
    mine.origin = Shift.Origin.SWAP
    mine.save()
    if theirs is not None:
        setattr(theirs, place, requester.pk)
        theirs.origin = Shift.Origin.SWAP
        theirs.save()
    swap.status, swap.decided_at, swap.decided_by = ShiftSwap.Status.APPROVED, now, user
    swap.save()
    notify(
        [requester, counterpart],
        kind="standby.swap_approved",
        message=_("Your standby swap was approved."),
        link="/standby/my-shifts/",
    )
    return swap


# Gaps -------------------------------------------------------------------------------------------


@transaction.atomic
def warn_of_gaps() -> int:
    """Warn each court's bureau chief(s) of every gap in the next ``STANDBY_GAP_CHECK_DAYS``
    days, once per gap (a unique row per court and gap start)."""
    from standby.selectors import gaps

    now = timezone.now()
    end = now + dt.timedelta(days=settings.STANDBY_GAP_CHECK_DAYS)
    warned = 0
    for court in Court.objects.filter(standby_rotation__isnull=False).order_by("pk"):
        for start, stop in gaps(court, now, end):
            if (
                start == now
                and GapWarning.objects.filter(
                    court=court, starts_at__lte=now, ends_at__gt=now
                ).exists()
            ):
                continue  # the gap under way was warned of when it lay ahead
            _row, created = GapWarning.objects.get_or_create(
                court=court, starts_at=start, defaults={"ends_at": stop}
            )
            if not created:
                continue
            chiefs = User.objects.filter(court=court, groups__name=Role.BUREAU_CHIEF.value)
            notify(
                chiefs,
                kind="standby.gap",
                message=_("Nobody is on standby from %(start)s to %(end)s.")
                % {
                    "start": f"{timezone.localtime(start):%Y-%m-%d %H:%M}",
                    "end": f"{timezone.localtime(stop):%Y-%m-%d %H:%M}",
                },
                link="/standby/roster/",
                sms=True,
            )
            warned += 1
    return warned


# Calendar feed ----------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed(*, user: User, regenerate: bool = False) -> CalendarFeed:
    """The user's live feed (made on first use); ``regenerate`` revokes it and makes a new one."""
    live = CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    feed = live.first()
    if feed is not None and not regenerate:
        return feed
    if feed is not None:
        feed.revoked_at = timezone.now()
        feed.save()
    return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def revoke_calendar_feed(*, user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )

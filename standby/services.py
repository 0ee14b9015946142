"""Writes of the standby section: each one transaction, checking who may do it.

Business rules live here whatever the door (pages, API, admin, Celery).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.services import Conflict as _ServiceConflict
from courtexec.authz import authorise, require
from courtexec.history import recorded_write
from courtexec.models import Court, User
from courtexec.notifications import notify, notify_role
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles
from enforcement.models import CaseParty, CoerciveMeasure
from enforcement.validators import normalise_resident_id
from standby import rules, selectors
from standby.models import (
    CalendarFeed,
    Callout,
    CalloutEvent,
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
            notify_role(
                court,
                Role.BUREAU_CHIEF,
                kind="standby.gap",
                message=_("Nobody is on standby from %(start)s to %(end)s.")
                % {
                    "start": f"{timezone.localtime(start):%Y-%m-%d %H:%M}",
                    "end": f"{timezone.localtime(stop):%Y-%m-%d %H:%M}",
                },
                link="/standby/roster/",
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


# --- callouts ---------------------------------------------------------------------------------

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|110)$")
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
OPEN_STATUSES = (
    Callout.Status.REPORTED,
    Callout.Status.ACKNOWLEDGED,
    Callout.Status.DISPATCHED,
    Callout.Status.HANDED_OVER,
)
MONEY_OUTCOMES = (Callout.Outcome.PAID_IN_FULL, Callout.Outcome.PAID_IN_PART)


def _detail_link(callout: Callout) -> str:
    return reverse("standby:callout-detail", args=[callout.pk])


def _new_reference(day: dt.date) -> str:
    while True:
        code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(5))
        reference = f"CJ{day:%y%m%d}-{code}"
        if not Callout.objects.filter(reference=reference).exists():
            return reference


def _event(callout: Callout, kind: str, *, by: User | None = None, note: str = "", at=None):
    return CalloutEvent.objects.create(
        callout=callout, kind=kind, by=by, note=note[:300], at=at or timezone.now()
    )


def _chiefs(court: Court | int) -> list[User]:
    return list(staff_with_roles(court, Role.BUREAU_CHIEF))


def _team(callout: Callout) -> list[User]:
    """The people on duty for the callout: its shift's three, else the bureau chiefs."""
    if callout.shift is not None:
        return list(callout.shift.members)
    return _chiefs(callout.court_id)


def _leader(callout: Callout) -> list[User]:
    if callout.shift is not None:
        return [callout.shift.leader]
    return _chiefs(callout.court_id)


def _describe(callout: Callout) -> str:
    local = timezone.localtime(callout.handover_deadline)
    return _("%(person)s caught at %(station)s; take over by %(deadline)s (%(reference)s).") % {
        "person": callout.person_name,
        "station": callout.police_station,
        "deadline": f"{local:%m-%d %H:%M}",
        "reference": callout.reference,
    }


@dataclass(frozen=True)
class CalloutReport:
    police_station: str
    police_officer: str
    police_phone: str
    caught_at: dt.datetime
    person_name: str
    person_id_number: str = ""
    wanted_reference: str = ""
    requesting_court_name: str = ""
    requesting_court_code: str = ""


def _clean_report(report: CalloutReport, now: dt.datetime) -> dict:
    errors: dict[str, list] = {}

    def text(field: str, value: str, max_length: int, required: bool = True) -> str:
        value = (value or "").strip()
        if required and not value:
            errors.setdefault(field, []).append(_("This field is required."))
        elif len(value) > max_length:
            errors.setdefault(field, []).append(_("Too long."))
        return value

    data = {
        "police_station": text("police_station", report.police_station, 100),
        "police_officer": text("police_officer", report.police_officer, 50),
        "police_phone": text("police_phone", report.police_phone, 30),
        "person_name": text("person_name", report.person_name, 100),
        "wanted_reference": text("wanted_reference", report.wanted_reference, 100, False),
        "requesting_court_name": text(
            "requesting_court_name", report.requesting_court_name, 100, False
        ),
        "requesting_court_code": text(
            "requesting_court_code", report.requesting_court_code, 20, False
        ),
    }
    phone = data["police_phone"].replace(" ", "")
    if phone and not PHONE.fullmatch(phone):
        errors.setdefault("police_phone", []).append(
            _("Enter a mobile number (13800138000) or a landline with area code (0571-87654321).")
        )
    data["police_phone"] = phone
    id_number = (report.person_id_number or "").strip()
    if id_number:
        try:
            id_number = normalise_resident_id(id_number)
        except ValidationError as exc:
            errors.setdefault("person_id_number", []).extend(exc.messages)
    data["person_id_number"] = id_number
    if data["requesting_court_name"] and not data["requesting_court_code"]:
        errors.setdefault("requesting_court_code", []).append(
            _("Give the requesting court's code as well.")
        )
    if data["requesting_court_code"] and not data["requesting_court_name"]:
        errors.setdefault("requesting_court_name", []).append(
            _("Give the requesting court's name as well.")
        )
    caught_at = report.caught_at
    if caught_at is None or timezone.is_naive(caught_at):
        errors.setdefault("caught_at", []).append(_("Give the time of the catch."))
    elif caught_at > now + dt.timedelta(minutes=5):
        errors.setdefault("caught_at", []).append(
            _("The time of the catch cannot be in the future.")
        )
    elif caught_at < now - dt.timedelta(days=7):
        errors.setdefault("caught_at", []).append(
            _("A catch more than a week ago is not a callout; enter it on the case.")
        )
    data["caught_at"] = caught_at
    if errors:
        raise ValidationError(errors)
    return data


def _schedule_checks(callout: Callout) -> None:
    """After commit: check the callout when the acknowledgement time runs out, when the deadline
    warning is due and at the deadline (beat re-checks every minute in case these are lost)."""
    from standby.tasks import check_callout

    now = timezone.now()
    moments = [
        callout.reported_at + selectors.ack_period(),
        callout.handover_deadline - selectors.warning_period(),
        callout.handover_deadline,
    ]
    for moment in moments:
        delay = max((moment - now).total_seconds(), 0) + 1
        check_callout.apply_async(args=[callout.pk], countdown=delay)


@recorded_write
def report_callout(
    *,
    court: Court,
    user: User,
    report: CalloutReport,
    now: dt.datetime | None = None,
    historical: bool = False,
) -> Callout:
    """The police report a caught debtor: record it, match it, tell the team on duty.

    ``historical`` enters a past callout from the paper duty log (``now`` is when it was
    reported then): recorded and matched, but nobody is paged and no checks are scheduled."""
    authorise(user, court, "standby.add_callout")
    now = now or timezone.now()
    data = _clean_report(report, now)
    callout = Callout(
        court=court,
        reference=_new_reference(timezone.localdate(now)),
        reported_by=user,
        reported_at=now,
        handover_deadline=rules.handover_deadline(data["caught_at"]),
        shift=selectors.shift_at(court, now),
        **data,
    )
    match = selectors.match_person(court, callout.person_id_number)
    if match.link is not None:
        callout.matched_case = match.link.case
        callout.matched_party = match.link.party
    callout.save()
    _event(callout, "reported", by=user, at=now, note=callout.police_station)
    if match.link is not None:
        note = _("Case %(case)s, outstanding ¥%(amount)s%(listed)s.") % {
            "case": match.link.case.number,
            "amount": f"{match.outstanding:,}",
            "listed": _(", on the defaulter list") if match.blacklisted else "",
        }
    else:
        note = _("No open case of this court matches the person.")
    _event(callout, "matched", note=note, at=now)
    if historical:
        return callout
    team = _team(callout)
    notify(
        team,
        kind="standby.callout",
        message=_describe(callout),
        link=_detail_link(callout),
    )
    who = _("the team on duty") if callout.shift else _("the bureau chiefs (no shift on duty)")
    _event(callout, "notified", at=now, note=_("Notified %(who)s.") % {"who": who})
    transaction.on_commit(lambda: _schedule_checks(callout))
    return callout


def _lock(callout: Callout) -> Callout:
    return (
        Callout.objects.select_for_update(of=("self",))
        .select_related("shift", "court")
        .get(pk=callout.pk)
    )


def _may_work(user: User, callout: Callout) -> None:
    authorise(user, callout.court, "standby.change_callout")
    if user.has_role(Role.POLICE_LIAISON) and not user.is_superuser:
        raise PermissionDenied(_("Your role may not do this."))


def _when(callout: Callout, now: dt.datetime | None) -> dt.datetime:
    """The time of a step: now, or a past moment when a callout is entered from the log (never
    before the report nor in the future)."""
    current = timezone.now()
    if now is None:
        return current
    require(callout.reported_at <= now <= current, "now", _("The time of this step is wrong."))
    return now


def _step(callout: Callout, user: User, allowed: tuple[str, ...]) -> Callout:
    _may_work(user, callout)
    callout = _lock(callout)
    if callout.status not in allowed:
        raise Conflict(
            _("This callout is %(status)s; that step is not possible now.")
            % {"status": callout.get_status_display()},
            code="wrong_state",
        )
    return callout


@recorded_write
def acknowledge_callout(*, callout: Callout, user: User, now: dt.datetime | None = None) -> Callout:
    """Someone of the bureau takes the callout: escalation stops."""
    callout = _step(callout, user, (Callout.Status.REPORTED,))
    callout.status = Callout.Status.ACKNOWLEDGED
    callout.acknowledged_at = _when(callout, now)
    callout.acknowledged_by = user
    callout.save()
    _event(callout, "acknowledged", by=user, at=callout.acknowledged_at)
    return callout


@recorded_write
def dispatch_callout(
    *, callout: Callout, user: User, note: str = "", now: dt.datetime | None = None
) -> Callout:
    """The team sets out to the police station."""
    callout = _step(callout, user, (Callout.Status.ACKNOWLEDGED,))
    callout.status = Callout.Status.DISPATCHED
    callout.dispatched_at = _when(callout, now)
    callout.dispatched_by = user
    callout.save()
    _event(callout, "dispatched", by=user, at=callout.dispatched_at, note=note.strip())
    return callout


@recorded_write
def hand_over_callout(
    *,
    callout: Callout,
    user: User,
    taken_over_by: User | None = None,
    place: str = "",
    now: dt.datetime | None = None,
) -> Callout:
    """The police hand the person over to the court (the custody handover)."""
    callout = _step(callout, user, (Callout.Status.DISPATCHED,))
    taken_over_by = taken_over_by or user
    require(
        taken_over_by.court_id == callout.court_id and taken_over_by.is_active,
        "taken_over_by",
        _("The officer taking over must be of this court."),
    )
    require(len(place.strip()) <= 200, "place", _("Too long."))
    callout.status = Callout.Status.HANDED_OVER
    callout.handed_over_at = _when(callout, now)
    callout.handed_over_to = taken_over_by
    callout.handover_place = place.strip() or callout.police_station
    callout.save()
    late = callout.handed_over_at > callout.handover_deadline
    note = _("Taken over by %(name)s at %(place)s%(late)s.") % {
        "name": str(taken_over_by),
        "place": callout.handover_place,
        "late": _(", after the deadline") if late else "",
    }
    _event(callout, "handed_over", by=user, at=callout.handed_over_at, note=note)
    return callout


@dataclass(frozen=True)
class Outcome:
    outcome: str
    note: str = ""
    amount: int = 0  # fen, for a payment
    received_by: User | None = None  # the two officers who count a payment
    second_officer: User | None = None
    promise_due_on: dt.date | None = None
    measure: CoerciveMeasure | None = None  # an existing detention of the matched case
    detention_days: int | None = None  # or decide one now
    transfer_recipient: str = ""


def _receive_payment(callout: Callout, outcome: Outcome, now: dt.datetime) -> None:
    from casefunds.models import Channel
    from casefunds.services import MAX_AMOUNT_FEN, open_payer_account, record_counter_receipt

    require(callout.matched_case_id is not None, "outcome", _("A payment needs a matched case."))
    require(0 < outcome.amount < MAX_AMOUNT_FEN, "amount", _("Enter the amount paid."))
    require(outcome.received_by is not None, "received_by", _("Who received the money?"))
    require(outcome.second_officer is not None, "second_officer", _("Who counted it with them?"))
    link = (
        CaseParty.objects.filter(
            case=callout.matched_case, party=callout.matched_party, role=CaseParty.Role.RESPONDENT
        )
        .select_related("case")
        .first()
    )
    require(link is not None, "outcome", _("The person is not a respondent of the matched case."))
    channel, _created = Channel.objects.get_or_create(
        code=f"counter-standby-{callout.court_id}",
        defaults={"court": callout.court, "kind": Channel.Kind.COUNTER, "name": "备勤收款"},
    )
    deposit = record_counter_receipt(
        channel=channel,
        case_account=open_payer_account(link),
        amount=outcome.amount,
        payer_name=callout.person_name,
        user=outcome.received_by,
        second_officer=outcome.second_officer,
        paid_at=now,
    )
    callout.deposit = deposit
    callout.amount_paid = outcome.amount


def _detention(callout: Callout, outcome: Outcome, user: User, now: dt.datetime) -> None:
    from enforcement.services import decide_measure

    if outcome.measure is not None:
        measure = outcome.measure
        require(
            measure.case_id == callout.matched_case_id
            and measure.kind == CoerciveMeasure.Kind.DETENTION,
            "measure",
            _("Choose a detention of the matched case."),
        )
    else:
        require(
            callout.matched_case_id is not None, "outcome", _("Detention needs a matched case.")
        )
        measure = decide_measure(
            case=callout.matched_case,
            user=user,
            kind=CoerciveMeasure.Kind.DETENTION,
            subject=callout.matched_party,
            reason=outcome.note.strip()
            or _("Caught on a wanted notice (%(ref)s).") % {"ref": callout.reference},
            decided_on=timezone.localdate(now),
            detention_days=outcome.detention_days,
        )
    callout.measure = measure


@recorded_write
def record_outcome(
    *, callout: Callout, user: User, outcome: Outcome, now: dt.datetime | None = None
) -> Callout:
    """Close the callout with what came of it (only after the handover)."""
    callout = _step(callout, user, (Callout.Status.HANDED_OVER,))
    now = _when(callout, now)
    require(outcome.outcome in Callout.Outcome.values, "outcome", _("Choose the outcome."))
    require(len(outcome.note) <= 4000, "note", _("Too long."))
    kind = outcome.outcome
    if kind in MONEY_OUTCOMES:
        _receive_payment(callout, outcome, now)
    elif kind == Callout.Outcome.PROMISE:
        require(
            outcome.promise_due_on is not None
            and outcome.promise_due_on >= timezone.localdate(now),
            "promise_due_on",
            _("Give the promised payment date (today or later)."),
        )
        callout.promise_due_on = outcome.promise_due_on
    elif kind == Callout.Outcome.DETENTION:
        _detention(callout, outcome, user, now)
    elif kind == Callout.Outcome.TRANSFERRED:
        require(callout.is_assist, "outcome", _("Only an assist is transferred to another court."))
        require(
            bool(outcome.transfer_recipient.strip()) and len(outcome.transfer_recipient) <= 100,
            "transfer_recipient",
            _("Name the officer of the requesting court who took the person."),
        )
        callout.transfer_recipient = outcome.transfer_recipient.strip()
    callout.outcome = kind
    callout.outcome_note = outcome.note.strip()
    callout.status = Callout.Status.CLOSED
    callout.closed_at = now
    callout.closed_by = user
    callout.save()
    note = callout.get_outcome_display()
    if callout.amount_paid:
        note += f" ¥{callout.amount_paid / 100:,.2f}"
    _event(callout, "outcome", by=user, at=callout.closed_at, note=note)
    return callout


# Escalation and deadlines: each check locks the callout (skipping one locked by a concurrent
# check), looks at its state and the clock, and records what it did, so a second run — the
# countdown task and beat, or two workers — never tells anyone twice.


def _check(callout: Callout, now: dt.datetime) -> list[str]:
    done: list[str] = []
    link = _detail_link(callout)
    ack = selectors.ack_period()
    if callout.status == Callout.Status.REPORTED:
        since = callout.escalated_at or callout.reported_at
        if callout.escalation_level == 0 and now >= since + ack:
            callout.escalation_level, callout.escalated_at = 1, now
            notify(
                _leader(callout),
                kind="standby.escalation",
                message=_("Nobody has acknowledged: %(text)s") % {"text": _describe(callout)},
                link=link,
            )
            _event(callout, "escalated", at=now, note=_("To the team leader."))
            done.append("escalated")
        elif callout.escalation_level == 1 and now >= since + ack:
            callout.escalation_level, callout.escalated_at = 2, now
            notify(
                _chiefs(callout.court_id),
                kind="standby.escalation",
                message=_("Still nobody has acknowledged: %(text)s") % {"text": _describe(callout)},
                link=link,
            )
            _event(callout, "escalated", at=now, note=_("To the bureau chiefs."))
            done.append("escalated")
    if callout.handed_over_at is None and callout.status != Callout.Status.CLOSED:
        deadline = callout.handover_deadline
        if (
            callout.deadline_warned_at is None
            and deadline - selectors.warning_period() <= now < deadline
        ):
            callout.deadline_warned_at = now
            notify(
                _team(callout),
                kind="standby.deadline",
                message=_("Handover deadline near: %(text)s") % {"text": _describe(callout)},
                link=link,
            )
            _event(callout, "deadline_warning", at=now)
            done.append("warned")
        if callout.deadline_missed_at is None and now >= deadline:
            callout.deadline_missed_at = now
            notify(
                _chiefs(callout.court_id),
                kind="standby.deadline_missed",
                message=_("Handover deadline missed: %(text)s") % {"text": _describe(callout)},
                link=link,
            )
            _event(callout, "deadline_missed", at=now)
            done.append("missed")
    if done:
        callout.save()
    return done


def check_callout(callout_id: int, now: dt.datetime | None = None) -> list[str]:
    """Escalate, warn or alert for one callout if due (the countdown task)."""
    now = now or timezone.now()
    with transaction.atomic():
        callout = (
            Callout.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("shift")
            .filter(pk=callout_id, status__in=OPEN_STATUSES)
            .first()
        )
        if callout is None:
            return []
        done = _check(callout, now)
    if (
        "escalated" in done
        and callout.status == Callout.Status.REPORTED
        and callout.escalation_level < 2
    ):
        from standby.tasks import check_callout as task

        delay = selectors.ack_period().total_seconds() + 1
        transaction.on_commit(lambda: task.apply_async(args=[callout_id], countdown=delay))
    return done


def check_callouts(now: dt.datetime | None = None) -> int:
    """Every open callout with something due (beat's safety net, every minute)."""
    now = now or timezone.now()
    count = 0
    for callout_id in selectors.callouts_due(now):
        count += len(check_callout(callout_id, now))
    return count

"""Every write of the standby section. One transaction each, permission checks, and
``ValidationError`` (field messages), ``PermissionDenied`` or ``Conflict`` (HTTP 409)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.services import Conflict
from courtexec.authz import authorise, require
from courtexec.history import recorded_write
from courtexec.models import Court, User
from courtexec.notifications import notify
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles
from enforcement.models import CaseParty, CoerciveMeasure
from enforcement.validators import normalise_resident_id
from standby import rules, selectors
from standby.models import Callout, CalloutEvent

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
        sms=True,
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
                sms=True,
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
                sms=True,
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
                sms=True,
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
                sms=True,
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

"""Every write of the enforcement app: one rule in one place, whatever door the request used.

Each service takes keyword arguments, runs in one transaction and raises Django's
``ValidationError`` (field messages) or :class:`PermissionDenied` for a bad request; the API
maps them to 400/403 and the forms show them next to their fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.services import open_payer_account
from courtexec.authz import authorise as _authorise
from courtexec.authz import require as _require
from courtexec.authz import require_role as _require_role
from courtexec.history import recorded_write
from courtexec.models import Court, User
from courtexec.notifications import notify, notify_role
from courtexec.roles import Role
from enforcement import deadlines
from enforcement.models import (
    AssetDisposal,
    Campaign,
    CaseNumberCounter,
    CaseParty,
    CoerciveMeasure,
    Consultation,
    ConsultationReminder,
    DeadlineExtension,
    DeadlineWarning,
    EnforcementCase,
    FieldAction,
    FieldPhoto,
    JointMeeting,
    MeetingDecision,
    Objection,
    Party,
    Ticket,
    TravelRequest,
)
from enforcement.signals import case_reassigned
from enforcement.validators import (
    CASE_NUMBER,
    LEGACY_CASE_NUMBER,
    normalise_credit_code,
    normalise_resident_id,
    validate_image_upload,
)

Status = EnforcementCase.Status
Closure = EnforcementCase.ClosureMode

INDIVIDUAL_FINE_MAX = Decimal("100000")
ORGANISATION_FINE_MIN = Decimal("50000")
ORGANISATION_FINE_MAX = Decimal("1000000")


def _require_open(case: EnforcementCase) -> None:
    if not case.is_open:
        raise ValidationError(_("The case is concluded; resume it to continue."), code="concluded")


def _lock_case(case: EnforcementCase) -> EnforcementCase:
    return EnforcementCase.objects.select_for_update().get(pk=case.pk)


# --- Parties --------------------------------------------------------------------------------


@transaction.atomic
def register_party(
    *,
    court: Court,
    kind: str,
    name: str,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    legal_representative: str = "",
    sex: str = "",
    birth_date: dt.date | None = None,
) -> Party:
    """The party with this identity number, created on first sight (one record per identity).

    A person's sex and birth date are read from a resident ID when one is given.
    """
    _require(bool(name.strip()), "name", _("Enter the party's name."))
    _require(kind in Party.Kind.values, "kind", _("Choose a natural person or an organisation."))
    number = None
    if id_number.strip():
        normalise = normalise_resident_id if kind == Party.Kind.PERSON else normalise_credit_code
        try:
            number = normalise(id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.error_list}) from exc
        existing = Party.objects.select_for_update().filter(id_number=number).first()
        if existing is not None:
            if existing.kind != kind:
                raise ValidationError(
                    {"id_number": _("This identity number belongs to a party of another kind.")}
                )
            existing.courts.add(court)  # the court now knows (and sees) this party
            return existing
    if kind == Party.Kind.PERSON and number:
        from stdnum.cn import ric

        birth_date = ric.get_birth_date(number)
        sex = Party.Sex.MALE if int(number[16]) % 2 else Party.Sex.FEMALE
    party = Party(
        kind=kind,
        name=name.strip(),
        id_number=number,
        phone=phone,
        address=address,
        legal_representative=legal_representative if kind == Party.Kind.ORGANISATION else "",
        sex=sex if kind == Party.Kind.PERSON else "",
        birth_date=birth_date if kind == Party.Kind.PERSON else None,
        registered_by=court,
    )
    party.full_clean()
    try:
        with transaction.atomic():  # a concurrent registration of the same number wins
            party.save()
    except IntegrityError:
        return register_party(
            court=court, kind=kind, name=name, id_number=number or "", phone=phone, address=address
        )
    party.courts.add(court)
    return party


@dataclass(frozen=True)
class PartyRole:
    """A party joining a case at filing, with the applicant's payee account (预留账户)."""

    party: Party
    role: str
    payee_bank: str = ""
    payee_account_name: str = ""
    payee_account_number: str = ""


@recorded_write
def add_case_party(*, case: EnforcementCase, link: PartyRole, user: User) -> CaseParty:
    _authorise(user, case.court, "enforcement.add_caseparty")
    _require(link.role in CaseParty.Role.values, "role", _("Choose the party's role in the case."))
    if link.role == CaseParty.Role.APPLICANT:
        _require(
            bool(link.payee_account_number.strip() and link.payee_bank.strip()),
            "payee_account_number",
            _("The applicant's payee bank and account number are confirmed at filing."),
        )
    if CaseParty.objects.filter(case=case, party=link.party, role=link.role).exists():
        raise ValidationError({"party": _("This party already has this role in the case.")})
    case_party = CaseParty(
        case=case,
        party=link.party,
        role=link.role,
        payee_bank=link.payee_bank.strip(),
        payee_account_name=(link.payee_account_name or link.party.name).strip()
        if link.role == CaseParty.Role.APPLICANT
        else "",
        payee_account_number=link.payee_account_number.replace(" ", ""),
    )
    case_party.full_clean()
    case_party.save()
    link.party.courts.add(case.court)
    if link.role == CaseParty.Role.RESPONDENT:
        open_payer_account(case_party)  # 一人一案一账号: the payer's own number in this case
    return case_party


# --- Filing and numbering ---------------------------------------------------------------------


def issue_case_number(*, court: Court, type_code: str, year: int) -> tuple[str, int]:
    """The next number of the court's sequence for this type and year, with no gap or repeat.

    The counter row is locked until the filing commits: a concurrent filing waits, and a
    filing that rolls back gives its number back with it.
    """
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(court=court, type_code=type_code, year=year)], ignore_conflicts=True
    )
    counter = CaseNumberCounter.objects.select_for_update().get(
        court=court, type_code=type_code, year=year
    )
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return f"({year}){court.code}{type_code}{counter.last_sequence}号", counter.last_sequence


def _validate_staff(court: Court, judge: User, assistants: Iterable[User]) -> None:
    _require(
        judge.court_id == court.pk and judge.has_role(Role.JUDGE),
        "judge",
        _("The judge must be an enforcement judge of this court."),
    )
    for assistant in assistants:
        _require(
            assistant.court_id == court.pk,
            "assistants",
            _("Assistants must work for this court."),
        )


@recorded_write
def file_case(
    *,
    court: Court,
    user: User,
    type_code: str,
    category: str,
    issuing_body: str,
    instrument_number: str,
    instrument_effective_on: dt.date,
    instrument_kind: str,
    amount_to_enforce: Decimal,
    filed_on: dt.date,
    judge: User,
    assistants: Sequence[User] = (),
    parties: Sequence[PartyRole] = (),
    flags: Sequence[str] = (),
    legacy_number: str = "",
    resumed_from: EnforcementCase | None = None,
    change_reason: str = "",
) -> EnforcementCase:
    """File (立案) a case: number it, set its time limit, attach its parties."""
    _authorise(user, court, "enforcement.add_enforcementcase")
    _require(type_code in EnforcementCase.TypeCode.values, "type_code", _("Choose a case type."))
    _require(
        filed_on <= timezone.localdate(), "filed_on", _("The filing date cannot be in the future.")
    )
    _require(amount_to_enforce >= 0, "amount_to_enforce", _("The amount cannot be negative."))
    _validate_staff(court, judge, assistants)
    roles = {link.role for link in parties}
    _require(
        {CaseParty.Role.APPLICANT, CaseParty.Role.RESPONDENT} <= roles,
        "parties",
        _("A case needs at least one applicant and one respondent."),
    )
    applicants = {link.party.pk for link in parties if link.role == CaseParty.Role.APPLICANT}
    respondents = {link.party.pk for link in parties if link.role == CaseParty.Role.RESPONDENT}
    _require(
        not applicants & respondents,
        "parties",
        _("The same party cannot be both applicant and respondent."),
    )
    if legacy_number:
        number, year, sequence, type_code = _import_legacy_number(
            court, legacy_number.strip(), type_code
        )
    else:
        year = filed_on.year
        number, sequence = issue_case_number(court=court, type_code=type_code, year=year)
    case = EnforcementCase(
        court=court,
        number=number,
        is_legacy_number=bool(legacy_number),
        year=year,
        type_code=type_code,
        sequence=sequence,
        category=category,
        issuing_body=issuing_body,
        instrument_number=instrument_number,
        instrument_effective_on=instrument_effective_on,
        instrument_kind=instrument_kind,
        amount_to_enforce=amount_to_enforce,
        filed_on=filed_on,
        due_on=deadlines.case_due_date(filed_on, instrument_kind),
        judge=judge,
        flags=list(flags),
        resumed_from=resumed_from,
    )
    case.full_clean()
    case._change_reason = change_reason or None
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:  # a concurrent import of the same number got there first
        raise ValidationError(
            {"legacy_number": _("A case with this number already exists.")}
        ) from exc
    case.assistants.set(assistants)
    for link in parties:
        add_case_party(case=case, link=link, user=user)
    return case


def _import_legacy_number(
    court: Court, number: str, type_code: str
) -> tuple[str, int, int | None, str]:
    """A number imported as given, as (number, year, sequence, type code).

    Older formats such as (2015)杭下执民字第2741号 take no sequence. A number in the current
    format must be this court's; its sequence is reserved by raising the court's counter to
    it, so a later live filing can never be given the same number.
    """
    if EnforcementCase.objects.filter(number=number).exists():
        raise ValidationError({"legacy_number": _("A case with this number already exists.")})
    if match := CASE_NUMBER.match(number):
        if match["court"] != court.code:
            raise ValidationError(
                {"legacy_number": _("This number belongs to another court's sequence.")}
            )
        year, sequence, number_type = int(match["year"]), int(match["seq"]), match["type"]
        CaseNumberCounter.objects.bulk_create(
            [CaseNumberCounter(court=court, type_code=number_type, year=year)],
            ignore_conflicts=True,
        )
        counter = CaseNumberCounter.objects.select_for_update().get(
            court=court, type_code=number_type, year=year
        )
        if counter.last_sequence < sequence:
            counter.last_sequence = sequence
            counter.save(update_fields=["last_sequence"])
        return number, year, sequence, number_type
    if match := LEGACY_CASE_NUMBER.match(number):
        return number, int(match["year"]), None, type_code
    raise ValidationError(
        {
            "legacy_number": _(
                "Not a case number: expected a form such as (2016)浙0103执1234号 or "
                "(2015)杭下执民字第2741号."
            )
        }
    )


# --- Progress, milestones, extensions -----------------------------------------------------------

MILESTONES = (
    "execution_notice_sent_on",
    "asset_report_ordered_on",
    "property_investigation_done_on",
    "consumption_restriction_on",
    "blacklisted_on",
    "debtor_search_done_on",
)


@recorded_write
def record_milestone(
    *, case: EnforcementCase, user: User, milestone: str, on: dt.date
) -> EnforcementCase:
    """Record a step of the procedure; the execution notice moves a filed case into progress."""
    _require(milestone in MILESTONES, "milestone", _("Unknown procedural step."))
    _require(on <= timezone.localdate(), "on", _("The date cannot be in the future."))
    case = _lock_case(case)
    _authorise(user, case.court, "enforcement.change_enforcementcase")
    _require_open(case)
    _require(on >= case.filed_on, "on", _("The date cannot be before the filing date."))
    setattr(case, milestone, on)
    if milestone == "execution_notice_sent_on" and case.status == Status.FILED:
        case.status = Status.IN_PROGRESS
    case.save()
    return case


@recorded_write
def record_no_blacklist_grounds(*, case: EnforcementCase, user: User) -> EnforcementCase:
    case = _lock_case(case)
    _authorise(user, case.court, "enforcement.change_enforcementcase")
    _require_open(case)
    case.no_blacklist_grounds = True
    case.save()
    return case


@recorded_write
def request_extension(
    *, case: EnforcementCase, user: User, months: int, reason: str
) -> DeadlineExtension:
    """The judge asks the president for more time (at most 3 months in all)."""
    case = _lock_case(case)
    _authorise(user, case.court, "enforcement.add_deadlineextension")
    _require_open(case)
    _require(bool(reason.strip()), "reason", _("Give the reason for the extension."))
    granted = approved_extension_months(case)
    pending = case.extensions.filter(status=DeadlineExtension.Status.REQUESTED).exists()
    _require(not pending, "months", _("An extension request is already waiting for a decision."))
    remaining = deadlines.MAX_EXTENSION_MONTHS - granted
    _require(
        1 <= months <= remaining,
        "months",
        _("At most %(remaining)d more month(s) can be requested (the law allows 3 in all).")
        % {"remaining": remaining},
    )
    return DeadlineExtension.objects.create(
        case=case, months=months, reason=reason.strip(), requested_by=user
    )


def approved_extension_months(case: EnforcementCase) -> int:
    return (
        case.extensions.filter(status=DeadlineExtension.Status.APPROVED).aggregate(
            total=Sum("months")
        )["total"]
        or 0
    )


@recorded_write
def decide_extension(
    *, extension: DeadlineExtension, user: User, approve: bool, note: str = ""
) -> DeadlineExtension:
    """The court president approves or rejects; approval moves the case's due date."""
    _require_role(user, Role.PRESIDENT)
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    case = _lock_case(extension.case)
    _authorise(user, case.court, "enforcement.change_deadlineextension")
    _require(
        extension.status == DeadlineExtension.Status.REQUESTED,
        "status",
        _("This request has already been decided."),
    )
    extension.status = (
        DeadlineExtension.Status.APPROVED if approve else DeadlineExtension.Status.REJECTED
    )
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.save()
    if approve:
        case.due_on = deadlines.case_due_date(
            case.filed_on, case.instrument_kind, approved_extension_months(case)
        )
        case.save()
    return extension


@recorded_write
def reassign_case(
    *, case: EnforcementCase, user: User, judge: User, assistants: Sequence[User], reason: str
) -> EnforcementCase:
    """A chief hands the case to another judge (and assistants); the reason is on the record."""
    _require_role(user, Role.BUREAU_CHIEF, Role.SECTION_CHIEF)
    case = _lock_case(case)
    _authorise(user, case.court, "enforcement.change_enforcementcase")
    _require_open(case)
    _require(bool(reason.strip()), "reason", _("Give the reason for the reassignment."))
    _validate_staff(case.court, judge, assistants)
    old_judge = case.judge
    case.judge = judge
    case._change_reason = reason.strip()
    case.save()
    case.assistants.set(assistants)
    case_reassigned.send(
        sender=EnforcementCase, case=case, old_judge=old_judge, new_judge=judge, user=user
    )
    return case


@recorded_write
def set_suspended(
    *, case: EnforcementCase, user: User, suspended: bool, reason: str
) -> EnforcementCase:
    """Suspend (中止) an open case, or let a suspended case continue."""
    case = _lock_case(case)
    _authorise(user, case.court, "enforcement.change_enforcementcase")
    _require_open(case)
    _require(bool(reason.strip()), "reason", _("Give the reason."))
    if suspended:
        _require(case.status != Status.SUSPENDED, "status", _("The case is already suspended."))
        case.status = Status.SUSPENDED
    else:
        _require(case.status == Status.SUSPENDED, "status", _("The case is not suspended."))
        case.status = Status.IN_PROGRESS
    case._change_reason = reason.strip()
    case.save()
    return case


# --- Closure and resumption -------------------------------------------------------------------


def unmet_termination_conditions(case: EnforcementCase, today: dt.date) -> list[str]:
    """What the 终本 rule still requires of this case (empty when it may be closed so)."""
    unmet = []
    if not (case.execution_notice_sent_on and case.asset_report_ordered_on):
        unmet.append(_("Send the execution notice and order the asset report."))
    if not case.consumption_restriction_on:
        unmet.append(_("Issue the consumption restriction order."))
    if not (case.blacklisted_on or case.no_blacklist_grounds):
        unmet.append(
            _("List the respondent as a dishonest debtor, or record that no grounds exist.")
        )
    if not case.property_investigation_done_on:
        unmet.append(
            _(
                "Complete the property investigation (deposits, vehicles, real estate, "
                "securities, online payment funds)."
            )
        )
    if today <= deadlines.add_months(case.filed_on, 3):
        unmet.append(_("More than three months must have passed since filing."))
    if not case.debtor_search_done_on:
        unmet.append(_("Search for a missing debtor and punish any obstruction."))
    return unmet


@recorded_write
def close_case(
    *, case: EnforcementCase, user: User, mode: str, reason: str, on: dt.date | None = None
) -> EnforcementCase:
    """Conclude (结案) a case. 终本 must meet every condition; 执行完毕 leaves nothing to pay."""
    on = on or timezone.localdate()
    case = _lock_case(case)
    _authorise(user, case.court, "enforcement.change_enforcementcase")
    _require_open(case)
    _require(mode in Closure.values, "mode", _("Choose how the case is concluded."))
    _require(bool(reason.strip()), "reason", _("Give the reason for concluding the case."))
    _require(on >= case.filed_on, "on", _("The closing date cannot be before the filing date."))
    _require(on <= timezone.localdate(), "on", _("The closing date cannot be in the future."))
    if mode == Closure.TERMINATED_FOR_NOW:
        unmet = unmet_termination_conditions(case, on)
        if unmet:
            raise ValidationError({"mode": [ValidationError(m, code="unmet") for m in unmet]})
    if mode == Closure.PERFORMED and case.outstanding > 0:
        raise ValidationError(
            {
                "mode": _("%(amount)s yuan is still to be performed.")
                % {"amount": f"{case.outstanding:,.2f}"}
            }
        )
    # A concluded case needs no consultation: withdraw its open reminder (history keeps it).
    for reminder in case.consultation_reminders.filter(resolved_by__isnull=True):
        reminder.delete()
    case.status = Status.CONCLUDED
    case.closure_mode = mode
    case.closure_reason = reason.strip()
    case.closed_on = on
    case._change_reason = reason.strip()
    case.save()
    return case


@recorded_write
def resume_case(
    *, case: EnforcementCase, user: User, reason: str, filed_on: dt.date | None = None
) -> EnforcementCase:
    """Resume (恢复执行) a concluded case as a new 执恢 case with the same parties."""
    original = _lock_case(case)
    _authorise(user, original.court, "enforcement.add_enforcementcase")
    _require(not original.is_open, "status", _("Only a concluded case can be resumed."))
    _require(
        not original.resumptions.exclude(status=Status.CONCLUDED).exists(),
        "status",
        _("This case has already been resumed and the resumed case is still open."),
    )
    filed_on = filed_on or timezone.localdate()
    _require(filed_on >= original.closed_on, "filed_on", _("Resumption follows the closure."))
    _require(bool(reason.strip()), "reason", _("Give the reason for resuming."))
    links = [
        PartyRole(
            party=link.party,
            role=link.role,
            payee_bank=link.payee_bank,
            payee_account_name=link.payee_account_name,
            payee_account_number=link.payee_account_number,
        )
        for link in original.parties.select_related("party")
    ]
    resumed = file_case(
        court=original.court,
        user=user,
        type_code=EnforcementCase.TypeCode.RESUMED,
        category=original.category,
        issuing_body=original.issuing_body,
        instrument_number=original.instrument_number,
        instrument_effective_on=original.instrument_effective_on,
        instrument_kind=original.instrument_kind,
        amount_to_enforce=original.outstanding,
        filed_on=filed_on,
        judge=original.judge,
        assistants=list(original.assistants.all()),
        parties=links,
        flags=original.flags,
        resumed_from=original,
        change_reason=reason.strip(),
    )
    return resumed


@recorded_write
def record_performance(
    *, case: EnforcementCase, user: User, amount: Decimal, note: str
) -> EnforcementCase:
    """Add money performed outside the court account (e.g. paid directly to the applicant)."""
    case = _lock_case(case)
    _authorise(user, case.court, "enforcement.change_enforcementcase")
    _require_open(case)
    _require(amount > 0, "amount", _("The amount must be positive."))
    _require(
        case.amount_performed + amount <= case.amount_to_enforce,
        "amount",
        _("This would exceed the amount to enforce."),
    )
    case.amount_performed += amount
    case._change_reason = note
    case.save()
    return case


# --- Consultations (三个月以上未结案会诊) ------------------------------------------------------


@recorded_write
def record_consultation(
    *,
    case: EnforcementCase,
    user: User,
    held_on: dt.date,
    participants: Sequence[User],
    findings: str,
    next_steps: str,
    follow_up_due: dt.date | None = None,
) -> Consultation:
    _authorise(user, case.court, "enforcement.add_consultation")
    case = _lock_case(case)
    _require_open(case)
    _require(held_on <= timezone.localdate(), "held_on", _("The date cannot be in the future."))
    _require(bool(participants), "participants", _("Name the participants."))
    _require(
        all(person.court_id == case.court_id for person in participants),
        "participants",
        _("Participants must work for this court."),
    )
    _require(bool(findings.strip()), "findings", _("Record the findings."))
    _require(bool(next_steps.strip()), "next_steps", _("Record the next steps."))
    if follow_up_due:
        _require(
            follow_up_due >= held_on, "follow_up_due", _("The follow-up is due after the meeting.")
        )
    consultation = Consultation.objects.create(
        case=case,
        held_on=held_on,
        findings=findings.strip(),
        next_steps=next_steps.strip(),
        follow_up_due=follow_up_due,
        recorded_by=user,
    )
    consultation.participants.set(participants)
    for reminder in ConsultationReminder.objects.select_for_update().filter(
        case=case, resolved_by__isnull=True
    ):
        reminder.resolved_by = consultation
        reminder.save()
    return consultation


@transaction.atomic
def remind_consultations(*, today: dt.date) -> int:
    """Daily job: open a reminder for each case that needs a consultation (idempotent)."""
    from enforcement.selectors import cases_needing_consultation

    open_reminder = ConsultationReminder.objects.filter(
        case=OuterRef("pk"), resolved_by__isnull=True
    )
    due = cases_needing_consultation(EnforcementCase.objects.all(), today).exclude(
        Exists(open_reminder)
    )
    created = 0
    for case in due.select_for_update(skip_locked=True, of=("self",)).order_by("pk"):
        _reminder, was_created = ConsultationReminder.objects.get_or_create(
            case=case, resolved_by=None, defaults={"due_since": today}
        )
        if was_created:
            notify(
                [case.judge],
                kind="case.consultation_due",
                message=_("Case %(case)s has been open long enough to need a consultation.")
                % {"case": case.number},
                link=reverse("enforcement:case-detail", args=[case.pk]),
            )
        created += was_created
    return created


def warn_deadlines(*, today: dt.date) -> int:
    """Daily job: tell the judge when a case enters its last ``CASE_DUE_SOON_DAYS`` and when it
    passes its due date (the section chiefs too), once per due date and stage (idempotent)."""
    from enforcement.selectors import due_soon_cases, overdue_cases

    stages = [
        (DeadlineWarning.Stage.DUE_SOON, due_soon_cases, "case.due_soon"),
        (DeadlineWarning.Stage.OVERDUE, overdue_cases, "case.overdue"),
    ]
    warned = 0
    for stage, cases_at_stage, kind in stages:
        told = DeadlineWarning.objects.filter(
            case=OuterRef("pk"), due_on=OuterRef("due_on"), stage=stage
        )
        due = cases_at_stage(EnforcementCase.objects.all(), today).exclude(Exists(told))
        for case in due.select_for_update(skip_locked=True, of=("self",)).select_related(
            "court", "judge"
        ):
            _row, created = DeadlineWarning.objects.get_or_create(
                case=case, due_on=case.due_on, stage=stage
            )
            if not created:
                continue
            warned += 1
            values = {"case": case.number, "due": case.due_on.isoformat()}
            link = reverse("enforcement:case-detail", args=[case.pk])
            if stage == DeadlineWarning.Stage.DUE_SOON:
                message = _("Case %(case)s is due on %(due)s.") % values
            else:
                message = _("Case %(case)s passed its time limit on %(due)s.") % values
                notify_role(case.court, Role.SECTION_CHIEF, kind=kind, message=message, link=link)
            notify([case.judge], kind=kind, message=message, link=link)
    return warned


# --- Joint meetings (局长、科长联席会议) -------------------------------------------------------


@recorded_write
def convene_meeting(
    *, court: Court, user: User, held_on: dt.date, attendees: Sequence[User]
) -> JointMeeting:
    _require_role(user, Role.BUREAU_CHIEF, Role.SECTION_CHIEF)
    _authorise(user, court, "enforcement.add_jointmeeting")
    _require(bool(attendees), "attendees", _("Name the attendees."))
    for attendee in attendees:
        _require(
            attendee.court_id == court.pk, "attendees", _("Attendees must work for this court.")
        )
    meeting = JointMeeting.objects.create(court=court, held_on=held_on, chaired_by=user)
    meeting.attendees.set(attendees)
    return meeting


@recorded_write
def put_on_agenda(
    *, meeting: JointMeeting, case: EnforcementCase, user: User, matter: str
) -> MeetingDecision:
    _authorise(user, case.court, "enforcement.add_meetingdecision")
    _require(case.court_id == meeting.court_id, "case", _("The case belongs to another court."))
    _require(bool(matter.strip()), "matter", _("Say what the meeting is to decide."))
    if MeetingDecision.objects.filter(meeting=meeting, case=case, matter=matter.strip()).exists():
        raise ValidationError({"matter": _("This matter is already on the agenda.")})
    return MeetingDecision.objects.create(meeting=meeting, case=case, matter=matter.strip())


@recorded_write
def record_meeting_decision(
    *,
    item: MeetingDecision,
    user: User,
    decision: str,
    discussion: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    approved_amount: Decimal | None = None,
) -> MeetingDecision:
    """The meeting's decision and vote on one agenda item; the vote cannot exceed attendance."""
    _require_role(user, Role.BUREAU_CHIEF, Role.SECTION_CHIEF)
    item = MeetingDecision.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _authorise(user, item.meeting.court, "enforcement.change_meetingdecision")
    _require(
        item.decision == MeetingDecision.Decision.PENDING,
        "decision",
        _("This item has already been decided."),
    )
    _require(
        item.meeting.held_on <= timezone.localdate(),
        "decision",
        _("A meeting decides only once it has been held."),
    )
    _require(
        decision in MeetingDecision.Decision.values
        and decision != MeetingDecision.Decision.PENDING,
        "decision",
        _("Choose the decision."),
    )
    attendance = item.meeting.attendees.count()
    _require(
        votes_for + votes_against + abstentions <= attendance,
        "votes_for",
        _("More votes than attendees (%(n)d).") % {"n": attendance},
    )
    if decision == MeetingDecision.Decision.APPROVED:
        _require(
            votes_for > votes_against, "decision", _("An approval needs a majority in favour.")
        )
    if approved_amount is not None:
        _require(approved_amount > 0, "approved_amount", _("The amount must be positive."))
    item.decision = decision
    item.discussion = discussion
    item.votes_for, item.votes_against, item.abstentions = votes_for, votes_against, abstentions
    item.approved_amount = approved_amount
    item.save()
    return item


def disposal_needs_meeting(case: EnforcementCase, amount: Decimal) -> bool:
    return (
        amount > settings.JOINT_MEETING_DISPOSAL_THRESHOLD
        or EnforcementCase.Flag.LARGE_DISPOSAL in case.flags
    )


@recorded_write
def order_disposal(
    *, case: EnforcementCase, user: User, description: str, amount: Decimal
) -> AssetDisposal:
    """Order an asset disposal; above the threshold it needs an approving meeting decision."""
    case = _lock_case(case)
    _authorise(user, case.court, "enforcement.add_assetdisposal")
    _require_open(case)
    _require(bool(description.strip()), "description", _("Describe the assets."))
    _require(amount > 0, "amount", _("The amount must be positive."))
    authorisation = None
    if disposal_needs_meeting(case, amount):
        # An approval is a budget: the disposals it authorises may not add up to more. The case
        # row locked above serialises disposals of this case.
        approvals = (
            MeetingDecision.objects.filter(case=case, decision=MeetingDecision.Decision.APPROVED)
            .annotate(used=Coalesce(Sum("disposals__amount"), Decimal("0")))
            .order_by("meeting__held_on", "pk")
        )
        authorisation = next(
            (a for a in approvals if a.approved_amount and a.approved_amount - a.used >= amount),
            None,
        )
        if authorisation is None:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _(
                            "A disposal of this size needs the joint meeting's approval "
                            "(联席会议) first."
                        ),
                        code="joint_meeting_required",
                    )
                }
            )
    return AssetDisposal.objects.create(
        case=case,
        description=description.strip(),
        amount=amount,
        authorised_by=authorisation,
        ordered_by=user,
    )


# --- Objections (执行异议) ---------------------------------------------------------------------


@recorded_write
def file_objection(
    *,
    case: EnforcementCase,
    user: User,
    objector_name: str,
    contested_act: str,
    filed_on: dt.date,
    objector_party: Party | None = None,
) -> Objection:
    _authorise(user, case.court, "enforcement.add_objection")
    _require(bool(objector_name.strip()), "objector_name", _("Name the objector."))
    if objector_party is not None:
        _require(
            case.parties.filter(party=objector_party).exists(),
            "objector_party",
            _("The objecting party must be a party to this case; name an outsider instead."),
        )
    _require(bool(contested_act.strip()), "contested_act", _("Describe the contested act."))
    _require(filed_on <= timezone.localdate(), "filed_on", _("The date cannot be in the future."))
    return Objection.objects.create(
        case=case,
        objector_party=objector_party,
        objector_name=objector_name.strip(),
        contested_act=contested_act.strip(),
        filed_on=filed_on,
        review_due_on=deadlines.objection_review_due(filed_on),
    )


@recorded_write
def rule_on_objection(
    *, objection: Objection, user: User, ruling: str, reason: str, ruled_on: dt.date
) -> Objection:
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    _authorise(user, objection.case.court, "enforcement.change_objection")
    _require(objection.ruling == Objection.Ruling.PENDING, "ruling", _("Already ruled on."))
    _require(
        ruling in (Objection.Ruling.SUSTAINED, Objection.Ruling.DISMISSED),
        "ruling",
        _("Choose sustained or dismissed."),
    )
    _require(bool(reason.strip()), "ruling_reason", _("Give the reasons for the ruling."))
    _require(ruled_on >= objection.filed_on, "ruled_on", _("The ruling cannot precede the filing."))
    _require(ruled_on <= timezone.localdate(), "ruled_on", _("The date cannot be in the future."))
    objection.ruling = ruling
    objection.ruling_reason = reason.strip()
    objection.ruled_on = ruled_on
    objection.save()
    return objection


# --- Coercive measures ---------------------------------------------------------------------------


@recorded_write
def decide_measure(
    *,
    case: EnforcementCase,
    user: User,
    kind: str,
    subject: Party,
    reason: str,
    decided_on: dt.date,
    detention_days: int | None = None,
    fine_amount: Decimal | None = None,
) -> CoerciveMeasure:
    """Decide detention (≤ 15 days), a fine (≤ 100,000 yuan for a person, 50,000–1,000,000 for
    an organisation) or a transfer to the police; detention and fines await the president."""
    _authorise(user, case.court, "enforcement.add_coercivemeasure")
    case = _lock_case(case)
    _require_open(case)
    _require(kind in CoerciveMeasure.Kind.values, "kind", _("Choose the measure."))
    _require(bool(reason.strip()), "reason", _("Give the reason."))
    _require(
        decided_on <= timezone.localdate(), "decided_on", _("The date cannot be in the future.")
    )
    _require(
        case.parties.filter(party=subject).exists(),
        "subject",
        _("The subject must be a party to this case."),
    )
    if kind == CoerciveMeasure.Kind.DETENTION:
        _require(subject.kind == Party.Kind.PERSON, "subject", _("Only a person can be detained."))
        _require(
            detention_days is not None and 1 <= detention_days <= deadlines.DETENTION_MAX_DAYS,
            "detention_days",
            _("Judicial detention lasts 1 to 15 days."),
        )
        fine_amount = None
    elif kind == CoerciveMeasure.Kind.FINE:
        _require(fine_amount is not None and fine_amount > 0, "fine_amount", _("Enter the fine."))
        if subject.kind == Party.Kind.PERSON:
            _require(
                fine_amount <= INDIVIDUAL_FINE_MAX,
                "fine_amount",
                _("A fine on an individual is at most 100,000 yuan."),
            )
        else:
            _require(
                ORGANISATION_FINE_MIN <= fine_amount <= ORGANISATION_FINE_MAX,
                "fine_amount",
                _("A fine on an organisation is between 50,000 and 1,000,000 yuan."),
            )
        detention_days = None
    else:
        detention_days = fine_amount = None
    return CoerciveMeasure.objects.create(
        case=case,
        kind=kind,
        subject=subject,
        reason=reason.strip(),
        decided_on=decided_on,
        detention_days=detention_days,
        fine_amount=fine_amount,
        recorded_by=user,
    )


@recorded_write
def approve_measure(*, measure: CoerciveMeasure, user: User) -> CoerciveMeasure:
    """The court president's written approval of a detention or fine."""
    _require_role(user, Role.PRESIDENT)
    measure = CoerciveMeasure.objects.select_for_update().get(pk=measure.pk)
    _authorise(user, measure.case.court, "enforcement.change_coercivemeasure")
    _require(
        measure.kind in (CoerciveMeasure.Kind.DETENTION, CoerciveMeasure.Kind.FINE),
        "kind",
        _("Only detentions and fines need the president's approval."),
    )
    _require(measure.approved_at is None, "approved_by", _("Already approved."))
    measure.approved_by = user
    measure.approved_at = timezone.now()
    measure.save()
    return measure


@recorded_write
def record_family_notice(
    *, measure: CoerciveMeasure, user: User, notified_at: dt.datetime
) -> CoerciveMeasure:
    measure = CoerciveMeasure.objects.select_for_update().get(pk=measure.pk)
    _authorise(user, measure.case.court, "enforcement.change_coercivemeasure")
    _require(
        measure.kind == CoerciveMeasure.Kind.DETENTION,
        "kind",
        _("Only a detention requires notifying the family."),
    )
    _require(
        measure.approved_at is not None, "approved_by", _("The detention is not approved yet.")
    )
    # Notices are entered to the minute; the approval is stamped to the microsecond.
    approved_minute = measure.approved_at.replace(second=0, microsecond=0)
    _require(
        approved_minute <= notified_at <= timezone.now(),
        "family_notified_at",
        _("The notice comes after the approval and not in the future."),
    )
    measure.family_notified_at = notified_at
    measure.save()
    return measure


def family_notice_late(measure: CoerciveMeasure, now: dt.datetime) -> bool:
    """A detained person's family must be told within 24 hours of the approval."""
    if measure.kind != CoerciveMeasure.Kind.DETENTION or measure.approved_at is None:
        return False
    limit = measure.approved_at + dt.timedelta(hours=deadlines.FAMILY_NOTICE_HOURS)
    return (measure.family_notified_at or now) > limit


@recorded_write
def record_review(
    *,
    measure: CoerciveMeasure,
    user: User,
    requested_on: dt.date,
    decided_on: dt.date | None = None,
) -> CoerciveMeasure:
    """The one review by the higher court: requested within 3 days, decided within 5 more."""
    measure = CoerciveMeasure.objects.select_for_update().get(pk=measure.pk)
    _authorise(user, measure.case.court, "enforcement.change_coercivemeasure")
    _require(
        measure.kind in (CoerciveMeasure.Kind.DETENTION, CoerciveMeasure.Kind.FINE),
        "kind",
        _("Only detentions and fines are reviewed."),
    )
    _require(
        measure.decided_on
        <= requested_on
        <= measure.decided_on + dt.timedelta(days=deadlines.REVIEW_REQUEST_DAYS),
        "review_requested_on",
        _("A review must be requested within 3 days of the decision."),
    )
    today = timezone.localdate()
    _require(requested_on <= today, "review_requested_on", _("The date cannot be in the future."))
    if decided_on is not None:
        _require(decided_on <= today, "review_decided_on", _("The date cannot be in the future."))
        _require(
            requested_on
            <= decided_on
            <= requested_on + dt.timedelta(days=deadlines.REVIEW_DECISION_DAYS),
            "review_decided_on",
            _("The higher court decides within 5 days of the request."),
        )
    measure.review_requested_on = requested_on
    measure.review_decided_on = decided_on
    measure.save()
    return measure


# --- Field work (办案轨迹) ----------------------------------------------------------------------


@recorded_write
def record_field_action(
    *,
    case: EnforcementCase,
    user: User,
    kind: str,
    occurred_at: dt.datetime,
    place: str,
    participants: str,
    notes: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Sequence[UploadedFile] = (),
) -> FieldAction:
    _authorise(user, case.court, "enforcement.add_fieldaction")
    case = _lock_case(case)
    _require_open(case)
    _require(kind in FieldAction.Kind.values, "kind", _("Choose what was done."))
    _require(bool(place.strip()), "place", _("Enter the place."))
    _require(bool(participants.strip()), "participants", _("Name the participants."))
    _require(
        occurred_at <= timezone.now() + dt.timedelta(minutes=5),
        "occurred_at",
        _("The time cannot be in the future."),
    )
    _require(
        (latitude is None) == (longitude is None),
        "latitude",
        _("Give both latitude and longitude, or neither."),
    )
    if latitude is not None:
        _require(-90 <= latitude <= 90, "latitude", _("Latitude is between -90 and 90."))
        _require(-180 <= longitude <= 180, "longitude", _("Longitude is between -180 and 180."))
    for photo in photos:
        try:
            validate_image_upload(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.error_list}) from exc
    action = FieldAction.objects.create(
        case=case,
        kind=kind,
        occurred_at=occurred_at,
        place=place.strip(),
        participants=participants.strip(),
        notes=notes.strip(),
        latitude=latitude,
        longitude=longitude,
        officer=user,
    )
    for photo in photos:
        FieldPhoto.objects.create(action=action, image=photo)
    return action


# --- Travel and tickets (外出办案统一购票) -------------------------------------------------------


@recorded_write
def request_travel(
    *,
    case: EnforcementCase,
    user: User,
    destination: str,
    purpose: str,
    depart_on: dt.date,
    return_on: dt.date,
    travellers: Sequence[User],
) -> TravelRequest:
    _authorise(user, case.court, "enforcement.add_travelrequest")
    case = _lock_case(case)
    _require_open(case)
    _require(bool(destination.strip()), "destination", _("Enter the destination."))
    _require(bool(purpose.strip()), "purpose", _("Say what the trip is for."))
    _require(return_on >= depart_on, "return_on", _("The return cannot be before the departure."))
    _require(bool(travellers), "travellers", _("Name the travellers."))
    for traveller in travellers:
        _require(
            traveller.court_id == case.court_id,
            "travellers",
            _("Travellers must work for this court."),
        )
    travel = TravelRequest.objects.create(
        case=case,
        destination=destination.strip(),
        purpose=purpose.strip(),
        depart_on=depart_on,
        return_on=return_on,
        requested_by=user,
    )
    travel.travellers.set(travellers)
    return travel


@recorded_write
def decide_travel(*, travel: TravelRequest, user: User, approve: bool) -> TravelRequest:
    _require_role(user, Role.BUREAU_CHIEF)
    travel = TravelRequest.objects.select_for_update().get(pk=travel.pk)
    _authorise(user, travel.case.court, "enforcement.change_travelrequest")
    _require(travel.status == TravelRequest.Status.REQUESTED, "status", _("Already decided."))
    if user.pk == travel.requested_by_id or travel.travellers.filter(pk=user.pk).exists():
        raise PermissionDenied(_("Nobody approves their own trip."))
    travel.status = TravelRequest.Status.APPROVED if approve else TravelRequest.Status.REJECTED
    travel.decided_by = user
    travel.decided_at = timezone.now()
    travel.save()
    return travel


@recorded_write
def record_ticket(
    *,
    travel: TravelRequest,
    user: User,
    traveller: User,
    mode: str,
    reference: str,
    travel_on: dt.date,
    price: Decimal,
) -> Ticket:
    """A designated clerk records a ticket bought centrally; travellers never buy their own."""
    if not user.has_perm("enforcement.buy_tickets"):
        raise PermissionDenied(_("Only the designated ticket clerk records tickets."))
    travel = TravelRequest.objects.select_for_update().get(pk=travel.pk)
    _authorise(user, travel.case.court, "enforcement.buy_tickets")
    travellers = set(travel.travellers.values_list("pk", flat=True))
    if user.pk in travellers or user.pk == travel.requested_by_id:
        raise PermissionDenied(_("Officers cannot record tickets for their own trip."))
    _require(
        travel.status in (TravelRequest.Status.APPROVED, TravelRequest.Status.TICKETED),
        "request",
        _("Tickets are bought only for an approved trip."),
    )
    _require(traveller.pk in travellers, "traveller", _("This person is not on the trip."))
    _require(mode in Ticket.Mode.values, "mode", _("Choose the mode of travel."))
    _require(bool(reference.strip()), "reference", _("Enter the ticket number."))
    _require(price >= 0, "price", _("The price cannot be negative."))
    _require(
        travel.depart_on <= travel_on <= travel.return_on,
        "travel_on",
        _("The travel date lies within the trip."),
    )
    ticket = Ticket.objects.create(
        request=travel,
        traveller=traveller,
        mode=mode,
        reference=reference.strip(),
        travel_on=travel_on,
        price=price,
        bought_by=user,
    )
    if travel.status != TravelRequest.Status.TICKETED:
        travel.status = TravelRequest.Status.TICKETED
        travel.save()
    return ticket


# --- Campaigns ---------------------------------------------------------------------------------


@recorded_write
def create_campaign(
    *,
    court: Court,
    user: User,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    categories: Sequence[str],
    description: str = "",
) -> Campaign:
    _require_role(user, Role.BUREAU_CHIEF, Role.PRESIDENT)
    _authorise(user, court, "enforcement.add_campaign")
    _require(bool(name.strip()), "name", _("Name the campaign."))
    _require(ends_on >= starts_on, "ends_on", _("The campaign ends after it starts."))
    _require(
        bool(categories) and set(categories) <= set(EnforcementCase.Category.values),
        "categories",
        _("Choose the target categories."),
    )
    return Campaign.objects.create(
        court=court,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        categories=list(categories),
        description=description,
    )

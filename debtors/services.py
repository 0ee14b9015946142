"""Every write of property investigation and control (财产查控), whatever door it came through."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casefunds import services as funds
from casefunds.models import Account, Channel
from courtexec.authz import authorise, require, require_role
from courtexec.history import recorded_write
from courtexec.models import Court, User
from courtexec.notifications import notify
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles
from debtors import banks, rules
from debtors.models import (
    TIP_PHONE,
    AssetClass,
    BlacklistEntry,
    BlacklistExtension,
    CorrectionRequest,
    Deduction,
    DeletionTask,
    ExposureRecord,
    Finding,
    Freeze,
    FreezeRenewal,
    InvestigationRequest,
    InvestigatorRotation,
    PublicListing,
    RenewalReminder,
    ResearchRun,
    RestrictionExemption,
    RestrictionOrder,
    RotationMember,
    Search,
    Tip,
    legal_end,
)
from enforcement import services as enforcement_services
from enforcement.models import CaseParty, EnforcementCase, Party
from enforcement.validators import (
    normalise_credit_code,
    normalise_resident_id,
    validate_image_upload,
)

# --- Rotation -------------------------------------------------------------------------------


@recorded_write
def set_rotation(
    *,
    court: Court,
    members: Sequence[User],
    period_days: int,
    start_date: dt.date,
    user: User,
) -> InvestigatorRotation:
    """Set who takes turns in the investigation group, in order, and how long a turn lasts."""
    authorise(user, court, "debtors.change_investigatorrotation")
    require(period_days >= 1, "period_days", _("A turn lasts at least one day."))
    require(bool(members), "members", _("Name at least one member."))
    require(len({m.pk for m in members}) == len(members), "members", _("Name each member once."))
    for member in members:
        require(
            member.court_id == court.pk and member.has_role(Role.INVESTIGATOR),
            "members",
            _("Members must be this court's investigation group."),
        )
    rotation, _created = InvestigatorRotation.objects.select_for_update().get_or_create(
        court=court, defaults={"period_days": period_days, "start_date": start_date}
    )
    rotation.period_days = period_days
    rotation.start_date = start_date
    rotation.save()
    for slot in rotation.members.all():
        slot.delete()  # one by one, so the history records each
    for position, member in enumerate(members):
        RotationMember.objects.create(rotation=rotation, user=member, position=position)
    return rotation


def on_duty(court: Court, at: dt.datetime | None = None) -> User | None:
    rotation = InvestigatorRotation.objects.filter(court=court).first()
    return rotation.on_duty(at) if rotation else None


# --- Requests and searches ------------------------------------------------------------------


def reusable_search(*, court: Court, party_id: int, asset_class: str) -> Search | None:
    """The latest search of the party and class within the reuse window, if any."""
    since = timezone.now() - dt.timedelta(days=settings.DEBTORS_SEARCH_REUSE_DAYS)
    return (
        Search.objects.filter(
            court=court, party_id=party_id, asset_class=asset_class, performed_at__gte=since
        )
        .order_by("-performed_at", "-pk")
        .first()
    )


@recorded_write
def request_investigation(
    *,
    case: EnforcementCase,
    respondent: CaseParty,
    asset_classes: Sequence[str],
    user: User,
    force_reason: str = "",
) -> InvestigationRequest:
    """Ask the investigation group to search; recent searches of the party are linked instead.

    The request goes to the member on duty now. With ``force_reason`` nothing is reused: the
    group searches anew and the reason is kept.
    """
    authorise(user, case.court, "debtors.add_investigationrequest")
    require(case.is_open, "case", _("The case is concluded; resume it to continue."))
    require(
        respondent.case_id == case.pk and respondent.role == CaseParty.Role.RESPONDENT,
        "respondent",
        _("Choose a respondent of this case."),
    )
    classes = list(dict.fromkeys(asset_classes))
    require(bool(classes), "asset_classes", _("Choose at least one asset class."))
    require(
        all(c in AssetClass.values for c in classes),
        "asset_classes",
        _("Choose asset classes from the list."),
    )
    return _queue_request(
        case=case,
        respondent=respondent,
        asset_classes=classes,
        requested_by=user,
        now=timezone.now(),
        force_reason=force_reason.strip(),
    )


def _queue_request(
    *,
    case: EnforcementCase,
    respondent: CaseParty,
    asset_classes: list[str],
    requested_by: User,
    now: dt.datetime,
    force_reason: str = "",
) -> InvestigationRequest:
    """Create a request: link the party's recent searches (unless forced), then either it is
    done already or the member on duty takes it."""
    request = InvestigationRequest.objects.create(
        case=case,
        respondent=respondent,
        asset_classes=asset_classes,
        requested_by=requested_by,
        requested_at=now,
        force_reason=force_reason,
    )
    if not force_reason:
        reused = [
            s
            for c in asset_classes
            if (s := reusable_search(court=case.court, party_id=respondent.party_id, asset_class=c))
        ]
        if reused:
            request.searches.add(*reused)
    if not request.missing_classes():
        request.status = InvestigationRequest.Status.DONE
    else:
        request.assigned_to = on_duty(case.court, now)
        if request.assigned_to is not None:
            request.status = InvestigationRequest.Status.ASSIGNED
    request.save()
    return request


@recorded_write
def take_request(*, request: InvestigationRequest, user: User) -> InvestigationRequest:
    """A member of the investigation group takes a queued (or colleague's) request."""
    require_role(user, Role.INVESTIGATOR)
    request = InvestigationRequest.objects.select_for_update().get(pk=request.pk)
    authorise(user, request.case.court, "debtors.change_investigationrequest")
    require(
        request.status != InvestigationRequest.Status.DONE,
        "status",
        _("The request is already done."),
    )
    request.assigned_to = user
    request.status = InvestigationRequest.Status.ASSIGNED
    request.save()
    return request


def _order(case: EnforcementCase, user: User) -> banks.Order:
    return banks.Order(case_number=case.number, officer=f"{user.display_name} ({user.username})")


@recorded_write
def perform_searches(
    *, request: InvestigationRequest, user: User, bank: banks.BankAdapter | None = None
) -> InvestigationRequest:
    """The investigation group searches every class the request still lacks (safe to repeat)."""
    require_role(user, Role.INVESTIGATOR)
    request = InvestigationRequest.objects.select_for_update().get(pk=request.pk)
    case = request.case
    authorise(user, case.court, "debtors.add_search")
    if request.status == InvestigationRequest.Status.DONE:
        return request
    bank = bank or banks.get_bank()
    # One party is searched by one member at a time: a request queued while a colleague was
    # searching the same party links that search instead of repeating it.
    party = Party.objects.select_for_update().get(pk=request.respondent.party_id)
    now = timezone.now()
    for asset_class in request.missing_classes():
        if not request.force_reason:
            recent = reusable_search(court=case.court, party_id=party.pk, asset_class=asset_class)
            if recent is not None:
                request.searches.add(recent)
                continue
        search = Search.objects.create(
            court=case.court,
            party=party,
            asset_class=asset_class,
            performed_at=now,
            performed_by=user,
            case_number=case.number,
            forced_reason=request.force_reason,
        )
        if asset_class == AssetClass.BANK_DEPOSIT:
            accounts = bank.search(
                id_number=party.id_number or "", name=party.name, order=_order(case, user)
            )
            for account in accounts:
                Finding.objects.create(
                    search=search,
                    asset_class=asset_class,
                    institution=account.institution,
                    identifier=account.number,
                    value=account.balance,
                )
            search.results = {"accounts": len(accounts)}
        else:
            # No network channel for this class in this slice: recorded as searched, nothing found.
            search.results = {"channel": "none"}
        search.save()
        request.searches.add(search)
    request.assigned_to = request.assigned_to or user
    request.status = InvestigationRequest.Status.DONE
    request.save()
    return request


# --- Freezes --------------------------------------------------------------------------------


def _respondent_of(case: EnforcementCase, finding: Finding) -> CaseParty:
    link = CaseParty.objects.filter(
        case=case, party_id=finding.search.party_id, role=CaseParty.Role.RESPONDENT
    ).first()
    require(link is not None, "finding", _("The property is not a respondent's of this case."))
    return link


@recorded_write
def freeze(
    *,
    finding: Finding,
    case: EnforcementCase,
    user: User,
    kind: str = Freeze.Kind.FREEZE,
    amount: int | None = None,
    from_date: dt.date | None = None,
    bank: banks.BankAdapter | None = None,
) -> Freeze:
    """Freeze or seize a finding for a case, up to its legal period."""
    authorise(user, case.court, "debtors.add_freeze")
    require(case.is_open, "case", _("The case is concluded; resume it to continue."))
    require(finding.search.court_id == case.court_id, "finding", _("Unknown property."))
    require(kind in Freeze.Kind.values, "kind", _("Choose freeze or seizure."))
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    respondent = _respondent_of(case, finding)
    require(
        finding.status == Finding.Status.FOUND,
        "finding",
        _("The property is already frozen, seized, deducted or released."),
    )
    from_date = from_date or timezone.localdate()
    amount = finding.value if amount is None else amount
    require(amount >= 0, "amount", _("The amount cannot be negative."))
    reference = ""
    if finding.asset_class == AssetClass.BANK_DEPOSIT:
        bank = bank or banks.get_bank()
        answer = bank.freeze(account=finding.identifier, amount=amount, order=_order(case, user))
        reference, amount = answer.reference, answer.amount
    finding.status = Finding.Status.FROZEN if kind == Freeze.Kind.FREEZE else Finding.Status.SEIZED
    finding.save()
    return Freeze.objects.create(
        finding=finding,
        case=case,
        respondent=respondent,
        kind=kind,
        amount=amount,
        from_date=from_date,
        to_date=legal_end(finding.asset_class, from_date),
        bank_reference=reference,
        ordered_by=user,
    )


@recorded_write
def renew_freeze(*, freeze: Freeze, user: User) -> FreezeRenewal:
    """Renew (续冻/续封) before expiry: the freeze runs one more legal period."""
    authorise(user, freeze.case.court, "debtors.add_freezerenewal")
    freeze = Freeze.objects.select_for_update().get(pk=freeze.pk)
    require(freeze.released_on is None, "freeze", _("The freeze was released."))
    require(not freeze.expired, "freeze", _("The freeze has expired; it cannot be renewed."))
    previous = freeze.to_date
    freeze.to_date = legal_end(freeze.finding.asset_class, previous + dt.timedelta(days=1))
    freeze.save()
    return FreezeRenewal.objects.create(
        freeze=freeze, previous_to=previous, new_to=freeze.to_date, renewed_by=user
    )


@recorded_write
def release_freeze(*, freeze: Freeze, user: User, bank: banks.BankAdapter | None = None) -> Freeze:
    authorise(user, freeze.case.court, "debtors.change_freeze")
    freeze = Freeze.objects.select_for_update().get(pk=freeze.pk)
    require(freeze.released_on is None, "freeze", _("The freeze was already released."))
    finding = Finding.objects.select_for_update().get(pk=freeze.finding_id)
    if finding.asset_class == AssetClass.BANK_DEPOSIT and freeze.bank_reference:
        (bank or banks.get_bank()).unfreeze(
            account=finding.identifier,
            reference=freeze.bank_reference,
            order=_order(freeze.case, user),
        )
    freeze.released_on = timezone.localdate()
    freeze.save()
    if finding.status in (Finding.Status.FROZEN, Finding.Status.SEIZED):
        finding.status = Finding.Status.RELEASED
        finding.save()
    return freeze


# --- Deductions -----------------------------------------------------------------------------


def deduction_channel(court: Court) -> Channel:
    """The court's online-deduction channel, created the first time money is deducted."""
    channel, _created = Channel.objects.get_or_create(
        code=f"deduction-{court.pk}",
        defaults={"court": court, "kind": Channel.Kind.DEDUCTION, "name": "网络扣划"},
    )
    return channel


@dataclass(frozen=True)
class DeductionResult:
    deduction: Deduction
    created: bool


@recorded_write
def deduct(
    *,
    freeze: Freeze,
    amount: int,
    user: User,
    bank: banks.BankAdapter | None = None,
) -> DeductionResult:
    """Order the bank to deduct frozen money and book its answer into the case's sub-account."""
    authorise(user, freeze.case.court, "debtors.add_deduction")
    freeze = Freeze.objects.select_for_update().get(pk=freeze.pk)
    require(freeze.active, "freeze", _("Only money under a live freeze can be deducted."))
    require(
        freeze.finding.asset_class == AssetClass.BANK_DEPOSIT,
        "freeze",
        _("Only bank deposits are deducted online."),
    )
    require(0 < amount <= freeze.amount, "amount", _("Deduct at most the amount frozen."))
    bank = bank or banks.get_bank()
    answer = bank.deduct(
        account=freeze.finding.identifier, amount=amount, order=_order(freeze.case, user)
    )
    return apply_deduction_answer(freeze=freeze, answer=answer, user=user)


@recorded_write
def apply_deduction_answer(
    *, freeze: Freeze, answer: banks.DeductionAnswer, user: User | None = None
) -> DeductionResult:
    """Book the bank's answer once: its reference is the deposit's and the deduction's key."""
    case = freeze.case
    account = Account.objects.filter(payer=freeze.respondent, kind=Account.Kind.CASE).first()
    if account is None:
        account = Account.objects.filter(case=case, kind=Account.Kind.CASE).first()
    require(account is not None, "case", _("The case has no sub-account to receive the money."))
    party = freeze.respondent.party
    notice = funds.Notice(
        reference=answer.reference,
        virtual_account=account.virtual_number or "",
        amount=answer.amount,
        payer_name=party.name,
        payer_account=answer.account,
        paid_at=answer.at,
    )
    existing = Deduction.objects.filter(bank_reference=answer.reference).first()
    if existing is not None:
        return DeductionResult(existing, False)
    deposit, _created = funds.receive_payment(
        channel=deduction_channel(case.court), notice=notice, received_by=user
    )
    try:
        with transaction.atomic():
            deduction = Deduction.objects.create(
                finding=freeze.finding,
                case=case,
                amount=answer.amount,
                bank_reference=answer.reference,
                deposit=deposit,
                ordered_by=user,
                deducted_at=answer.at,
            )
    except IntegrityError:  # the same answer applied concurrently
        return DeductionResult(Deduction.objects.get(bank_reference=answer.reference), False)
    finding = Finding.objects.select_for_update().get(pk=freeze.finding_id)
    if answer.amount >= freeze.amount:
        finding.status = Finding.Status.DEDUCTED
        finding.save()
    return DeductionResult(deduction, True)


# --- Renewal reminders ----------------------------------------------------------------------


@dataclass
class ReminderRun:
    raised: int = 0


def raise_renewal_reminders(*, today: dt.date | None = None) -> ReminderRun:
    """Daily: remind the judge and the investigation group of freezes nearing their end.

    Once per freeze, lead time and end date (a unique constraint), so a second run the same day
    or a redelivered task raises nothing; a day the job missed is caught up the next.
    """
    today = today or timezone.localdate()
    leads = sorted(settings.DEBTORS_RENEWAL_LEAD_DAYS, reverse=True)
    run = ReminderRun()
    horizon = today + dt.timedelta(days=max(leads))
    candidates = (
        Freeze.objects.filter(released_on__isnull=True, to_date__gte=today, to_date__lte=horizon)
        .select_related("case__court", "case__judge", "finding")
        .order_by("pk")
    )
    groups: dict[int, list[User]] = {}  # the investigation group of each court, read once
    for freeze in candidates:
        days_left = (freeze.to_date - today).days
        for lead in leads:
            if days_left > lead:
                continue
            with transaction.atomic():
                _reminder, created = RenewalReminder.objects.get_or_create(
                    freeze=freeze, lead_days=lead, to_date=freeze.to_date
                )
                if not created:
                    continue
                court_id = freeze.case.court_id
                if court_id not in groups:
                    groups[court_id] = list(staff_with_roles(court_id, Role.INVESTIGATOR))
                group = groups[court_id]
                message = _(
                    "%(kind)s of %(property)s in case %(case)s ends on %(date)s "
                    "(%(days)d days): renew it before then."
                ) % {
                    "kind": freeze.get_kind_display(),
                    "property": freeze.finding,
                    "case": freeze.case.number,
                    "date": freeze.to_date.isoformat(),
                    "days": days_left,
                }
                notify([freeze.case.judge, *group], kind="debtors.freeze_renewal", message=message)
                run.raised += 1
    return run


# --- The dishonest-debtor list (失信被执行人名单) ------------------------------------------------


def respondent_facts(link: CaseParty, **bound: Sequence[str] | str) -> rules.Respondent:
    """The respondent of a case as ``debtors.rules`` needs it; ``bound`` names an
    organisation's principal officers, directly responsible persons and actual controller."""
    party = link.party
    return rules.Respondent(
        kind=rules.RespondentKind(party.kind),
        name=party.name,
        id_number=party.id_number or "",
        birth_date=party.birth_date,
        legal_representative=party.legal_representative,
        principal_officers=tuple(bound.get("principal_officers", ())),
        directly_responsible=tuple(bound.get("directly_responsible", ())),
        actual_controller=str(bound.get("actual_controller", "")),
    )


def _refuse(found: Sequence[rules.Refusal]) -> None:
    if found:
        raise ValidationError(
            {"grounds": [ValidationError(r.message, code=r.reason.value) for r in found]}
        )


def _rule(error: rules.RuleError, field: str) -> ValidationError:
    return ValidationError({field: ValidationError(str(error.message), code=error.code)})


def _period(entry: BlacklistEntry) -> rules.ListingPeriod:
    period = rules.listing_period(entry.grounds, entry.decided_on)
    extensions = tuple(rules.Extension(e.years, e.reason) for e in entry.extensions.order_by("pk"))
    return rules.ListingPeriod(period.starts_on, period.base_years, extensions)


def _lock_entry(entry: BlacklistEntry) -> BlacklistEntry:
    return BlacklistEntry.objects.select_for_update().select_related("case__court").get(pk=entry.pk)


@recorded_write
def propose_listing(
    *,
    case: EnforcementCase,
    respondent: CaseParty,
    grounds: Sequence[int],
    facts: str,
    decision_number: str,
    decided_on: dt.date,
    user: User,
    assessment: rules.CoverageAssessment | None = None,
    applicant_request: bool = False,
) -> BlacklistEntry:
    """Propose listing a respondent; refused with every reason ``debtors.rules`` gives.

    ``applicant_request`` marks a listing the applicant asked for: within 6 months of a deletion
    at the applicant's request it is not supported (Art. 10).
    """
    authorise(user, case.court, "debtors.add_blacklistentry")
    require(
        respondent.case_id == case.pk and respondent.role == CaseParty.Role.RESPONDENT,
        "respondent",
        _("Choose a respondent of this case."),
    )
    require(bool(facts.strip()), "facts", _("State the facts of the listing."))
    require(bool(decision_number.strip()), "decision_number", _("Give the decision number."))
    proposal = rules.ListingProposal.of(
        respondent_facts(respondent),
        grounds,
        decided_on=decided_on,
        has_open_case=case.is_open,
        assessment=assessment,
    )
    _refuse(rules.refusals(proposal))
    require(
        not BlacklistEntry.objects.filter(case=case, respondent=respondent)
        .exclude(status__in=[BlacklistEntry.Status.DELETED, BlacklistEntry.Status.CORRECTED])
        .exists(),
        "respondent",
        _("The respondent is already proposed or listed in this case."),
        code="listed",
    )
    if applicant_request:
        for earlier in BlacklistEntry.objects.filter(
            case=case, respondent=respondent, status=BlacklistEntry.Status.DELETED
        ):
            require(
                rules.applicant_may_request_relisting(
                    timezone.localdate(earlier.deleted_at),
                    rules.DeletionGround(earlier.deletion_ground),
                    decided_on,
                ),
                "respondent",
                _(
                    "Within 6 months of a deletion at the applicant's request, the applicant's "
                    "request to list the respondent again is not supported (Art. 10)."
                ),
                code="relisting_bar",
            )
    period = rules.listing_period(proposal.grounds, decided_on)
    fields = {}
    if assessment is not None:
        fields = {
            "assessed_by": assessment.assessed_by,
            "assessed_on": assessment.assessed_on,
            "security_given": assessment.security_given,
            "frozen_property_value": assessment.frozen_property_value,
            "assessment_note": assessment.note,
        }
    return BlacklistEntry.objects.create(
        case=case,
        respondent=respondent,
        grounds=sorted(int(g) for g in proposal.grounds),
        facts=facts.strip(),
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        proposed_by=user,
        ends_on=period.ends_on,
        **fields,
    )


@recorded_write
def approve_listing(*, entry: BlacklistEntry, user: User) -> BlacklistEntry:
    """The court president approves a proposal; never the officer who proposed it."""
    entry = _lock_entry(entry)
    require_role(user, Role.PRESIDENT)
    authorise(user, entry.case.court, "debtors.change_blacklistentry")
    require(
        entry.status == BlacklistEntry.Status.PROPOSED,
        "status",
        _("Only a proposed entry can be approved."),
    )
    require(
        entry.proposed_by_id != user.pk,
        "approved_by",
        _("The officer who proposed the listing may not approve it."),
        code="own_proposal",
    )
    entry.status = BlacklistEntry.Status.APPROVED
    entry.approved_by = user
    entry.approved_at = timezone.now()
    entry.save()
    return entry


@recorded_write
def record_listing_service(
    *, entry: BlacklistEntry, served_on: dt.date, user: User
) -> BlacklistEntry:
    """Record that the listing decision was served on the respondent."""
    entry = _lock_entry(entry)
    authorise(user, entry.case.court, "debtors.change_blacklistentry")
    require(
        entry.status in {BlacklistEntry.Status.APPROVED, BlacklistEntry.Status.PUBLISHED},
        "status",
        _("Serve an approved listing."),
    )
    require(served_on >= entry.decided_on, "served_on", _("Service cannot precede the decision."))
    entry.served_on = served_on
    entry.save()
    return entry


@recorded_write
def publish_listing(*, entry: BlacklistEntry, user: User) -> BlacklistEntry:
    """Publish an approved entry; a consumption-restriction order follows automatically."""
    entry = _lock_entry(entry)
    authorise(user, entry.case.court, "debtors.change_blacklistentry")
    require(
        entry.status == BlacklistEntry.Status.APPROVED,
        "status",
        _("Only an approved entry can be published."),
    )
    entry.status = BlacklistEntry.Status.PUBLISHED
    entry.published_at = timezone.now()
    entry.save()
    _record_milestone(entry.case, "blacklisted_on", user)
    if (
        rules.RESTRICTION_MANDATORY_WITH_LISTING
        and not RestrictionOrder.objects.filter(
            case=entry.case, respondent=entry.respondent, lifted_on__isnull=True
        ).exists()
    ):
        _issue_restriction(case=entry.case, respondent=entry.respondent, entry=entry, user=user)
    return entry


@recorded_write
def extend_listing(
    *, entry: BlacklistEntry, years: int, reason: str, user: User
) -> BlacklistExtension:
    """The president extends the period by 1–3 years in all, with a reason (Art. 2)."""
    entry = _lock_entry(entry)
    require_role(user, Role.PRESIDENT)
    authorise(user, entry.case.court, "debtors.add_blacklistextension")
    require(entry.is_live, "status", _("A deleted or corrected entry cannot be extended."))
    try:
        period = rules.extend_period(_period(entry), entry.grounds, years, reason)
    except rules.RuleError as error:
        raise _rule(error, "years") from error
    extension = BlacklistExtension.objects.create(
        entry=entry, years=years, reason=reason.strip(), approved_by=user
    )
    entry.ends_on = period.ends_on
    entry.save()
    return extension


@recorded_write
def delete_listing(
    *, entry: BlacklistEntry, ground: str, arose_on: dt.date, user: User
) -> BlacklistEntry:
    """Delete an entry on an Art. 10 ground, due 3 working days after the ground arose."""
    entry = _lock_entry(entry)
    authorise(user, entry.case.court, "debtors.change_blacklistentry")
    require(entry.is_live, "status", _("The entry is already deleted or corrected."))
    require(
        ground in rules.DeletionGround.values, "ground", _("Choose a deletion ground of Art. 10.")
    )
    require(
        rules.deletion_ground_applies(rules.DeletionGround(ground), _period(entry)),
        "ground",
        _(
            "An entry with a period is deleted when it expires; one listed until deleted, on the "
            "other grounds of Art. 10."
        ),
        code="ground_not_applicable",
    )
    entry.status = BlacklistEntry.Status.DELETED
    entry.deletion_ground = ground
    entry.deletion_ground_arose_on = arose_on
    entry.deletion_due_on = rules.deletion_deadline(arose_on)
    entry.deleted_at = timezone.now()
    entry.save()
    _withdraw_exposures(entry, _("Deleted from the list."))  # exposure slice
    return entry


# --- Deletion tasks (Art. 10: within 3 working days) ----------------------------------------


def _visible_deletion_grounds(
    entry: BlacklistEntry, today: dt.date
) -> list[tuple[rules.DeletionGround, dt.date]]:
    """The Art. 10 grounds the system can see for ``entry``, with the day each arose."""
    case = entry.case
    seen: list[tuple[rules.DeletionGround, dt.date]] = []
    if case.closure_mode == EnforcementCase.ClosureMode.PERFORMED and case.closed_on:
        seen.append((rules.DeletionGround.PERFORMED, case.closed_on))
    elif case.outstanding == 0:
        seen.append((rules.DeletionGround.PERFORMED, today))
    if entry.ends_on is not None and entry.ends_on <= today:
        seen.append((rules.DeletionGround.PERIOD_EXPIRED, entry.ends_on))
    seen.extend(more_deletion_grounds(entry, {ground for ground, _day in seen}))
    period = _period(entry)
    return [(g, day) for g, day in seen if rules.deletion_ground_applies(g, period)]


def raise_deletion_tasks(*, today: dt.date | None = None) -> int:
    """Daily: a task (and a note to the judge) per entry and deletion ground the system sees.

    Unique per entry and ground, so a second run or a redelivered task raises nothing.
    """
    today = today or timezone.localdate()
    raised = 0
    live = BlacklistEntry.objects.filter(
        status__in=[BlacklistEntry.Status.APPROVED, BlacklistEntry.Status.PUBLISHED]
    ).select_related("case__judge", "respondent__party")
    for entry in live.order_by("pk"):
        for ground, arisen_on in _visible_deletion_grounds(entry, today):
            with transaction.atomic():
                task, created = DeletionTask.objects.get_or_create(
                    entry=entry,
                    ground=ground,
                    defaults={
                        "arisen_on": arisen_on,
                        "due_on": rules.deletion_deadline(arisen_on),
                    },
                )
                if not created:
                    continue
                message = _(
                    "Delete %(party)s from the dishonest-debtor list in case %(case)s by "
                    "%(date)s: %(ground)s."
                ) % {
                    "party": entry.respondent.party.name,
                    "case": entry.case.number,
                    "date": task.due_on.isoformat(),
                    "ground": ground.label,
                }
                notify([entry.case.judge], kind="debtors.blacklist_deletion", message=message)
                raised += 1
    return raised


# --- Correction requests (Art. 11–12) -------------------------------------------------------


@recorded_write
def request_correction(
    *, entry: BlacklistEntry, ground: str, statement: str, received_on: dt.date, user: User
) -> CorrectionRequest:
    """Register a request to correct an entry; it is reviewed within 15 days of receipt."""
    authorise(user, entry.case.court, "debtors.add_correctionrequest")
    require(ground in rules.CorrectionGround.values, "ground", _("Choose a correction ground."))
    require(bool(statement.strip()), "statement", _("State what should be corrected."))
    return CorrectionRequest.objects.create(
        entry=entry,
        ground=ground,
        statement=statement.strip(),
        received_on=received_on,
        review_due_on=rules.correction_review_due(received_on),
    )


@recorded_write
def review_correction(
    *, request: CorrectionRequest, upheld: bool, reviewed_on: dt.date, user: User
) -> CorrectionRequest:
    """Uphold (correct within 3 working days) or reject a correction request."""
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    authorise(user, request.entry.case.court, "debtors.change_correctionrequest")
    require(
        request.status == CorrectionRequest.Status.PENDING,
        "status",
        _("The request is already reviewed."),
    )
    require(
        reviewed_on >= request.received_on,
        "reviewed_on",
        _("The review cannot precede the request's receipt."),
    )
    request.status = (
        CorrectionRequest.Status.UPHELD if upheld else CorrectionRequest.Status.REJECTED
    )
    request.reviewed_on = reviewed_on
    if upheld:
        request.correction_due_on = rules.correction_due(reviewed_on)
    request.save()
    return request


@recorded_write
def correct_entry(*, request: CorrectionRequest, user: User) -> BlacklistEntry:
    """Carry out an upheld request: the entry is marked corrected and leaves the list."""
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    entry = _lock_entry(request.entry)
    authorise(user, entry.case.court, "debtors.change_blacklistentry")
    require(
        request.status == CorrectionRequest.Status.UPHELD and request.corrected_at is None,
        "status",
        _("Only an upheld request not yet carried out can be."),
    )
    require(entry.is_live, "status", _("The entry is already deleted or corrected."))
    request.corrected_at = timezone.now()
    request.save()
    entry.status = BlacklistEntry.Status.CORRECTED
    entry.save()
    _withdraw_exposures(entry, _("Corrected."))  # exposure slice
    return entry


# --- Consumption restriction (限制消费) --------------------------------------------------------


def _record_milestone(case: EnforcementCase, milestone: str, user: User) -> None:
    """Mark the case's procedural step (终本 checks it) the first time it happens."""
    case.refresh_from_db()
    if case.is_open and not getattr(case, milestone):
        enforcement_services.record_milestone(
            case=case, user=user, milestone=milestone, on=timezone.localdate()
        )


def _issue_restriction(
    *,
    case: EnforcementCase,
    respondent: CaseParty,
    user: User,
    entry: BlacklistEntry | None,
    **named: Sequence[str] | str,
) -> RestrictionOrder:
    bound = rules.bound_persons(respondent_facts(respondent, **named))
    _record_milestone(case, "consumption_restriction_on", user)
    return RestrictionOrder.objects.create(
        case=case,
        respondent=respondent,
        entry=entry,
        items=list(rules.RestrictedItem.values),
        bound_persons=[{"role": p.role.value, "name": p.name} for p in bound],
        issued_by=user,
        issued_on=timezone.localdate(),
    )


@recorded_write
def issue_restriction(
    *,
    case: EnforcementCase,
    respondent: CaseParty,
    user: User,
    principal_officers: Sequence[str] = (),
    directly_responsible: Sequence[str] = (),
    actual_controller: str = "",
) -> RestrictionOrder:
    """Issue a consumption-restriction order by hand (one in force per case and respondent).

    For an organisation the order binds its legal representative and the people named here.
    """
    authorise(user, case.court, "debtors.add_restrictionorder")
    require(case.is_open, "case", _("The case is concluded; resume it to continue."))
    require(
        respondent.case_id == case.pk and respondent.role == CaseParty.Role.RESPONDENT,
        "respondent",
        _("Choose a respondent of this case."),
    )
    require(
        not RestrictionOrder.objects.filter(
            case=case, respondent=respondent, lifted_on__isnull=True
        ).exists(),
        "respondent",
        _("A restriction order against the respondent is already in force in this case."),
        code="in_force",
    )
    return _issue_restriction(
        case=case,
        respondent=respondent,
        user=user,
        entry=None,
        principal_officers=principal_officers,
        directly_responsible=directly_responsible,
        actual_controller=actual_controller,
    )


@recorded_write
def lift_restriction(
    *, order: RestrictionOrder, reason: str, note: str, user: User
) -> RestrictionOrder:
    """Lift an order: on full performance (mandatory), security or the applicant's consent."""
    order = RestrictionOrder.objects.select_for_update().select_related("case").get(pk=order.pk)
    authorise(user, order.case.court, "debtors.change_restrictionorder")
    require(order.in_force, "status", _("The order is already lifted."))
    require(reason in rules.LiftingReason.values, "reason", _("Choose a lifting reason."))
    if reason == rules.LiftingReason.FULL_PERFORMANCE:
        require(
            order.case.outstanding == 0,
            "reason",
            _("%(amount)s yuan is still to be performed.")
            % {"amount": f"{order.case.outstanding:,.2f}"},
            code="not_performed",
        )
    else:
        require(bool(note.strip()), "note", _("Record the security or the applicant's consent."))
    order.lifted_on = timezone.localdate()
    order.lifting_reason = reason
    order.lifting_note = note.strip()
    order.save()
    return order


@recorded_write
def request_exemption(
    *,
    order: RestrictionOrder,
    item: str,
    reason: str,
    valid_from: dt.date,
    valid_to: dt.date,
    user: User,
) -> RestrictionExemption:
    """Record a request to spend on a restricted item for a necessary reason."""
    authorise(user, order.case.court, "debtors.add_restrictionexemption")
    require(order.in_force, "order", _("The order is lifted: nothing to exempt."))
    require(item in order.items, "item", _("Choose an item the order restricts."))
    require(bool(reason.strip()), "reason", _("State why the spending is necessary."))
    require(valid_from <= valid_to, "valid_to", _("The end cannot precede the start."))
    return RestrictionExemption.objects.create(
        order=order, item=item, reason=reason.strip(), valid_from=valid_from, valid_to=valid_to
    )


@recorded_write
def decide_exemption(
    *, exemption: RestrictionExemption, approve: bool, user: User
) -> RestrictionExemption:
    """The court approves or refuses an exemption request."""
    exemption = RestrictionExemption.objects.select_for_update().get(pk=exemption.pk)
    authorise(user, exemption.order.case.court, "debtors.change_restrictionexemption")
    require(
        exemption.status == RestrictionExemption.Status.PENDING,
        "status",
        _("The request is already decided."),
    )
    exemption.status = (
        RestrictionExemption.Status.APPROVED if approve else RestrictionExemption.Status.REFUSED
    )
    exemption.decided_by = user
    exemption.save()
    return exemption


# --- Exposure (360°曝光) ----------------------------------------------------------------------


def _withdraw_exposures(entry: BlacklistEntry, reason: str) -> int:
    """Withdraw the entry's open exposures today (inside the deleting or correcting write)."""
    today = timezone.localdate()
    withdrawn = 0
    for record in ExposureRecord.objects.select_for_update().filter(
        entry=entry, withdrawn_on__isnull=True
    ):
        record.withdrawn_on = max(today, record.published_on)
        record.withdrawal_reason = reason
        record.save()  # one by one, so the history records each
        withdrawn += 1
    return withdrawn


@recorded_write
def record_exposure(
    *,
    entry: BlacklistEntry,
    channel: str,
    outlet: str,
    user: User,
    published_on: dt.date | None = None,
    reference: str = "",
) -> ExposureRecord:
    """Record that a published entry was exposed in a channel (one open record per outlet)."""
    entry = _lock_entry(entry)
    authorise(user, entry.case.court, "debtors.add_exposurerecord")
    require(
        entry.status == BlacklistEntry.Status.PUBLISHED,
        "entry",
        _("Only a published entry can be exposed."),
        code="not_published",
    )
    require(channel in ExposureRecord.Channel.values, "channel", _("Choose a channel."))
    outlet = outlet.strip()
    require(bool(outlet), "outlet", _("Name the outlet or place."))
    today = timezone.localdate()
    published_on = published_on or today
    require(published_on <= today, "published_on", _("The date cannot be in the future."))
    require(
        published_on >= timezone.localdate(entry.published_at),
        "published_on",
        _("The exposure cannot precede the entry's publication."),
    )
    require(
        not ExposureRecord.objects.filter(
            entry=entry, channel=channel, outlet=outlet, withdrawn_on__isnull=True
        ).exists(),
        "outlet",
        _("The entry is already exposed there."),
        code="already_exposed",
    )
    return ExposureRecord.objects.create(
        entry=entry,
        channel=channel,
        outlet=outlet,
        reference=reference.strip(),
        published_on=published_on,
        recorded_by=user,
    )


@recorded_write
def withdraw_exposure(*, record: ExposureRecord, reason: str, user: User) -> ExposureRecord:
    """Take an exposure down (the notice removed, the screen cleared), with the reason."""
    record = (
        ExposureRecord.objects.select_for_update()
        .select_related("entry__case__court")
        .get(pk=record.pk)
    )
    authorise(user, record.entry.case.court, "debtors.change_exposurerecord")
    require(record.is_open, "withdrawn_on", _("The exposure is already withdrawn."), "withdrawn")
    require(bool(reason.strip()), "reason", _("Give the reason."))
    record.withdrawn_on = max(timezone.localdate(), record.published_on)
    record.withdrawal_reason = reason.strip()
    record.save()
    return record


# The fields of the national list (全国失信被执行人名单) in its order (Art. 6), as column headers.
NATIONAL_COLUMNS: list[tuple[str, str]] = [
    ("name", "被执行人姓名/名称"),
    ("kind", "类型"),
    ("sex", "性别"),
    ("age", "年龄"),
    ("id_number", "身份证号码/统一社会信用代码"),
    ("legal_representative", "法定代表人或者负责人姓名"),
    ("court", "执行法院"),
    ("case_number", "案号"),
    ("filed_on", "立案时间"),
    ("issuing_body", "做出执行依据单位"),
    ("instrument_number", "执行依据文号"),
    ("obligation", "生效法律文书确定的义务"),
    ("performance", "被执行人的履行情况"),
    ("grounds", "失信被执行人行为具体情形"),
    ("decision_number", "失信决定文书号"),
    ("published_on", "发布时间"),
]


@dataclass
class NationalExport:
    content: bytes
    filename: str
    content_type: str
    exported: int
    recorded: int


def _national_row(entry: BlacklistEntry) -> dict[str, str]:
    from debtors.selectors import obligation_text, performance_text

    party = entry.respondent.party
    person = party.kind == "person"
    born = rules.birth_date_of(respondent_facts(entry.respondent)) if person else None
    age = str(rules.age_on(born, timezone.localdate())) if born else ""
    return {
        "name": party.name,
        "kind": "自然人" if person else "法人或其他组织",
        "sex": party.get_sex_display() if person and party.sex else "",
        "age": age,
        # The national system receives the full number; the public pages mask it (ADR 015).
        "id_number": party.id_number or "",
        "legal_representative": "" if person else party.legal_representative,
        "court": entry.case.court.name,
        "case_number": entry.case.number,
        "filed_on": entry.case.filed_on.isoformat(),
        "issuing_body": entry.case.issuing_body,
        "instrument_number": entry.case.instrument_number,
        "obligation": obligation_text(entry.case),
        "performance": performance_text(entry.case),
        "grounds": "；".join(str(rules.Ground(g).label) for g in entry.grounds),
        "decision_number": entry.decision_number,
        "published_on": timezone.localdate(entry.published_at).isoformat(),
    }


@recorded_write
def export_national_list(*, court: Court, user: User, fmt: str = "xlsx") -> NationalExport:
    """This court's published entries in the national list's fields (Excel or CSV); each entry
    exported gets a national-database exposure unless one is already open."""
    import csv
    import io

    from openpyxl import Workbook

    authorise(user, court, "debtors.add_exposurerecord")
    require(fmt in {"xlsx", "csv"}, "fmt", _("Choose Excel or CSV."))
    now = timezone.localtime()
    batch = f"NATIONAL-{court.code}-{now:%Y%m%d%H%M%S}"
    entries = list(
        BlacklistEntry.objects.select_for_update(of=("self",))
        .filter(case__court=court, status=BlacklistEntry.Status.PUBLISHED)
        .select_related("case__court", "respondent__party")
        .order_by("published_at", "pk")
    )
    already = set(
        ExposureRecord.objects.filter(
            entry__in=entries,
            channel=ExposureRecord.Channel.NATIONAL_DATABASE,
            withdrawn_on__isnull=True,
        ).values_list("entry_id", flat=True)
    )
    with translation.override("zh-hans"):  # the national system reads Chinese
        rows = [_national_row(entry) for entry in entries]
    recorded = 0
    for entry in entries:
        if entry.pk in already:
            continue
        ExposureRecord.objects.create(
            entry=entry,
            channel=ExposureRecord.Channel.NATIONAL_DATABASE,
            outlet="全国失信被执行人名单库",
            reference=batch,
            published_on=now.date(),
            recorded_by=user,
        )
        recorded += 1
    headers = [label for _key, label in NATIONAL_COLUMNS]
    keys = [key for key, _label in NATIONAL_COLUMNS]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row[k] for k in keys])
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8
        content_type = "text/csv; charset=utf-8"
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = "失信被执行人名单"
        sheet.append(headers)
        for row in rows:
            sheet.append([row[k] for k in keys])
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return NationalExport(
        content=content,
        filename=f"national-list-{court.pk}-{now:%Y%m%d%H%M%S}.{fmt}",  # ASCII for every browser
        content_type=content_type,
        exported=len(rows),
        recorded=recorded,
    )


# --- Tips (举报线索) ------------------------------------------------------------------------------
# A lead from the public or the hotline is matched to a respondent of the court's open cases and
# routed to the case judge, or waits in the bureau's unrouted queue until a chief or the
# investigation group assigns a case; it is checked within DEBTORS_TIP_CHECK_DAYS (BRIEF §1).

TIP_ASSIGNERS = (Role.BUREAU_CHIEF, Role.SECTION_CHIEF, Role.INVESTIGATOR)
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out on the phone


def tip_fingerprint(address: str) -> str:
    """A keyed hash of the sender's address: enough to count, never enough to recover it."""
    key = f"debtors.tip:{settings.SECRET_KEY}".encode()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


def consume_tip_allowance(fingerprint: str) -> bool:
    """Count one submission from this address in the Redis cache; False once past the limit."""
    key = f"debtors:tip-rate:{fingerprint}"
    window = settings.DEBTORS_TIP_RATE_WINDOW_SECONDS
    if cache.add(key, 1, timeout=window):
        return settings.DEBTORS_TIP_RATE_LIMIT >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= settings.DEBTORS_TIP_RATE_LIMIT


def validate_tip_photo(photo: UploadedFile) -> None:
    """JPEG, PNG or WebP, at most DEBTORS_TIP_PHOTO_MAX_BYTES, and really an image."""
    limit = settings.DEBTORS_TIP_PHOTO_MAX_BYTES
    if photo.size > limit:
        raise ValidationError(
            {
                "photo": ValidationError(
                    _("A photo may be at most %(mb)s MB.") % {"mb": f"{limit / 2**20:g}"},
                    code="too_large",
                )
            }
        )
    try:
        validate_image_upload(photo)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.error_list}) from exc


def normalise_debtor_id(value: str) -> str:
    """An ID number or credit code as given, upper-cased and checked; '' when none was given."""
    value = (value or "").strip().upper()
    if not value:
        return ""
    for normalise in (normalise_resident_id, normalise_credit_code):
        try:
            return normalise(value)
        except ValidationError:
            continue
    raise ValidationError(
        {
            "debtor_id_number": ValidationError(
                _("Enter a valid 18-character resident ID number or unified social credit code."),
                code="id_number",
            )
        }
    )


def _new_reference(day: dt.date) -> str:
    while True:
        code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(6))
        reference = f"JB{day:%y%m%d}-{code}"
        if not Tip.objects.filter(reference=reference).exists():
            return reference


def _respondent_links(court: Court, *, terminated_for_now: bool = False):
    """Respondents of the court's open cases, or (``terminated_for_now``) of its cases closed
    by 终本, whose debtors the court keeps pressing; soonest due first."""
    links = CaseParty.objects.filter(role=CaseParty.Role.RESPONDENT, case__court=court)
    if terminated_for_now:
        links = links.filter(
            case__status=EnforcementCase.Status.CONCLUDED,
            case__closure_mode=EnforcementCase.ClosureMode.TERMINATED_FOR_NOW,
        )
    else:
        links = links.exclude(case__status=EnforcementCase.Status.CONCLUDED)
    return links.select_related("case__judge", "party").order_by("case__due_on", "case__pk")


def _match_among(tip: Tip, links) -> tuple[CaseParty | None, str]:
    if tip.debtor_id_number:
        by_id = links.filter(party__id_number=tip.debtor_id_number).first()
        if by_id is not None:
            return by_id, Tip.MatchBasis.ID_NUMBER
    by_name = links.filter(party__name=tip.debtor_name.strip())
    if tip.debtor_id_number:
        by_name = by_name.filter(party__id_number__isnull=True)
    parties = set(by_name.values_list("party_id", flat=True)[:2])
    if len(parties) == 1:
        return by_name.first(), Tip.MatchBasis.NAME
    return None, ""


def match_tip(tip: Tip) -> tuple[CaseParty | None, str]:
    """The respondent link a tip points to, and on what basis ('' when none or ambiguous).

    An ID number or credit code that matches a respondent of an open case of the tip's court
    wins; otherwise the exact name, only when one party of those cases bears it (a party with
    another ID number on file is never matched by name). Of several open cases of the party, the
    one due soonest. Only when no open case matches are the cases closed by 终本 tried the same
    way: a lead on such a debtor's property is what resumes the case (执恢).
    """
    for terminated in (False, True):
        link, basis = _match_among(tip, _respondent_links(tip.court, terminated_for_now=terminated))
        if link is not None:
            return link, basis
    return None, ""


def tip_check_days(case: EnforcementCase | None) -> int:
    """Days to check a lead: 5 (BRIEF §1), 7 for a case closed by 终本 (the 终本 rule)."""
    if case is not None and case.closure_mode == EnforcementCase.ClosureMode.TERMINATED_FOR_NOW:
        return settings.DEBTORS_TIP_CHECK_DAYS_TERMINATED
    return settings.DEBTORS_TIP_CHECK_DAYS


def _tip_link(tip: Tip) -> str:
    return reverse("debtors:tip-detail", args=[tip.pk])


def _route_to(tip: Tip, link: CaseParty, basis: str, user: User | None) -> None:
    tip.case = link.case
    tip.matched_party = link.party
    tip.judge = link.case.judge
    tip.match_basis = basis
    tip.routed_at = timezone.now()
    tip.routed_by = user
    tip.status = Tip.Status.ROUTED
    tip.check_due_on = timezone.localdate(tip.received_at) + dt.timedelta(
        days=tip_check_days(link.case)
    )
    tip.save()
    message = _(
        "A property lead (%(reference)s) about %(debtor)s in case %(case)s: check it by %(date)s."
    ) % {
        "reference": tip.reference,
        "debtor": tip.debtor_name,
        "case": link.case.number,
        "date": tip.check_due_on.isoformat(),
    }
    notify([tip.judge], kind="tip", message=message, link=_tip_link(tip))


def route_tip(tip: Tip) -> Tip:
    """Match and route a received tip; unmatched, it joins the unrouted queue and chiefs hear."""
    link, basis = match_tip(tip)
    if link is not None:
        _route_to(tip, link, basis, None)
        return tip
    tip.status = Tip.Status.UNROUTABLE
    tip.save()
    message = _(
        "A property lead (%(reference)s) about %(debtor)s matches no open case: assign it by hand."
    ) % {"reference": tip.reference, "debtor": tip.debtor_name}
    notify(
        staff_with_roles(tip.court, Role.BUREAU_CHIEF, Role.SECTION_CHIEF),
        kind="tip",
        message=message,
        link=_tip_link(tip),
    )
    return tip


def _create_tip(
    *,
    court: Court,
    source: str,
    debtor_name: str,
    debtor_id_number: str,
    details: str,
    location: str,
    contact_name: str,
    contact_phone: str,
    photo: UploadedFile | None,
    fingerprint: str = "",
    logged_by: User | None = None,
    received_at: dt.datetime | None = None,
) -> Tip:
    require(bool(debtor_name.strip()), "debtor_name", _("Give the debtor's name."))
    require(bool(details.strip()), "details", _("Describe the property."))
    id_number = normalise_debtor_id(debtor_id_number)
    contact_phone = contact_phone.strip()
    if contact_phone:
        try:
            TIP_PHONE(contact_phone)
        except ValidationError as exc:
            raise ValidationError({"contact_phone": exc.error_list}) from exc
    if photo:
        validate_tip_photo(photo)
    received_at = received_at or timezone.now()
    day = timezone.localdate(received_at)
    tip = Tip(
        court=court,
        reference=_new_reference(day),
        source=source,
        debtor_name=debtor_name.strip(),
        debtor_id_number=id_number,
        details=details.strip(),
        location=location.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone,
        received_at=received_at,
        logged_by=logged_by,
        client_fingerprint=fingerprint,
        check_due_on=day + dt.timedelta(days=tip_check_days(None)),
    )
    if photo:
        tip.photo = photo
    tip.save()
    return route_tip(tip)


@recorded_write
def submit_tip(
    *,
    court: Court,
    debtor_name: str,
    details: str,
    debtor_id_number: str = "",
    location: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    photo: UploadedFile | None = None,
    fingerprint: str = "",
) -> Tip:
    """A member of the public sends a tip from the web form (no account); routed at once.

    ``fingerprint`` is ``tip_fingerprint`` of the sender's address; its history rows name no
    user."""
    return _create_tip(
        court=court,
        source=Tip.Source.WEB,
        debtor_name=debtor_name,
        debtor_id_number=debtor_id_number,
        details=details,
        location=location,
        contact_name=contact_name,
        contact_phone=contact_phone,
        photo=photo,
        fingerprint=fingerprint,
    )


@recorded_write
def log_hotline_tip(
    *,
    user: User,
    debtor_name: str,
    details: str,
    debtor_id_number: str = "",
    location: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    photo: UploadedFile | None = None,
    received_at: dt.datetime | None = None,
) -> Tip:
    """Staff log a call to the 24-hour hotline for their court; routed like a web tip."""
    if user.court is None:
        raise PermissionDenied(_("Your account is not attached to a court."))
    authorise(user, user.court, "debtors.add_tip")
    require(
        received_at is None or received_at <= timezone.now(),
        "received_at",
        _("A call cannot be received in the future."),
    )
    return _create_tip(
        court=user.court,
        source=Tip.Source.HOTLINE,
        debtor_name=debtor_name,
        debtor_id_number=debtor_id_number,
        details=details,
        location=location,
        contact_name=contact_name,
        contact_phone=contact_phone,
        photo=photo,
        logged_by=user,
        received_at=received_at,
    )


def _lock_tip(tip: Tip) -> Tip:
    return (
        Tip.objects.select_for_update(of=("self",)).select_related("court", "case").get(pk=tip.pk)
    )


@recorded_write
def assign_tip(
    *, tip: Tip, case: EnforcementCase, user: User, respondent: CaseParty | None = None
) -> Tip:
    """A chief or the investigation group routes a tip by hand to an open case of the court."""
    tip = _lock_tip(tip)
    require_role(user, *TIP_ASSIGNERS)
    authorise(user, tip.court, "debtors.change_tip")
    require(tip.is_open, "status", _("The tip is already checked."), code="wrong_state")
    require(
        case.court_id == tip.court_id
        and (case.is_open or case.closure_mode == EnforcementCase.ClosureMode.TERMINATED_FOR_NOW),
        "case",
        _("Choose an open case of this court, or one closed by 终本."),
    )
    respondents = list(case.parties.filter(role=CaseParty.Role.RESPONDENT).select_related("party"))
    if respondent is None:
        require(len(respondents) == 1, "respondent", _("Choose the respondent the tip is about."))
        respondent = respondents[0]
    require(
        respondent.pk in {r.pk for r in respondents},
        "respondent",
        _("Choose a respondent of this case."),
    )
    respondent.case = case
    _route_to(tip, respondent, Tip.MatchBasis.MANUAL, user)
    return tip


@recorded_write
def record_tip_outcome(
    *,
    tip: Tip,
    outcome: str,
    note: str,
    user: User,
    asset_classes: Sequence[str] = (),
    finding: Finding | None = None,
    freeze: Freeze | None = None,
) -> Tip:
    """Record what checking the lead showed; the tip is then checked.

    "Property found" must point at the property: a new investigation request for the classes
    named (through ``request_investigation``), or an existing finding or freeze of the case.
    """
    tip = _lock_tip(tip)
    authorise(user, tip.court, "debtors.change_tip")
    require(tip.is_open, "status", _("The tip is already checked."), code="wrong_state")
    require(
        tip.status == Tip.Status.ROUTED,
        "status",
        _("Assign the tip to a case before recording what it showed."),
        code="wrong_state",
    )
    require(outcome in Tip.Outcome.values, "outcome", _("Choose an outcome."))
    require(bool(note.strip()), "note", _("Note what was checked and found."))
    case = tip.case
    if outcome == Tip.Outcome.PROPERTY_FOUND:
        require(
            bool(asset_classes) or finding is not None or freeze is not None,
            "outcome",
            _("Ask for an investigation or link the finding or freeze of the property found."),
            code="link_required",
        )
        respondent = CaseParty.objects.filter(
            case=case, party=tip.matched_party, role=CaseParty.Role.RESPONDENT
        ).first()
        if freeze is not None:
            require(freeze.case_id == case.pk, "freeze", _("Choose a freeze of the tip's case."))
            tip.freeze = freeze
            finding = finding or freeze.finding
        if finding is not None:
            require(
                finding.search.court_id == tip.court_id
                and finding.search.party_id == tip.matched_party_id,
                "finding",
                _("Choose a finding of the debtor the tip is about."),
            )
            tip.finding = finding
        if asset_classes:
            require(respondent is not None, "case", _("The debtor is not a respondent here."))
            tip.investigation_request = request_investigation(
                case=case, respondent=respondent, asset_classes=asset_classes, user=user
            )
    else:
        require(
            not asset_classes and finding is None and freeze is None,
            "outcome",
            _("Only a lead that found property links to an investigation, finding or freeze."),
        )
    tip.outcome = outcome
    tip.outcome_note = note.strip()
    tip.status = Tip.Status.CHECKED
    tip.checked_by = user
    tip.checked_at = timezone.now()
    tip.save()
    return tip


def alert_overdue_tips(*, today: dt.date | None = None) -> int:
    """Daily: tell the judge and the section chiefs of each tip past its check date, once.

    Each tip is locked (skipping one another run holds) and stamped in the same transaction as
    its notes, so a second run or a redelivered task alerts nobody twice.
    """
    today = today or timezone.localdate()
    alerted = 0
    due = Tip.objects.filter(
        status__in=Tip.OPEN_STATUSES, check_due_on__lt=today, overdue_alerted_at__isnull=True
    )
    chiefs: dict[int, list[User]] = {}
    for pk in due.order_by("check_due_on", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            tip = (
                Tip.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, overdue_alerted_at__isnull=True, status__in=Tip.OPEN_STATUSES)
                .select_related("case", "judge")
                .first()
            )
            if tip is None:
                continue
            if tip.court_id not in chiefs:
                chiefs[tip.court_id] = list(staff_with_roles(tip.court_id, Role.SECTION_CHIEF))
            tip.overdue_alerted_at = timezone.now()
            tip.save()
            message = _(
                "The property lead %(reference)s about %(debtor)s was due to be checked by "
                "%(date)s and is still open."
            ) % {
                "reference": tip.reference,
                "debtor": tip.debtor_name,
                "date": tip.check_due_on.isoformat(),
            }
            notify(
                [tip.judge, *chiefs[tip.court_id]],
                kind="tip_overdue",
                message=message,
                link=_tip_link(tip),
            )
            alerted += 1
    return alerted


# --- Re-searches after 终本 and the deletion grounds they and closures show (figures slice) ---

# The network searches the 终本 rule names (BRIEF §1): deposits, vehicles, real estate,
# securities and online payment funds; the re-searches repeat them.
RESEARCH_CLASSES: tuple[str, ...] = (
    AssetClass.BANK_DEPOSIT,
    AssetClass.VEHICLE,
    AssetClass.REAL_ESTATE,
    AssetClass.SECURITIES,
    AssetClass.ONLINE_PAYMENT,
)


@dataclass
class ResearchJobRun:
    opened: int = 0
    missed: int = 0
    completed: int = 0


def _queue_research_request(
    *, case: EnforcementCase, respondent: CaseParty, now: dt.datetime
) -> InvestigationRequest:
    """A re-search request in the investigation group's queue, in the case judge's name.

    Like ``request_investigation`` (recent searches of the party are linked, the member on duty
    takes it), but for a concluded 终本 case, which the law has re-searched (ADR 016).
    """
    return _queue_request(
        case=case,
        respondent=respondent,
        asset_classes=list(RESEARCH_CLASSES),
        requested_by=case.judge,
        now=now,
    )


def _open_research_run(case: EnforcementCase, number: int) -> ResearchRun | None:
    """Open run ``number`` of ``case`` once (earlier numbers not yet opened are recorded as
    missed); ``None`` when it exists already (a second job run, a redelivered task)."""
    run, created = ResearchRun.objects.get_or_create(
        case=case,
        number=number,
        defaults={"due_on": rules.research_due_on(case.closed_on, number)},
    )
    if not created:
        return None
    now = timezone.now()
    assignees: list[User] = []
    respondents = case.parties.filter(role=CaseParty.Role.RESPONDENT).order_by("pk")
    for respondent in respondents:
        request = _queue_research_request(case=case, respondent=respondent, now=now)
        run.requests.add(request)
        if request.assigned_to is not None:
            assignees.append(request.assigned_to)
    if assignees:
        notify(
            assignees,
            kind="debtors.research_due",
            message=_(
                "Re-search %(number)d of %(runs)d after termination of case %(case)s is in your "
                "queue."
            )
            % {"number": number, "runs": rules.RESEARCH_RUNS, "case": case.number},
        )
    return run


def _finding_key(finding: Finding) -> tuple[str, str, str]:
    return (finding.asset_class, finding.institution, finding.identifier)


def _complete_research_run(run: ResearchRun) -> bool:
    """Record what a run found once its requests are done; tell the judge of new property."""
    requests = list(run.requests.all())
    if any(r.status != InvestigationRequest.Status.DONE for r in requests):
        return False
    searches = list(Search.objects.filter(requests__in=requests).distinct())
    findings = list(Finding.objects.filter(search__in=searches).select_related("search"))
    case = run.case
    opened = timezone.localdate(run.opened_at)
    if searches:
        first = min(s.performed_at for s in searches)
        last = timezone.localdate(max(s.performed_at for s in searches))
        earlier = {
            _finding_key(f)
            for f in Finding.objects.filter(
                search__court=case.court,
                search__party_id__in={s.party_id for s in searches},
                search__performed_at__lt=first,
            ).exclude(search__in=searches)
        }
    else:
        last, earlier = opened, set()
    new = [f for f in findings if _finding_key(f) not in earlier]
    run.status = ResearchRun.Status.DONE
    run.completed_on = max(last, opened)
    run.property_found = sum(1 for f in findings if f.value > 0)
    run.new_findings = len(new)
    run.save()
    if new:
        notify(
            [case.judge],
            kind="debtors.research_findings",
            message=_(
                "Re-search %(number)d after termination of case %(case)s found %(count)d new "
                "piece(s) of property: %(list)s."
            )
            % {
                "number": run.number,
                "case": case.number,
                "count": len(new),
                "list": "; ".join(f"{f.institution} {f.identifier}" for f in new[:5]),
            },
            link=reverse("enforcement:case-detail", args=[case.pk]),
        )
    return True


def run_researches(*, today: dt.date | None = None) -> ResearchJobRun:
    """Daily: finish re-searches the group has done, and open those that fell due.

    Each run is keyed by case and number (a unique constraint), so a second run of the job, a
    redelivered task or a concurrent one opens and searches nothing twice. The schedule of a
    case stops when it is resumed (执恢), performed in full, or after the tenth run (5 years).
    """
    today = today or timezone.localdate()
    job = ResearchJobRun()
    for run_pk in ResearchRun.objects.filter(status=ResearchRun.Status.QUEUED).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            run = (
                ResearchRun.objects.select_for_update(skip_locked=True)
                .select_related("case__court", "case__judge")
                .filter(pk=run_pk, status=ResearchRun.Status.QUEUED)
                .first()
            )
            if run is not None and _complete_research_run(run):
                job.completed += 1
    from debtors.selectors import research_candidates, research_stop_reason

    for case in research_candidates(today):
        if research_stop_reason(case, today):
            continue
        due = rules.research_runs_due(case.closed_on, today)
        done = max(case.research_runs.values_list("number", flat=True), default=0)
        if due <= done:
            continue
        with transaction.atomic():
            if _open_research_run(case, due) is None:
                continue
            job.opened += 1
            for number in range(done + 1, due):
                _run, created = ResearchRun.objects.get_or_create(
                    case=case,
                    number=number,
                    defaults={
                        "due_on": rules.research_due_on(case.closed_on, number),
                        "status": ResearchRun.Status.MISSED,
                    },
                )
                job.missed += created
    return job


_CLOSURE_DELETION_GROUNDS: dict[str, rules.DeletionGround] = {
    EnforcementCase.ClosureMode.TERMINATED: rules.DeletionGround.TERMINATED,
    EnforcementCase.ClosureMode.NOT_ENFORCED: rules.DeletionGround.NOT_ENFORCED,
    EnforcementCase.ClosureMode.REJECTED: rules.DeletionGround.NO_BASIS,
    EnforcementCase.ClosureMode.WITHDRAWN: rules.DeletionGround.NO_BASIS,
}


def _performed_in_resumption(case: EnforcementCase) -> dt.date | None:
    """The day a resumed case (执恢, at any depth) of ``case`` was closed as fully performed."""
    if case.is_open:  # only a concluded case is resumed
        return None
    frontier = [case.pk]
    for _depth in range(10):
        children = list(EnforcementCase.objects.filter(resumed_from_id__in=frontier))
        for child in children:
            if child.closure_mode == EnforcementCase.ClosureMode.PERFORMED and child.closed_on:
                return child.closed_on
        frontier = [child.pk for child in children]
        if not frontier:
            break
    return None


def nothing_found_after_termination_on(entry: BlacklistEntry) -> dt.date | None:
    """Art. 10(4): the day the second re-search after 终本 found no property of the entry's
    respondent, when no property of theirs was found since the closure by any search."""
    case = entry.case
    if case.closure_mode != EnforcementCase.ClosureMode.TERMINATED_FOR_NOW or not case.closed_on:
        return None
    party_id = entry.respondent.party_id
    lead_given = Finding.objects.filter(
        search__court_id=case.court_id,
        search__party_id=party_id,
        search__performed_at__date__gt=case.closed_on,
        value__gt=0,
    ).exists()
    empty = 0
    runs = ResearchRun.objects.filter(case=case, status=ResearchRun.Status.DONE).order_by(
        "completed_on", "number"
    )
    for run in runs:
        searched = Search.objects.filter(requests__research_runs=run, party_id=party_id)
        if not searched.exists():
            continue
        if not Finding.objects.filter(search__in=searched, value__gt=0).exists():
            empty += 1
            if rules.nothing_found_after_termination(empty, lead_given):
                return run.completed_on
    return None


def more_deletion_grounds(
    entry: BlacklistEntry, already: set[rules.DeletionGround]
) -> list[tuple[rules.DeletionGround, dt.date]]:
    """Deletion grounds the records show beyond full payment and expiry: the case closed as
    terminated, not enforced, rejected or withdrawn; performed in a resumed case; and, after
    终本, two re-searches that found nothing (the daily deletion job asks this)."""
    case = entry.case
    found: list[tuple[rules.DeletionGround, dt.date]] = []
    ground = _CLOSURE_DELETION_GROUNDS.get(case.closure_mode)
    if ground is not None and case.closed_on and not case.is_open:
        found.append((ground, case.closed_on))
    if rules.DeletionGround.PERFORMED not in already:
        performed_on = _performed_in_resumption(case)
        if performed_on is not None:
            found.append((rules.DeletionGround.PERFORMED, performed_on))
    nothing_on = nothing_found_after_termination_on(entry)
    if nothing_on is not None:
        found.append((rules.DeletionGround.NOTHING_FOUND_AFTER_TERMINATION, nothing_on))
    return found


# --- Public search (公开查询) ------------------------------------------------------------------


def sync_public_listing(*, entry: BlacklistEntry) -> None:
    """Keep the public search's read model in step with one entry (ADR 013).

    A published entry has exactly one ``PublicListing`` row with its party's normalised name and
    identity number; any other state has none. Called (through ``debtors.signals``) in the
    transaction of every save of an entry, whichever service or door saved it, so the public
    never sees a deleted or corrected entry, not even for a moment after the commit.
    """
    from debtors.selectors import public_key

    with transaction.atomic():
        if entry.status != BlacklistEntry.Status.PUBLISHED:
            PublicListing.objects.filter(entry_id=entry.pk).delete()
            return
        party = Party.objects.only("name", "id_number").get(pk=entry.respondent.party_id)
        PublicListing.objects.update_or_create(
            entry_id=entry.pk,
            defaults={
                "name_key": public_key(party.name),
                "id_key": public_key(party.id_number),
                "published_at": entry.published_at or timezone.now(),
            },
        )


def sync_public_party(*, party: Party) -> None:
    """A party's name or identity number changed: its published entries are found by the new."""
    from debtors.selectors import public_key

    PublicListing.objects.filter(entry__respondent__party_id=party.pk).update(
        name_key=public_key(party.name), id_key=public_key(party.id_number)
    )

"""Every write of property investigation and control (财产查控), whatever door it came through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
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
    AssetClass,
    BlacklistEntry,
    BlacklistExtension,
    CorrectionRequest,
    Deduction,
    DeletionTask,
    Finding,
    Freeze,
    FreezeRenewal,
    InvestigationRequest,
    InvestigatorRotation,
    PublicListing,
    RenewalReminder,
    RestrictionExemption,
    RestrictionOrder,
    RotationMember,
    Search,
    legal_end,
)
from enforcement import services as enforcement_services
from enforcement.models import CaseParty, EnforcementCase, Party

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
    force_reason = force_reason.strip()
    now = timezone.now()
    request = InvestigationRequest.objects.create(
        case=case,
        respondent=respondent,
        asset_classes=classes,
        requested_by=user,
        requested_at=now,
        force_reason=force_reason,
    )
    if not force_reason:
        reused = [
            s
            for c in classes
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

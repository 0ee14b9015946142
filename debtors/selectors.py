"""Reads of property investigation and control that views, API and tasks share."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from courtexec.models import Court, User
from courtexec.visibility import restrict
from debtors import rules
from debtors.models import (
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
    RestrictionExemption,
    RestrictionOrder,
    RotationMember,
    Search,
    Tip,
)
from enforcement.models import EnforcementCase, Party


def expiring(*, court: Court | None = None, within_days: int = 30) -> QuerySet[Freeze]:
    """Live freezes whose legal end falls within ``within_days`` from today (soonest first)."""
    today = timezone.localdate()
    queryset = Freeze.objects.filter(
        released_on__isnull=True,
        to_date__gte=today,
        to_date__lte=today + dt.timedelta(days=within_days),
    )
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.select_related("case", "finding").order_by("to_date", "pk")


def expired(*, court: Court | None = None) -> QuerySet[Freeze]:
    """Freezes past their end without release or renewal: the property is no longer held."""
    queryset = Freeze.objects.filter(released_on__isnull=True, to_date__lt=timezone.localdate())
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.order_by("to_date", "pk")


def investigation_queue(*, user: User) -> QuerySet[InvestigationRequest]:
    """Open requests of the user's court: those assigned to the user first, then the rest."""
    return (
        InvestigationRequest.objects.filter(case__court_id=user.court_id)
        .exclude(status=InvestigationRequest.Status.DONE)
        .select_related("case", "respondent__party", "assigned_to")
        .order_by("requested_at", "pk")
    )


def overdue_deletion_tasks(
    *, court: Court | None = None, today: dt.date | None = None
) -> QuerySet[DeletionTask]:
    """Deletion tasks past their due date whose entry is still not deleted (oldest first)."""
    today = today or timezone.localdate()
    queryset = DeletionTask.objects.filter(due_on__lt=today).exclude(
        entry__status=BlacklistEntry.Status.DELETED
    )
    if court is not None:
        queryset = queryset.filter(entry__case__court=court)
    return queryset.select_related("entry__case", "entry__respondent__party").order_by("due_on")


def published_entries(*, court: Court | None = None) -> QuerySet[BlacklistEntry]:
    """Entries on the public list now."""
    queryset = BlacklistEntry.objects.filter(status=BlacklistEntry.Status.PUBLISHED)
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.select_related("case", "respondent__party").order_by("-published_at")


def restrictions_in_force(*, court: Court | None = None) -> QuerySet[RestrictionOrder]:
    queryset = RestrictionOrder.objects.filter(lifted_on__isnull=True)
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.select_related("case", "respondent__party").order_by("-issued_on")


# --- Exposure (360°曝光) and the big screen ---------------------------------------------------


def obligation_text(case) -> str:
    """What the instrument obliges, as the public list says it (生效法律文书确定的义务)."""
    return _("Pay %(amount)s yuan (%(instrument)s)") % {
        "amount": f"{case.amount_to_enforce:,.2f}",
        "instrument": case.instrument_number,
    }


def performance_text(case) -> str:
    """How much is performed (被执行人的履行情况)."""
    if case.amount_performed <= 0:
        return _("Not performed at all")
    return _("Partly performed: %(performed)s yuan paid, %(outstanding)s yuan outstanding") % {
        "performed": f"{case.amount_performed:,.2f}",
        "outstanding": f"{case.outstanding:,.2f}",
    }


def exposures(*, user: User, open_only: bool = False) -> QuerySet[ExposureRecord]:
    """Exposure records the user may see (newest first)."""
    queryset = restrict(ExposureRecord.objects.all(), user)
    if open_only:
        queryset = queryset.filter(withdrawn_on__isnull=True)
    return queryset.select_related(
        "entry__case", "entry__respondent__party", "recorded_by"
    ).order_by("-published_on", "-pk")


def published_entry_for_notice(*, user: User, pk: int) -> BlacklistEntry:
    """A published entry the user may see, for its printable community notice (else 404)."""
    queryset = restrict(BlacklistEntry.objects.all(), user).filter(
        status=BlacklistEntry.Status.PUBLISHED
    )
    return get_object_or_404(queryset.select_related("case__court", "respondent__party"), pk=pk)


def public_row(entry: BlacklistEntry) -> dict[str, str]:
    """What may be shown of a published entry in public (Art. 6): never a full ID number or a
    birth date; an organisation shows its credit code and legal representative."""
    party = entry.respondent.party
    person = party.kind == Party.Kind.PERSON
    return {
        "kind": party.kind,
        "name": party.name,
        "id_number": rules.mask_id_number(party.id_number or "")
        if person
        else party.id_number or "",
        "legal_representative": "" if person else party.legal_representative,
        "case_number": entry.case.number,
        "court": entry.case.court.name,
        "grounds": "; ".join(str(rules.Ground(g).label) for g in entry.grounds),
        "obligation": obligation_text(entry.case),
        "performance": performance_text(entry.case),
        "published_on": timezone.localdate(entry.published_at).isoformat(),
    }


def big_screen_rows(*, court_code: str = "") -> list[dict[str, str]]:
    """The published entries for the big screen (all courts, or the court with this code)."""
    queryset = BlacklistEntry.objects.filter(status=BlacklistEntry.Status.PUBLISHED)
    if court_code:
        queryset = queryset.filter(case__court__code=court_code)
    queryset = queryset.select_related("case__court", "respondent__party").order_by(
        "-published_at", "-pk"
    )
    return [public_row(entry) for entry in queryset[: settings.DEBTORS_BIG_SCREEN_MAX]]


# --- Tips (举报线索) ------------------------------------------------------------------------------


def tip_courts() -> QuerySet[Court]:
    """The courts a member of the public may send a tip to: this deployment's basic courts,
    the default (the first by code) first; every court when there is no basic court."""
    basic = Court.objects.filter(level=Court.Level.BASIC).order_by("code")
    return basic if basic.exists() else Court.objects.order_by("code")


def visible_tips(user: User) -> QuerySet[Tip]:
    return restrict(Tip.objects.all(), user).select_related(
        "court", "case", "judge", "matched_party", "logged_by", "checked_by"
    )


def overdue_tips(queryset: QuerySet[Tip], today: dt.date | None = None) -> QuerySet[Tip]:
    """Tips not yet checked whose 5-day check date has passed."""
    today = today or timezone.localdate()
    return queryset.filter(status__in=Tip.OPEN_STATUSES, check_due_on__lt=today)


def open_tip_counts(user: User) -> tuple[int, int]:
    """How many visible tips await their check, and how many of those are overdue."""
    open_tips = visible_tips(user).filter(status__in=Tip.OPEN_STATUSES)
    return open_tips.count(), overdue_tips(open_tips).count()


def tip_board(user: User, data: dict | None = None, request=None) -> QuerySet[Tip]:
    """The tips board: the visible tips, filtered like the API (see ``TipFilterSet``)."""
    from debtors.tips.filtersets import TipFilterSet

    return TipFilterSet(data or {}, queryset=visible_tips(user), request=request).qs


# --- Staff screens (case tabs and boards) ---------------------------------------------------


def case_has_expired_freeze(case: EnforcementCase) -> bool:
    """Whether a freeze of the case passed its end unreleased and unrenewed (flagged red)."""
    return Freeze.objects.filter(
        case=case, released_on__isnull=True, to_date__lt=timezone.localdate()
    ).exists()


def case_investigation_requests(case: EnforcementCase) -> list[InvestigationRequest]:
    """The case's requests, newest first, with their searches (reused or new) and who did what."""
    searches = Search.objects.select_related("performed_by").order_by("asset_class", "pk")
    return list(
        case.investigation_requests.select_related(
            "respondent__party", "requested_by", "assigned_to"
        )
        .prefetch_related(Prefetch("searches", queryset=searches))
        .order_by("-requested_at", "-pk")
    )


def case_findings(case: EnforcementCase) -> list[Finding]:
    """Property the case's searches found (a reused search's findings too), by class."""
    return list(
        Finding.objects.filter(search__requests__case=case)
        .select_related("search__party")
        .distinct()
        .order_by("asset_class", "pk")
    )


def case_freezes(case: EnforcementCase) -> list[Freeze]:
    """The case's freezes and seizures with their renewals and deductions (soonest end first)."""
    return list(
        case.freezes.select_related("finding", "ordered_by", "respondent__party")
        .prefetch_related(
            Prefetch(
                "renewals",
                queryset=FreezeRenewal.objects.select_related("renewed_by").order_by("renewed_at"),
            ),
            Prefetch(
                "finding__deductions",
                queryset=Deduction.objects.filter(case=case).order_by("deducted_at", "pk"),
            ),
        )
        .order_by("released_on", "to_date", "pk")
    )


def case_listings(case: EnforcementCase) -> list[BlacklistEntry]:
    """The case's list entries, newest first, with extensions, deletion tasks and corrections."""
    return list(
        BlacklistEntry.objects.filter(case=case)
        .select_related("respondent__party", "proposed_by", "approved_by")
        .prefetch_related(
            Prefetch(
                "extensions",
                queryset=BlacklistExtension.objects.select_related("approved_by").order_by("pk"),
            ),
            Prefetch("deletion_tasks", queryset=DeletionTask.objects.order_by("due_on", "pk")),
            Prefetch(
                "correction_requests", queryset=CorrectionRequest.objects.order_by("received_on")
            ),
        )
        .order_by("-created_at", "-pk")
    )


def case_restrictions(case: EnforcementCase) -> list[RestrictionOrder]:
    """The case's consumption-restriction orders, those in force first, with exemptions."""
    return list(
        RestrictionOrder.objects.filter(case=case)
        .select_related("respondent__party", "issued_by", "entry")
        .prefetch_related(
            Prefetch(
                "exemptions",
                queryset=RestrictionExemption.objects.select_related("decided_by").order_by("pk"),
            )
        )
        .order_by(F("lifted_on").desc(nulls_first=True), "-issued_on", "-pk")
    )


def restriction_order(user: User, pk: int) -> RestrictionOrder:
    """One visible order with what its printable form shows."""
    return restrict(
        RestrictionOrder.objects.select_related(
            "case__court", "case__judge", "respondent__party", "entry", "issued_by"
        ),
        user,
    ).get(pk=pk)


def queue_board(user: User) -> QuerySet[InvestigationRequest]:
    """Open requests of every visible court, oldest first (the investigation group's queue)."""
    return (
        restrict(InvestigationRequest.objects.all(), user)
        .exclude(status=InvestigationRequest.Status.DONE)
        .select_related("case", "respondent__party", "assigned_to", "requested_by")
        .order_by("requested_at", "pk")
    )


def renewal_horizon_days() -> int:
    """How far ahead the expiring board looks: the longest renewal lead time."""
    return max(settings.DEBTORS_RENEWAL_LEAD_DAYS)


def expiring_board(
    user: User,
    *,
    within_days: int | None = None,
    asset_class: str = "",
    kind: str = "",
    expired_only: bool = False,
) -> QuerySet[Freeze]:
    """Live freezes ending within the lead time, and expired ones (unreleased), soonest first."""
    today = timezone.localdate()
    horizon = today + dt.timedelta(
        days=renewal_horizon_days() if within_days is None else within_days
    )
    queryset = restrict(Freeze.objects.all(), user).filter(released_on__isnull=True)
    if expired_only:
        queryset = queryset.filter(to_date__lt=today)
    else:
        queryset = queryset.filter(to_date__lte=horizon)
    if asset_class:
        queryset = queryset.filter(finding__asset_class=asset_class)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related("case", "finding", "respondent__party").order_by("to_date", "pk")


def deletion_board(user: User, *, overdue_only: bool = False) -> QuerySet[DeletionTask]:
    """Deletion tasks whose entry is still listed, soonest due first."""
    queryset = restrict(DeletionTask.objects.all(), user).exclude(
        entry__status__in=[BlacklistEntry.Status.DELETED, BlacklistEntry.Status.CORRECTED]
    )
    if overdue_only:
        queryset = queryset.filter(due_on__lt=timezone.localdate())
    return queryset.select_related("entry__case", "entry__respondent__party").order_by(
        "due_on", "pk"
    )


def on_duty_by_court(user: User) -> list[tuple[Court, User | None]]:
    """Who of each visible court's investigation group is on duty today."""
    rotations = restrict(
        InvestigatorRotation.objects.select_related("court"), user
    ).prefetch_related(Prefetch("members", queryset=RotationMember.objects.select_related("user")))
    today = timezone.localdate()
    result = []
    for rotation in rotations.order_by("court__name"):
        members = sorted(rotation.members.all(), key=lambda m: m.position)
        person = None
        if members and today >= rotation.start_date:
            turn = (today - rotation.start_date).days // rotation.period_days
            person = members[turn % len(members)].user
        result.append((rotation.court, person))
    return result

"""Reads of property investigation and control that views, API and tasks share."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Trunc
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    PublicListing,
    ResearchRun,
    RestrictionExemption,
    RestrictionOrder,
    RotationMember,
    Search,
    Tip,
)
from enforcement.deadlines import add_months
from enforcement.models import Campaign, CaseParty, EnforcementCase, Party


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
    return queryset.select_related("case", "respondent__party").order_by("-issued_on", "-pk")


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
    queryset = published_entries().select_related("case__court").order_by("-published_at", "-pk")
    if court_code:
        queryset = queryset.filter(case__court__code=court_code)
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


def awaiting_check(queryset: QuerySet[Tip]) -> QuerySet[Tip]:
    """Tips not yet checked (received, routed or unroutable)."""
    return queryset.filter(status__in=Tip.OPEN_STATUSES)


def open_tip_counts(user: User) -> tuple[int, int]:
    """How many visible tips await their check, and how many of those are overdue."""
    open_tips = awaiting_check(visible_tips(user))
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
    return pending_deletions(restrict(DeletionTask.objects.all(), user), overdue_only=overdue_only)


def pending_deletions(
    tasks: QuerySet[DeletionTask], *, overdue_only: bool = False, today: dt.date | None = None
) -> QuerySet[DeletionTask]:
    """Those of ``tasks`` whose entry is still listed (deleted nor corrected), soonest due
    first, each annotated ``overdue`` (past its due date on ``today``); ``overdue_only``: only
    those."""
    overdue = Q(due_on__lt=today or timezone.localdate())
    queryset = tasks.exclude(
        entry__status__in=[BlacklistEntry.Status.DELETED, BlacklistEntry.Status.CORRECTED]
    ).annotate(overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
    if overdue_only:
        queryset = queryset.filter(overdue)
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


# --- Re-searches after 终本, figures, campaign counts (figures slice) ---------------------------


_RESEARCH_MONTHS = rules.RESEARCH_EVERY_MONTHS * rules.RESEARCH_RUNS


def research_candidates(today: dt.date) -> QuerySet[EnforcementCase]:
    """终本 cases that may have a re-search due by ``today``: closed within the last five years
    (and a month's margin), at least six months ago, never resumed."""
    return (
        EnforcementCase.objects.filter(
            status=EnforcementCase.Status.CONCLUDED,
            closure_mode=EnforcementCase.ClosureMode.TERMINATED_FOR_NOW,
            closed_on__gte=add_months(today, -_RESEARCH_MONTHS - 1),
            closed_on__lte=add_months(today, -rules.RESEARCH_EVERY_MONTHS),
        )
        .exclude(Exists(EnforcementCase.objects.filter(resumed_from=OuterRef("pk"))))
        .select_related("court", "judge")
        .order_by("closed_on", "pk")
    )


RESEARCH_STOPS = {
    "resumed": gettext_lazy("Resumed (执恢): the resumed case carries on."),
    "performed": gettext_lazy("Performed in full."),
    "finished": gettext_lazy("Five years after termination: the re-searches are over."),
}


def research_stop_reason(case: EnforcementCase, today: dt.date | None = None) -> str:
    """Why the re-searches of a 终本 case stopped ('resumed', 'performed', 'finished'), or ''."""
    today = today or timezone.localdate()
    if case.resumptions.exists():
        return "resumed"
    if case.outstanding == 0:
        return "performed"
    if case.closed_on and rules.research_due_on(case.closed_on, rules.RESEARCH_RUNS) < today:
        return "finished"
    return ""


@dataclass(frozen=True)
class ScheduledResearch:
    number: int
    due_on: dt.date
    status: str  # a ResearchRun status, 'upcoming' or 'cancelled'
    status_label: str
    run: ResearchRun | None


@dataclass(frozen=True)
class ResearchSchedule:
    closed_on: dt.date
    runs: list[ScheduledResearch]
    stop_reason: str
    stop_label: str

    @property
    def next_due(self) -> ScheduledResearch | None:
        return next((r for r in self.runs if r.status == "upcoming"), None)


def research_schedule(
    case: EnforcementCase, today: dt.date | None = None
) -> ResearchSchedule | None:
    """The ten re-searches of a 终本 case (done, queued, missed, upcoming or cancelled), for the
    case page; ``None`` for a case not closed 终本."""
    if case.closure_mode != EnforcementCase.ClosureMode.TERMINATED_FOR_NOW or not case.closed_on:
        return None
    today = today or timezone.localdate()
    stop = research_stop_reason(case, today)
    recorded = {run.number: run for run in ResearchRun.objects.filter(case=case)}
    runs = []
    for number in range(1, rules.RESEARCH_RUNS + 1):
        run = recorded.get(number)
        if run is not None:
            status, label = run.status, run.get_status_display()
        elif stop in {"resumed", "performed"}:
            status, label = "cancelled", _("Not needed")
        else:
            status, label = "upcoming", _("Upcoming")
        runs.append(
            ScheduledResearch(
                number, rules.research_due_on(case.closed_on, number), status, label, run
            )
        )
    return ResearchSchedule(case.closed_on, runs, stop, str(RESEARCH_STOPS.get(stop, "")))


def researches_queued(*, court: Court | None = None) -> QuerySet[ResearchRun]:
    """Re-searches waiting for the investigation group (oldest due first)."""
    queryset = ResearchRun.objects.filter(status=ResearchRun.Status.QUEUED)
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.select_related("case").order_by("due_on", "pk")


def campaign_blacklist_entries(campaign: Campaign, cases: QuerySet[EnforcementCase]) -> int:
    """Blacklist entries of a campaign: list entries published in its period for its cases, plus
    listings recorded only as the case's procedural step (a case without any published entry,
    e.g. listed before this system) on a day in the period."""
    start, end = campaign.starts_on, campaign.ends_on
    entries = BlacklistEntry.objects.filter(
        case__in=cases, published_at__date__gte=start, published_at__date__lte=end
    ).count()
    steps_only = (
        cases.filter(blacklisted_on__gte=start, blacklisted_on__lte=end)
        .exclude(
            Exists(BlacklistEntry.objects.filter(case=OuterRef("pk"), published_at__isnull=False))
        )
        .count()
    )
    return entries + steps_only


# The figures page and API: what happened on the list in a period, month by month.

MAX_FIGURE_MONTHS = 60
ENFORCEMENT_TYPES = [EnforcementCase.TypeCode.FIRST, EnforcementCase.TypeCode.RESUMED]


@dataclass(frozen=True)
class PeriodFigures:
    start: dt.date
    end: dt.date
    listings: int
    deletions: int
    corrections: int
    restrictions_issued: int
    restrictions_lifted: int
    past_deadline: int
    listed: int

    @property
    def inclusion_rate(self) -> Decimal | None:
        return inclusion_rate(self.listed, self.past_deadline)


def inclusion_rate(listed: int, past_deadline: int) -> Decimal | None:
    """Listed ÷ past their performance deadline, as a percentage (one decimal); ``None`` when
    nobody's deadline passed."""
    if not past_deadline:
        return None
    return (Decimal(100 * listed) / past_deadline).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Figures:
    total: PeriodFigures
    months: list[PeriodFigures]
    notice_days: int


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    spans, first = [], start.replace(day=1)
    while first <= end:
        following = add_months(first, 1)
        spans.append((max(first, start), min(following - dt.timedelta(days=1), end)))
        first = following
    return spans


def counts_by_month(queryset: QuerySet, field: str) -> dict[dt.date, int]:
    """Counts of ``queryset`` per month of ``field`` (a date, or a time read in local time)."""
    rows = queryset.annotate(month=Trunc(field, "month", output_field=DateField())).values("month")
    return {row["month"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by("month")}


def published_between(
    entries: QuerySet[BlacklistEntry], start: dt.date, end: dt.date
) -> QuerySet[BlacklistEntry]:
    """Listings: entries published on a (local) day from ``start`` to ``end``, whatever became
    of them since."""
    return entries.filter(published_at__date__gte=start, published_at__date__lte=end)


def deleted_between(
    entries: QuerySet[BlacklistEntry], start: dt.date, end: dt.date
) -> QuerySet[BlacklistEntry]:
    """Deletions: entries deleted on a (local) day from ``start`` to ``end``."""
    return entries.filter(
        status=BlacklistEntry.Status.DELETED, deleted_at__date__gte=start, deleted_at__date__lte=end
    )


def performance_deadline(notice_sent_on: dt.date) -> dt.date:
    """The last day to perform: the execution notice's day plus the notice period."""
    return notice_sent_on + dt.timedelta(days=settings.DEBTORS_PERFORMANCE_NOTICE_DAYS)


def past_deadline_respondents(
    user: User, start: dt.date, end: dt.date, today: dt.date | None = None
) -> QuerySet[CaseParty]:
    """Respondents of first or resumed enforcement cases whose performance deadline (the day
    the execution notice was sent plus ``DEBTORS_PERFORMANCE_NOTICE_DAYS``) fell in the period
    and has passed, the case not concluded by then; each annotated ``listed`` when a list entry
    of theirs in that case (or the case it resumes) has been published."""
    return past_deadline_among(restrict(CaseParty.objects.all(), user), start, end, today)


def past_deadline_among(
    links: QuerySet[CaseParty], start: dt.date, end: dt.date, today: dt.date | None = None
) -> QuerySet[CaseParty]:
    """:func:`past_deadline_respondents` of ``links`` (a court-scoped queryset of case parties)."""
    today = today or timezone.localdate()
    lag = dt.timedelta(days=settings.DEBTORS_PERFORMANCE_NOTICE_DAYS)
    last = min(end, today - dt.timedelta(days=1))
    notice = "case__execution_notice_sent_on"
    listed = BlacklistEntry.objects.filter(
        Q(case_id=OuterRef("case_id")) | Q(case_id=OuterRef("case__resumed_from_id")),
        respondent__party_id=OuterRef("party_id"),
        published_at__isnull=False,
    )
    return (
        links.filter(
            role=CaseParty.Role.RESPONDENT,
            case__type_code__in=ENFORCEMENT_TYPES,
            **{f"{notice}__gte": start - lag, f"{notice}__lte": last - lag},
        )
        .filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=F(notice) + lag))
        .annotate(listed=Exists(listed))
    )


def figures(*, user: User, start: dt.date, end: dt.date, today: dt.date | None = None) -> Figures:
    """Listings, deletions, corrections, restrictions issued and lifted, and the inclusion rate,
    in the courts ``user`` sees, for the period and each of its months."""
    entries = restrict(BlacklistEntry.objects.all(), user)
    listings = counts_by_month(published_between(entries, start, end), "published_at")
    deletions = counts_by_month(deleted_between(entries, start, end), "deleted_at")
    corrections = counts_by_month(
        restrict(CorrectionRequest.objects.all(), user).filter(
            corrected_at__date__gte=start, corrected_at__date__lte=end
        ),
        "corrected_at",
    )
    orders = restrict(RestrictionOrder.objects.all(), user)
    issued = counts_by_month(orders.filter(issued_on__gte=start, issued_on__lte=end), "issued_on")
    lifted = counts_by_month(orders.filter(lifted_on__gte=start, lifted_on__lte=end), "lifted_on")
    cohort: dict[dt.date, list[int]] = {}
    rows = past_deadline_respondents(user, start, end, today).values_list(
        "case__execution_notice_sent_on", "listed"
    )
    for sent_on, is_listed in rows:
        counts = cohort.setdefault(performance_deadline(sent_on).replace(day=1), [0, 0])
        counts[0] += 1
        counts[1] += bool(is_listed)
    months = []
    for first, last in _months(start, end):
        key = first.replace(day=1)
        past, listed = cohort.get(key, [0, 0])
        counts = (
            listings.get(key, 0),
            deletions.get(key, 0),
            corrections.get(key, 0),
            issued.get(key, 0),
            lifted.get(key, 0),
        )
        months.append(PeriodFigures(first, last, *counts, past, listed))
    total = PeriodFigures(
        start,
        end,
        *(sum(getattr(m, name) for m in months) for name in _COUNTED),
    )
    return Figures(total, months, settings.DEBTORS_PERFORMANCE_NOTICE_DAYS)


_COUNTED = (
    "listings",
    "deletions",
    "corrections",
    "restrictions_issued",
    "restrictions_lifted",
    "past_deadline",
    "listed",
)


# --- Public search (公开查询) ------------------------------------------------------------------

# A resident ID (18 characters, or the old 15 digits) or a unified social credit code (two
# registration characters, a six-digit area code, ten more): looked up exactly, never by prefix.
_IDENTITY = re.compile(r"\d{15}|\d{17}[\dX]|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
PUBLIC_QUERY_MIN_LENGTH = 2


def public_key(text: str | None) -> str:
    """How names and identity numbers are compared: NFKC (full-width → half-width), no
    whitespace, upper case. The read model stores it; queries are normalised the same way."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def looks_like_identity_number(key: str) -> bool:
    return _IDENTITY.fullmatch(key) is not None


def public_query_key(query: str | None) -> str:
    """The normalised query, or a field error when fewer than two characters are left (or it
    holds a NUL, which PostgreSQL text cannot)."""
    try:
        ProhibitNullCharactersValidator()(query)
    except ValidationError as error:
        raise ValidationError({"q": error}) from None
    key = public_key(query)
    if len(key) < PUBLIC_QUERY_MIN_LENGTH:
        raise ValidationError(
            {
                "q": ValidationError(
                    _("Enter at least %(min)d characters: a name, ID number or credit code.")
                    % {"min": PUBLIC_QUERY_MIN_LENGTH},
                    code="too_short",
                )
            }
        )
    return key


@dataclass(frozen=True)
class PublicResult:
    """One published entry as the public may see it (Art. 6, with the ID number masked)."""

    name: str
    kind: str
    id_number: str
    legal_representative: str | None
    case_number: str
    court: str
    grounds: list[str]
    obligation: str
    performance: str
    published_at: dt.datetime


@dataclass(frozen=True)
class PublicPage:
    count: int
    page: int
    pages: int
    results: list[PublicResult]

    @property
    def capped(self) -> bool:
        """More matches than can be paged to: the page asks for a narrower query."""
        return self.count >= settings.PUBLIC_SEARCH_PAGE_SIZE * settings.PUBLIC_SEARCH_MAX_PAGES


def _performance(to_enforce: Decimal, performed: Decimal) -> str:
    if performed <= 0:
        return _("Not performed")  # 全部未履行
    if performed < to_enforce:
        return _("Partly performed")  # 部分履行
    return _("Fully performed")  # 全部履行


def _public_result(row: dict) -> PublicResult:
    """``row``: the ``PUBLIC_FIELDS`` of one entry (plain values: no model instances are built
    for the public search, which answers many anonymous requests)."""
    from debtors import rules  # the law of the list: masking, grounds

    is_person = row["respondent__party__kind"] == "person"
    identity = row["respondent__party__id_number"] or ""
    to_enforce = row["case__amount_to_enforce"]
    return PublicResult(
        name=row["respondent__party__name"],
        kind=row["respondent__party__kind"],
        id_number=rules.mask_id_number(identity) if is_person else identity,
        legal_representative=None if is_person else row["respondent__party__legal_representative"],
        case_number=row["case__number"],
        court=row["case__court__name"],
        grounds=[str(rules.Ground(g).label) for g in row["grounds"]],
        obligation=_("%(amount)s yuan under %(instrument)s of %(issuer)s")
        % {
            "amount": f"{to_enforce:,.2f}",
            "instrument": row["case__instrument_number"],
            "issuer": row["case__issuing_body"],
        },
        performance=_performance(to_enforce, row["case__amount_performed"]),
        published_at=row["published_at"],
    )


def _public_page_sql() -> str:
    from courtexec.models import Court
    from enforcement.models import CaseParty, EnforcementCase, Party

    tables = {
        "listing": PublicListing._meta.db_table, "entry": BlacklistEntry._meta.db_table,
        "case": EnforcementCase._meta.db_table, "court": Court._meta.db_table,
        "link": CaseParty._meta.db_table, "party": Party._meta.db_table,
    }  # fmt: skip
    # Only table names from the models' metadata and fixed column names go into the text;
    # every value is a bound parameter.
    return (  # noqa: S608
        'SELECT l.entry_id, l.total, e.grounds, e.published_at, c.number AS "case__number",'
        ' c.amount_to_enforce AS "case__amount_to_enforce",'
        ' c.amount_performed AS "case__amount_performed",'
        ' c.instrument_number AS "case__instrument_number",'
        ' c.issuing_body AS "case__issuing_body", ct.name AS "case__court__name",'
        ' p.name AS "respondent__party__name", p.kind AS "respondent__party__kind",'
        ' p.id_number AS "respondent__party__id_number",'
        ' p.legal_representative AS "respondent__party__legal_representative"'
        " FROM (SELECT entry_id, sort_key, count(*) OVER () AS total FROM"
        "        (SELECT entry_id, {{column}} AS sort_key"
        '           FROM "{listing}" WHERE {{condition}} ORDER BY {{column}}, entry_id'
        "          LIMIT %s) reachable"
        "       ORDER BY sort_key, entry_id LIMIT %s OFFSET %s) l"
        ' JOIN "{entry}" e ON e.id = l.entry_id AND e.status = %s'
        ' JOIN "{case}" c ON c.id = e.case_id JOIN "{court}" ct ON ct.id = c.court_id'
        ' JOIN "{link}" cp ON cp.id = e.respondent_id JOIN "{party}" p ON p.id = cp.party_id'
        " ORDER BY l.sort_key, l.entry_id"
    ).format(**tables)


PUBLIC_PAGE_SQL = _public_page_sql()


def public_blacklist_search(*, query: str | None, page: int = 1) -> PublicPage:
    """Published entries matching a name (prefix), a person's ID number or an organisation's
    credit code (exact), ``PUBLIC_SEARCH_PAGE_SIZE`` a page; ``count`` stops at the matches
    that can be paged to (page size × ``PUBLIC_SEARCH_MAX_PAGES``).

    Only the read model is searched: it holds published entries only (deleted and corrected
    ones leave it in the same transaction). Order: by name key then entry for names, by entry
    for identity numbers — both straight from an index, so deterministic and cheap.
    """
    key = public_query_key(query)
    size = settings.PUBLIC_SEARCH_PAGE_SIZE
    if page < 1 or page > settings.PUBLIC_SEARCH_MAX_PAGES:
        raise ValidationError(
            {
                "page": ValidationError(
                    _("Choose a page from 1 to %(max)d; refine the search for more.")
                    % {"max": settings.PUBLIC_SEARCH_MAX_PAGES},
                    code="page",
                )
            }
        )
    if looks_like_identity_number(key):
        column, condition, bounds = "id_key", "id_key = %s AND %s::text IS NOT NULL", [key, key]
        matches = PublicListing.objects.filter(id_key=key)
    else:
        # A prefix as a range: in the "C" collation every string that starts with ``key`` lies
        # in [key, key + U+10FFFF), so the plan needs no constant to use the index.
        column, condition, bounds = "name_key", "name_key >= %s AND name_key < %s", [
            key, key + "\U0010ffff"
        ]  # fmt: skip
        matches = PublicListing.objects.filter(name_key__startswith=key)
    # Only the first ``cap`` matches can be paged to, so no more are counted: ``count`` is the
    # number of matches up to ``cap`` (1,000), and a search never scans more index entries.
    cap = size * settings.PUBLIC_SEARCH_MAX_PAGES
    # One round trip: the page of the read model (an index range scan, in index order) with
    # the number of matches (the window counts the rows before LIMIT), joined to what is
    # shown. Raw SQL because the ORM cannot join to a limited subquery; bound on the server and
    # prepared, so each connection plans the two shapes of the query once.
    sql = PUBLIC_PAGE_SQL.format(column=column, condition=condition)
    params = [*bounds, cap + 1, size, (page - 1) * size, BlacklistEntry.Status.PUBLISHED]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if rows:
        count = min(rows[0]["total"], cap)
    elif page > 1:  # past the last page: no row carries the count
        count = matches[: cap + 1].count()
    else:
        count = 0
    results = [_public_result(row) for row in rows]
    return PublicPage(count=count, page=page, pages=-(-count // size), results=results)

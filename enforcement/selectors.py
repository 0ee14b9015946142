"""Reads of the enforcement app shared by pages, API, exports and jobs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from courtexec.models import User
from courtexec.visibility import restrict
from enforcement import deadlines
from enforcement.models import (
    CaseParty,
    CoerciveMeasure,
    Consultation,
    EnforcementCase,
    FieldAction,
    FieldPhoto,
    MeetingDecision,
    Objection,
    Party,
)

Status = EnforcementCase.Status


def visible_cases(user: User) -> QuerySet[EnforcementCase]:
    return restrict(EnforcementCase.objects.select_related("court", "judge"), user)


def my_cases(user: User) -> QuerySet[EnforcementCase]:
    """ "My cases": those the user judges or assists on."""
    assisted = EnforcementCase.assistants.through.objects.filter(user_id=user.pk).values(
        "enforcementcase_id"
    )
    return visible_cases(user).filter(Q(judge=user) | Q(pk__in=assisted))


def visible_parties(user: User) -> QuerySet[Party]:
    return restrict(Party.objects.all(), user)


def visible_field_photos(user: User) -> QuerySet[FieldPhoto]:
    return restrict(FieldPhoto.objects.all(), user)


def open_cases(queryset: QuerySet[EnforcementCase]) -> QuerySet[EnforcementCase]:
    return queryset.exclude(status=Status.CONCLUDED)


def overdue_cases(queryset: QuerySet[EnforcementCase], today: dt.date) -> QuerySet[EnforcementCase]:
    return open_cases(queryset).filter(due_on__lt=today)


def due_soon_cases(
    queryset: QuerySet[EnforcementCase], today: dt.date
) -> QuerySet[EnforcementCase]:
    return open_cases(queryset).filter(
        due_on__gte=today, due_on__lte=deadlines.due_soon_limit(today)
    )


def cases_needing_consultation(
    queryset: QuerySet[EnforcementCase], today: dt.date
) -> QuerySet[EnforcementCase]:
    """Open cases filed more than the policy period ago with no consultation within it."""
    threshold = deadlines.consultation_threshold(today)
    recent = Consultation.objects.filter(case=OuterRef("pk"), held_on__gt=threshold)
    return open_cases(queryset).filter(filed_on__lt=threshold).exclude(Exists(recent))


def cases_awaiting_meeting(queryset: QuerySet[EnforcementCase]) -> QuerySet[EnforcementCase]:
    """Open cases flagged for the joint meeting (联席会议) that it has not yet decided on: none
    of their agenda items approved or rejected. An item still on the agenda or deferred
    (暂缓, to be discussed again) leaves the case waiting."""
    decided = MeetingDecision.objects.filter(
        case=OuterRef("pk"),
        decision__in=[MeetingDecision.Decision.APPROVED, MeetingDecision.Decision.REJECTED],
    )
    return open_cases(queryset).exclude(flags=[]).exclude(Exists(decided))


def search_cases(queryset: QuerySet[EnforcementCase], text: str) -> QuerySet[EnforcementCase]:
    """By case number, or by a party's name or identity number."""
    text = text.strip()
    if not text:
        return queryset
    parties = CaseParty.objects.filter(
        Q(party__name__icontains=text) | Q(party__id_number__iexact=text.upper()),
        case=OuterRef("pk"),
    )
    return queryset.filter(Q(number__icontains=text) | Exists(parties))


def deadline_badge(case: EnforcementCase, today: dt.date) -> str:
    """'overdue', 'due_soon' or '' — the list badge, computed in one place."""
    if not case.is_open:
        return ""
    if case.due_on < today:
        return "overdue"
    if case.due_on <= deadlines.due_soon_limit(today):
        return "due_soon"
    return ""


def case_detail(user: User, pk: int) -> EnforcementCase:
    """One visible case with what its detail page shows, in a fixed number of queries."""
    return (
        visible_cases(user)
        .prefetch_related(
            "assistants",
            Prefetch("parties", queryset=CaseParty.objects.select_related("party")),
        )
        .get(pk=pk)
    )


def overdue_objections(queryset: QuerySet[Objection], today: dt.date) -> QuerySet[Objection]:
    return queryset.filter(ruling=Objection.Ruling.PENDING, review_due_on__lt=today)


def objection_overdue(objection: Objection, today: dt.date) -> bool:
    """One objection: still under review past its 15-day deadline (as ``overdue_objections``)."""
    return objection.ruling == Objection.Ruling.PENDING and objection.review_due_on < today


# --- Campaign figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignFigures:
    cases_concluded: int
    detentions: int
    blacklist_entries: int
    police_transfers: int


# Apps built on enforcement count a campaign figure from their own records (debtors: blacklist
# entries) by registering a counter ``(campaign, cases) -> int`` in their AppConfig.ready;
# enforcement never imports them. Without one, the figure comes from the case's steps.
CampaignCounter = Callable[[Any, QuerySet[EnforcementCase]], int]
_campaign_counters: dict[str, CampaignCounter] = {}


def register_campaign_counter(figure: str, counter: CampaignCounter) -> None:
    _campaign_counters[figure] = counter


def campaign_cases(campaign) -> QuerySet[EnforcementCase]:
    """The cases a campaign targets: its court's cases of its categories."""
    return EnforcementCase.objects.filter(
        court_id=campaign.court_id, category__in=campaign.categories
    )


def campaign_figures(campaign) -> CampaignFigures:
    """The seed's four figures for a campaign, counted from the records (never typed in)."""
    cases = campaign_cases(campaign)
    figures = _campaign_figures(campaign, cases)
    counted = {figure: count(campaign, cases) for figure, count in _campaign_counters.items()}
    return replace(figures, **counted) if counted else figures


def _campaign_figures(campaign, cases: QuerySet[EnforcementCase]) -> CampaignFigures:
    period = {"gte": campaign.starts_on, "lte": campaign.ends_on}
    measures = CoerciveMeasure.objects.filter(
        case__in=cases, decided_on__gte=period["gte"], decided_on__lte=period["lte"]
    )
    return CampaignFigures(
        cases_concluded=cases.filter(
            status=Status.CONCLUDED, closed_on__gte=period["gte"], closed_on__lte=period["lte"]
        ).count(),
        # A detention counts once the president has approved it (it was carried out).
        detentions=measures.filter(
            kind=CoerciveMeasure.Kind.DETENTION, approved_at__isnull=False
        ).count(),
        blacklist_entries=cases.filter(
            blacklisted_on__gte=period["gte"], blacklisted_on__lte=period["lte"]
        ).count(),
        police_transfers=measures.filter(kind=CoerciveMeasure.Kind.POLICE_TRANSFER).count(),
    )


# --- Case timeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    kind: str
    kind_label: str
    action: str
    summary: str
    user: str


TIMELINE_KINDS = {
    "case": _("Case"),
    "party": _("Parties"),
    "extension": _("Deadlines"),
    "consultation": _("Consultations"),
    "meeting": _("Joint meetings"),
    "objection": _("Objections"),
    "measure": _("Coercive measures"),
    "field": _("Field work"),
    "travel": _("Travel"),
    "disposal": _("Disposals"),
    "message": _("Messages"),  # 联络站消息: part of the record, from the liaison app
}
_ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _history_events(kind: str, rows, describe) -> list[TimelineEvent]:
    events = []
    previous_by_record: dict[int, object] = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        row.previous_in_timeline = previous_by_record.get(row.id)
        previous_by_record[row.id] = row
        events.append(
            TimelineEvent(
                at=row.history_date,
                kind=kind,
                kind_label=str(TIMELINE_KINDS[kind]),
                action=str(_ACTIONS.get(row.history_type, row.history_type)),
                summary=describe(row),
                user=str(row.history_user) if row.history_user_id else "",
            )
        )
    return events


def _changed_fields(row) -> str:
    """The fields a history row changed, from the previous row already in hand (no query)."""
    previous = row.previous_in_timeline
    if previous is None:
        return ""
    opts = row.instance._meta
    # Tracked many-to-many fields (assistants) would cost a query per row; leave them out.
    delta = row.diff_against(previous, excluded_fields=[f.name for f in opts.many_to_many])
    return ", ".join(str(opts.get_field(c.field).verbose_name) for c in delta.changes)


def case_timeline(case: EnforcementCase, kinds: set[str] | None = None) -> list[TimelineEvent]:
    """Every change to the case and its related records, newest first, with who and when."""
    from enforcement.models import AssetDisposal, DeadlineExtension, TravelRequest

    def case_summary(row) -> str:
        changed = _changed_fields(row)
        reason = f" — {row.history_change_reason}" if row.history_change_reason else ""
        return (
            f"{row.get_status_display()}: {changed}" if changed else row.get_status_display()
        ) + reason

    sources = {
        "case": (EnforcementCase.history.filter(id=case.pk), case_summary),
        "party": (
            CaseParty.history.filter(case_id=case.pk).select_related("party"),
            lambda r: f"{r.get_role_display()} {r.party}",
        ),
        "extension": (
            DeadlineExtension.history.filter(case_id=case.pk),
            lambda r: f"+{r.months} · {r.get_status_display()} · {r.reason}",
        ),
        "consultation": (
            Consultation.history.filter(case_id=case.pk),
            lambda r: f"{r.held_on}: {r.findings[:80]}",
        ),
        "meeting": (
            MeetingDecision.history.filter(case_id=case.pk),
            lambda r: f"{r.matter} · {r.get_decision_display()}",
        ),
        "objection": (
            Objection.history.filter(case_id=case.pk),
            lambda r: f"{r.objector_name} · {r.get_ruling_display()}",
        ),
        "measure": (
            CoerciveMeasure.history.filter(case_id=case.pk),
            lambda r: f"{r.get_kind_display()} · {r.reason[:80]}",
        ),
        "field": (
            FieldAction.history.filter(case_id=case.pk),
            lambda r: f"{r.get_kind_display()} · {r.place}",
        ),
        "travel": (
            TravelRequest.history.filter(case_id=case.pk),
            lambda r: f"{r.destination} · {r.get_status_display()}",
        ),
        "disposal": (
            AssetDisposal.history.filter(case_id=case.pk),
            lambda r: f"{r.description} · {r.amount:,.2f}",
        ),
    }
    wanted = kinds or set(TIMELINE_KINDS)
    events = list(
        chain.from_iterable(
            _history_events(kind, rows.select_related("history_user"), describe)
            for kind, (rows, describe) in sources.items()
            if kind in wanted
        )
    )
    if "message" in wanted:  # messages are never edited: the rows are their own record
        from enforcement.liaison.selectors import message_timeline_events

        events.extend(message_timeline_events(case))
    return sorted(events, key=lambda event: event.at, reverse=True)


@dataclass(frozen=True)
class CaseFigures:
    open: int
    overdue: int
    due_soon: int
    needs_consultation: int
    filed_this_year: int
    concluded_this_year: int


def case_figures(user: User, today: dt.date) -> CaseFigures:
    """The dashboard's case tiles for the courts ``user`` may see, in two queries."""
    from django.db.models import Count

    cases = visible_cases(user)
    year_start = today.replace(month=1, day=1)
    soon = deadlines.due_soon_limit(today)
    open_filter = ~Q(status=Status.CONCLUDED)
    counts = cases.aggregate(
        open=Count("pk", filter=open_filter),
        overdue=Count("pk", filter=open_filter & Q(due_on__lt=today)),
        due_soon=Count("pk", filter=open_filter & Q(due_on__gte=today, due_on__lte=soon)),
        filed_this_year=Count("pk", filter=Q(filed_on__gte=year_start)),
        concluded_this_year=Count(
            "pk", filter=Q(status=Status.CONCLUDED, closed_on__gte=year_start)
        ),
    )
    return CaseFigures(
        needs_consultation=cases_needing_consultation(cases, today).count(), **counts
    )

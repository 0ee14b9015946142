"""The command centre's debtors tiles (失信名单, 限制消费) and tips tiles (举报线索), and the
list's trend: each reads ``debtors.selectors``, so a figure here is the debtors section's."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courtexec.command.tiles import (
    Chart,
    ChartData,
    Column,
    Group,
    Scope,
    Series,
    Tile,
    Unit,
    local_day,
    month_labels,
    register,
    yes_no,
    zero_filled,
)
from debtors import selectors
from debtors.models import BlacklistEntry, DeletionTask, RestrictionOrder, Tip
from debtors.views import tab_url
from enforcement.models import CaseParty

VIEW_ENTRIES = "debtors.view_blacklistentry"  # the list's figures page and the case's tab
VIEW_DELETIONS = "debtors.view_deletiontask"  # the deletions board
VIEW_RESTRICTIONS = "debtors.view_restrictionorder"  # the case's restriction tab
VIEW_TIPS = "debtors.view_tip"  # the tips board


# --- The list (失信名单) -------------------------------------------------------------------------


def _case_column(case_of, tab: str) -> Column:
    return Column(
        _("Case number"),
        lambda row: case_of(row).number,
        link=lambda row: tab_url(case_of(row), tab),
    )


ENTRY_COLUMNS = (
    _case_column(lambda entry: entry.case, "blacklist"),
    Column(_("Court"), lambda entry: entry.case.court.name),
    Column(_("Respondent"), lambda entry: entry.respondent.party.name),
    Column(_("Decision number"), lambda entry: entry.decision_number),
    Column(_("Published on"), lambda entry: local_day(entry.published_at)),
    Column(_("Status"), lambda entry: entry.get_status_display()),
)


def entries(scope: Scope) -> QuerySet[BlacklistEntry]:
    return scope.restrict(BlacklistEntry.objects.select_related("case__court", "respondent__party"))


def listings(scope: Scope) -> QuerySet[BlacklistEntry]:
    return selectors.published_between(entries(scope), scope.start, scope.end).order_by(
        "published_at", "pk"
    )


DELETION_COLUMNS = (
    _case_column(lambda task: task.entry.case, "blacklist"),
    Column(_("Court"), lambda task: task.entry.case.court.name),
    Column(_("Respondent"), lambda task: task.entry.respondent.party.name),
    Column(_("Ground"), lambda task: task.get_ground_display()),
    Column(_("Ground arose on"), lambda task: task.arisen_on),
    Column(_("Due on"), lambda task: task.due_on),
    Column(_("Overdue"), lambda task: yes_no(task.overdue)),
)


def deletions_due(scope: Scope) -> QuerySet[DeletionTask]:
    tasks = scope.restrict(DeletionTask.objects.select_related("entry__case__court"))
    return selectors.pending_deletions(tasks, today=scope.today)


PAST_DEADLINE_COLUMNS = (
    _case_column(lambda link: link.case, "blacklist"),
    Column(_("Court"), lambda link: link.case.court.name),
    Column(_("Respondent"), lambda link: link.party.name),
    Column(
        _("Performance deadline"),
        lambda link: selectors.performance_deadline(link.case.execution_notice_sent_on),
    ),
    Column(_("Listed"), lambda link: yes_no(link.listed)),
)


def past_deadline(scope: Scope) -> QuerySet[CaseParty]:
    links = scope.restrict(CaseParty.objects.select_related("case__court", "party"))
    return selectors.past_deadline_among(links, scope.start, scope.end, scope.today).order_by(
        "case__execution_notice_sent_on", "pk"
    )


def inclusion_rate(scope: Scope) -> Decimal | None:
    listed = list(past_deadline(scope).values_list("listed", flat=True))
    return selectors.inclusion_rate(sum(listed), len(listed))


RESTRICTION_COLUMNS = (
    _case_column(lambda order: order.case, "restriction"),
    Column(_("Court"), lambda order: order.case.court.name),
    Column(_("Respondent"), lambda order: order.respondent.party.name),
    Column(_("Issued on"), lambda order: order.issued_on),
    Column(_("With a list entry"), lambda order: yes_no(order.entry_id is not None)),
    Column(_("Lifted on"), lambda order: order.lifted_on),
)


def restrictions(scope: Scope) -> QuerySet[RestrictionOrder]:
    # ``restrictions_in_force()`` without a court is every court's; the scope narrows it.
    return scope.restrict(selectors.restrictions_in_force().select_related("case__court"))


def restrictions_issued(scope: Scope) -> QuerySet[RestrictionOrder]:
    orders = RestrictionOrder.objects.select_related("case__court", "respondent__party")
    return scope.in_period(scope.restrict(orders), "issued_on").order_by("issued_on", "pk")


def trend(scope: Scope) -> ChartData:
    """Listings and deletions per month, whole months up to the period's last day."""
    months = scope.months(at_least=12)
    listed = selectors.published_between(entries(scope), months[0], scope.end)
    deleted = selectors.deleted_between(entries(scope), months[0], scope.end)
    return ChartData(
        month_labels(months),
        [
            Series(
                _("Listings"),
                zero_filled(selectors.counts_by_month(listed, "published_at"), months),
            ),
            Series(
                _("Deletions"),
                zero_filled(selectors.counts_by_month(deleted, "deleted_at"), months),
            ),
        ],
    )


# --- Tips (举报线索) ------------------------------------------------------------------------------

TIP_COLUMNS = (
    Column(
        _("Reference"),
        lambda tip: tip.reference,
        link=lambda tip: reverse("debtors:tip-detail", args=[tip.pk]),
    ),
    Column(_("Court"), lambda tip: tip.court.name),
    Column(_("Received on"), lambda tip: local_day(tip.received_at)),
    Column(_("Debtor"), lambda tip: tip.debtor_name),
    Column(_("Case number"), lambda tip: tip.case.number if tip.case else ""),
    Column(_("Judge"), lambda tip: str(tip.judge) if tip.judge else ""),
    Column(_("Check by"), lambda tip: tip.check_due_on),
    Column(_("Status"), lambda tip: tip.get_status_display()),
)


def tips(scope: Scope) -> QuerySet[Tip]:
    return scope.restrict(Tip.objects.select_related("court", "case", "judge")).order_by(
        "check_due_on", "pk"
    )


def tips_awaiting(scope: Scope) -> QuerySet[Tip]:
    return selectors.awaiting_check(tips(scope))


def tips_overdue(scope: Scope) -> QuerySet[Tip]:
    return selectors.overdue_tips(tips(scope), scope.today)


register(
    Tile(
        "debtors.listings",
        Group.DEBTORS,
        _("Dishonest-debtor listings"),
        listings,
        ENTRY_COLUMNS,
        permission=VIEW_ENTRIES,
        help=_(
            "List entries published in the period (纳入失信名单), whatever became of them since."
        ),
    ),
    Tile(
        "debtors.deletions_due",
        Group.DEBTORS,
        _("Deletions due"),
        deletions_due,
        DELETION_COLUMNS,
        permission=VIEW_DELETIONS,
        snapshot=True,
        alert=True,
        help=_(
            "Deletion tasks whose entry is still listed (应删除未删除), as on the deletions "
            "board; those past their due date are marked overdue."
        ),
    ),
    Tile(
        "debtors.inclusion_rate",
        Group.DEBTORS,
        _("Inclusion rate"),
        past_deadline,
        PAST_DEADLINE_COLUMNS,
        value=inclusion_rate,
        unit=Unit.PERCENT,
        permission=VIEW_ENTRIES,
        help=_(
            "Listed ÷ respondents of first or resumed enforcement cases whose performance "
            "deadline fell in the period and has passed, the case not concluded by then. The "
            "list shows those respondents (the denominator); “Listed” marks the numerator."
        ),
    ),
    Tile(
        "debtors.restrictions",
        Group.DEBTORS,
        _("Restriction orders in force"),
        restrictions,
        RESTRICTION_COLUMNS,
        permission=VIEW_RESTRICTIONS,
        snapshot=True,
        help=_("Consumption-restriction orders not lifted (限制消费令)."),
    ),
    Tile(
        "debtors.restrictions_issued",
        Group.DEBTORS,
        _("Restriction orders issued"),
        restrictions_issued,
        RESTRICTION_COLUMNS,
        permission=VIEW_RESTRICTIONS,
        help=_("Consumption-restriction orders issued in the period."),
    ),
    Tile(
        "tips.awaiting",
        Group.TIPS,
        _("Tips awaiting checks"),
        tips_awaiting,
        TIP_COLUMNS,
        permission=VIEW_TIPS,
        snapshot=True,
        help=_("Tips from the public not yet checked (received, routed or unroutable)."),
    ),
    Tile(
        "tips.overdue",
        Group.TIPS,
        _("Tips overdue"),
        tips_overdue,
        TIP_COLUMNS,
        permission=VIEW_TIPS,
        snapshot=True,
        alert=True,
        help=_("Tips not yet checked whose five-day check date has passed."),
    ),
    Chart(
        "debtors.trend",
        Group.DEBTORS,
        _("Listings and deletions per month"),
        trend,
        permission=VIEW_ENTRIES,
    ),
)

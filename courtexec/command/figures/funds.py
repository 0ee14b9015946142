"""The command centre's funds tiles and charts (执行案款): casefunds' records, its selectors' rules.

Money received counts deposits booked to a case sub-account (suspense money only once it is
assigned to a case); money paid counts payouts out of case sub-accounts the bank confirmed. The
same two rules give the campaign reports' money (``courtexec.command.campaigns``).
"""

from __future__ import annotations

from django.db.models import DateField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casefunds import selectors
from casefunds.models import Account, Deposit, IdleTier, Payout
from courtexec.command.tiles import (
    Chart,
    ChartData,
    Column,
    Group,
    Number,
    Part,
    Scope,
    Series,
    Tile,
    Unit,
    local_day,
    month_labels,
    one_decimal,
    register,
)

VIEW_FUNDS = "casefunds.view_deposit"  # what the case-funds pages ask for


def funds_link(case_id: int) -> str:
    """The case's page opened on its funds tab."""
    return reverse("enforcement:case-detail", args=[case_id]) + "?tab=funds#funds"


def total(queryset: QuerySet, field: str) -> int:
    return queryset.aggregate(total=Coalesce(Sum(field), 0))["total"]


# --- Money received and paid -----------------------------------------------------------------


def received(scope: Scope) -> QuerySet[Deposit]:
    deposits = scope.restrict(Deposit.objects.select_related("court", "case", "channel"))
    return selectors.received_between(deposits, scope.start, scope.end).order_by("booked_at", "pk")


def paid(scope: Scope) -> QuerySet[Payout]:
    payouts = scope.restrict(Payout.objects.select_related("court", "case"))
    return selectors.paid_between(payouts, scope.start, scope.end).order_by("finished_at", "pk")


RECEIVED_COLUMNS = (
    Column(_("Case number"), lambda d: d.case.number, link=lambda d: funds_link(d.case_id)),
    Column(_("Court"), lambda d: d.court.name),
    Column(_("Booked to the case on"), lambda d: local_day(d.booked_at)),
    Column(_("How"), lambda d: d.get_status_display()),
    Column(_("Channel"), lambda d: d.channel.name),
    Column(_("Payer"), lambda d: d.payer_name),
    Column(_("Amount"), lambda d: d.amount, unit=Unit.MONEY),
)

PAYOUT_COLUMNS = (
    Column(_("Case number"), lambda p: p.case.number, link=lambda p: funds_link(p.case_id)),
    Column(_("Court"), lambda p: p.court.name),
    Column(_("Payee"), lambda p: p.payee_name),
    Column(_("Paid on"), lambda p: local_day(p.finished_at)),
    Column(_("Amount"), lambda p: p.amount, unit=Unit.MONEY),
)


# --- Idle money ------------------------------------------------------------------------------


def _tier(field: str) -> Subquery:
    return Subquery(IdleTier.objects.filter(pk=OuterRef("top")).values(field)[:1])


def idle(scope: Scope) -> QuerySet[Account]:
    """Case sub-accounts with an open idle alert now, the highest tier first."""
    accounts = scope.restrict(Account.objects.select_related("court", "case", "payer__party"))
    return (
        selectors.idle_accounts(accounts)
        .annotate(tier_label=_tier("label"), tier_days=_tier("days"))
        .order_by("-tier_days", "-held", "pk")
    )


def idle_parts(scope: Scope) -> list[Part]:
    return [
        Part(row.tier.label, row.accounts, amount=row.amount, colour=row.tier.colour)
        for row in selectors.idle_tiers(scope.restrict(Account.objects.all()))
    ]


IDLE_COLUMNS = (
    Column(_("Case number"), lambda a: a.case.number, link=lambda a: funds_link(a.case_id)),
    Column(_("Court"), lambda a: a.court.name),
    Column(_("Payer"), lambda a: a.payer.party.name),
    Column(_("Holding money since"), lambda a: local_day(a.funded_since)),
    Column(_("Tier"), lambda a: a.tier_label),
    Column(_("Balance"), lambda a: a.held, unit=Unit.MONEY),
)


# --- From arrival to payout ------------------------------------------------------------------


def payout_times(scope: Scope) -> QuerySet[Payout]:
    payouts = scope.in_period(
        scope.restrict(Payout.objects.select_related("court", "case")), "finished_at"
    )
    return selectors.payout_times(payouts).order_by("finished_at", "pk")


def payout_median(scope: Scope) -> Number:
    return one_decimal(selectors.timing(payout_times(scope)).median)


def payout_p90(scope: Scope) -> Number:
    return one_decimal(selectors.timing(payout_times(scope)).p90)


def payout_within_30(scope: Scope) -> Number:
    share = selectors.timing(payout_times(scope)).within_30
    return None if share is None else one_decimal(share * 100)


TIMING_COLUMNS = (
    Column(_("Case number"), lambda p: p.case.number, link=lambda p: funds_link(p.case_id)),
    Column(_("Court"), lambda p: p.court.name),
    Column(_("Payee"), lambda p: p.payee_name),
    Column(_("Money arrived on"), lambda p: local_day(p.arrival)),
    Column(_("Paid on"), lambda p: local_day(p.finished_at)),
    Column(_("Days"), lambda p: one_decimal(p.days), unit=Unit.DAYS),
    Column(_("Amount"), lambda p: p.amount, unit=Unit.MONEY),
)
TIMING_RULE = _(
    "Payouts to applicants paid in the period; days from the money's arrival on the "
    "sub-account to the bank's confirmation (款项到账至发放)."
)


# --- Trend -----------------------------------------------------------------------------------


def trend(scope: Scope) -> ChartData:
    """Money received and paid per month (fen; shown as yuan), one query each."""
    months = scope.months(at_least=12)
    deposits = selectors.received_between(
        scope.restrict(Deposit.objects.all()), months[0], scope.end
    )
    payouts = selectors.paid_between(scope.restrict(Payout.objects.all()), months[0], scope.end)

    def per_month(queryset: QuerySet, field: str) -> list[Number]:
        found = dict(
            queryset.annotate(month=TruncMonth(field, output_field=DateField()))
            .order_by()
            .values("month")
            .annotate(total=Sum("amount"))
            .values_list("month", "total")
        )
        return [found.get(month, 0) for month in months]

    return ChartData(
        labels=month_labels(months),
        series=[
            Series(_("Received"), per_month(deposits, "booked_at"), Unit.MONEY),
            Series(_("Paid out"), per_month(payouts, "finished_at"), Unit.MONEY),
        ],
    )


register(
    Tile(
        "funds.received",
        Group.FUNDS,
        _("Money received"),
        received,
        RECEIVED_COLUMNS,
        value=lambda scope: total(received(scope), "amount"),
        unit=Unit.MONEY,
        permission=VIEW_FUNDS,
        help=_(
            "Money booked to case sub-accounts in the period (执行款到账). Money in suspense "
            "counts only once assigned to a case, on the day it is assigned."
        ),
    ),
    Tile(
        "funds.paid",
        Group.FUNDS,
        _("Money paid out"),
        paid,
        PAYOUT_COLUMNS,
        value=lambda scope: total(paid(scope), "amount"),
        unit=Unit.MONEY,
        permission=VIEW_FUNDS,
        help=_(
            "Payouts from case sub-accounts the bank confirmed in the period (案款发放). "
            "Returned payouts, fee refunds and judicial relief are not counted."
        ),
    ),
    Tile(
        "funds.idle",
        Group.FUNDS,
        _("Idle money"),
        idle,
        IDLE_COLUMNS,
        value=lambda scope: total(idle(scope), "held"),
        unit=Unit.MONEY,
        permission=VIEW_FUNDS,
        snapshot=True,
        alert=True,
        breakdown=idle_parts,
        help=_(
            "Money held now on case sub-accounts with an open idle-money alert (款项沉淀); "
            "each account counts at the highest tier it has reached."
        ),
    ),
    Tile(
        "funds.payout_median",
        Group.FUNDS,
        _("Days from arrival to payout (median)"),
        payout_times,
        TIMING_COLUMNS,
        value=payout_median,
        unit=Unit.DAYS,
        permission=VIEW_FUNDS,
        help=TIMING_RULE,
    ),
    Tile(
        "funds.payout_p90",
        Group.FUNDS,
        _("Days from arrival to payout (90th percentile)"),
        payout_times,
        TIMING_COLUMNS,
        value=payout_p90,
        unit=Unit.DAYS,
        permission=VIEW_FUNDS,
        help=TIMING_RULE,
    ),
    Tile(
        "funds.payout_within_30",
        Group.FUNDS,
        _("Paid within 30 days"),
        payout_times,
        TIMING_COLUMNS,
        value=payout_within_30,
        unit=Unit.PERCENT,
        permission=VIEW_FUNDS,
        help=_(
            "Of the payouts listed (payouts to applicants paid in the period), the share paid "
            "within 30 days of the money's arrival."
        ),
    ),
    Chart(
        "funds.trend",
        Group.FUNDS,
        _("Money received and paid out per month"),
        trend,
        permission=VIEW_FUNDS,
    ),
)

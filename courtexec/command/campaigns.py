"""Campaign reports (专项执行活动): each campaign's figures and the money it brought in.

A report covers the campaigns of the scope's courts that overlap the chosen period (the command
centre's form always has a period: by default the year so far). Each campaign is measured over
its own days, not the period's: the period only chooses which campaigns to show. The four
figures are enforcement's (``campaign_figures``); the money uses the funds tiles' rules on the
campaign's cases: received on their sub-accounts and paid out of them during the campaign.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from casefunds.models import Deposit, Payout
from casefunds.selectors import paid_between, received_between
from courtexec.command.tiles import Scope
from enforcement.models import Campaign, EnforcementCase
from enforcement.selectors import CampaignFigures, campaign_cases, campaign_figures


@dataclass(frozen=True)
class CampaignReport:
    campaign: Campaign
    figures: CampaignFigures
    collected: int  # fen received on the campaign's cases during the campaign
    paid: int  # fen paid out of them during the campaign


def campaigns_in(scope: Scope) -> QuerySet[Campaign]:
    """The scope's courts' campaigns overlapping its period, the latest first."""
    return (
        scope.restrict(Campaign.objects.select_related("court"))
        .filter(starts_on__lte=scope.end, ends_on__gte=scope.start)
        .order_by("-starts_on", "pk")
    )


def _received(campaign: Campaign, deposits: QuerySet[Deposit]) -> QuerySet[Deposit]:
    return received_between(deposits, campaign.starts_on, campaign.ends_on)


def _paid(campaign: Campaign, payouts: QuerySet[Payout]) -> QuerySet[Payout]:
    return paid_between(payouts, campaign.starts_on, campaign.ends_on)


def campaign_report(campaign: Campaign) -> CampaignReport:
    """One campaign's figures and money (a fixed number of queries)."""
    cases = campaign_cases(campaign)
    collected = _received(campaign, Deposit.objects.filter(case__in=cases)).aggregate(
        total=Coalesce(Sum("amount"), 0)
    )["total"]
    paid = _paid(campaign, Payout.objects.filter(case__in=cases)).aggregate(
        total=Coalesce(Sum("amount"), 0)
    )["total"]
    return CampaignReport(campaign, campaign_figures(campaign), collected, paid)


def campaign_reports(scope: Scope) -> list[CampaignReport]:
    """Every campaign of :func:`campaigns_in` with its report. Queries grow with the number of
    campaigns (a handful a year per court), not with their cases."""
    return [campaign_report(campaign) for campaign in campaigns_in(scope)]


def _per_case(queryset: QuerySet) -> Subquery:
    summed = queryset.order_by().values("case").annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(summed[:1], output_field=IntegerField()), 0)


def campaign_case_rows(campaign: Campaign) -> QuerySet[EnforcementCase]:
    """The campaign's cases, each annotated with the money ``received`` and ``paid`` on it
    during the campaign (the rules of :func:`campaign_report`, so the rows add up to it); the
    cases that moved most money first. One query."""
    deposits = Deposit.objects.filter(case=OuterRef("pk"))
    payouts = Payout.objects.filter(case=OuterRef("pk"))
    return (
        campaign_cases(campaign)
        .select_related("court", "judge")
        .annotate(
            received=_per_case(_received(campaign, deposits)),
            paid=_per_case(_paid(campaign, payouts)),
        )
        .order_by("-received", "-paid", "number", "pk")
    )

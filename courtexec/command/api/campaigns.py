"""Campaign reports under ``/api/v1/stats/campaigns/``: a thin door onto
``courtexec.command.campaigns`` with the command centre's period and court form."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from courtexec.command.campaigns import campaign_reports
from courtexec.command.forms import CommandForm
from courtexec.command.views_campaigns import can_see_campaigns
from enforcement.api.views import FORBIDDEN, INVALID

TAGS = ["stats"]


class CampaignReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="campaign.pk")
    name = serializers.CharField(source="campaign.name")
    court = serializers.IntegerField(source="campaign.court_id")
    court_name = serializers.CharField(source="campaign.court.name")
    starts_on = serializers.DateField(source="campaign.starts_on")
    ends_on = serializers.DateField(source="campaign.ends_on")
    categories = serializers.ListField(
        source="campaign.categories",
        child=serializers.CharField(),
        help_text=_("The case categories the campaign targets."),
    )
    cases_concluded = serializers.IntegerField(source="figures.cases_concluded")
    detentions = serializers.IntegerField(source="figures.detentions")
    blacklist_entries = serializers.IntegerField(source="figures.blacklist_entries")
    police_transfers = serializers.IntegerField(source="figures.police_transfers")
    collected = serializers.IntegerField(
        help_text=_("Fen booked to the sub-accounts of the campaign's cases during the campaign.")
    )
    paid = serializers.IntegerField(
        help_text=_("Fen paid out of those sub-accounts (bank-confirmed) during the campaign.")
    )
    url = serializers.SerializerMethodField(help_text=_("The campaign's report page."))

    def get_url(self, report) -> str:
        return reverse("command:campaign", args=[report.campaign.pk])


class CampaignReportsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    campaigns = CampaignReportSerializer(many=True)


@extend_schema(
    tags=TAGS,
    summary="Campaign reports (专项执行活动): figures and money of the campaigns in a period",
    parameters=[
        OpenApiParameter(
            "from", OpenApiTypes.DATE, description="First day (default: 1 January of `to`)"
        ),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)"),
        OpenApiParameter(
            "court",
            OpenApiTypes.INT,
            description="A court you see; its figures include the courts below it "
            "(default: every court you see)",
        ),
    ],
    responses={200: CampaignReportsSerializer, 400: INVALID, 403: FORBIDDEN},
)
class CampaignReportsView(APIView):
    """The campaigns of the chosen courts that overlap the period, the latest first. Each
    campaign's figures and money cover its own days, whatever the period."""

    def get(self, request):
        if not can_see_campaigns(request.user):
            raise PermissionDenied
        form = CommandForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.api_errors())
        start, end = form.period()
        data = {"start": start, "end": end, "campaigns": campaign_reports(form.scope())}
        return Response(CampaignReportsSerializer(data).data)


urlpatterns = [path("", CampaignReportsView.as_view(), name="api-stats-campaigns")]

"""The monthly reports under ``/api/v1/stats/reports/``: list (court and year filters) and one
report. Another court's report is absent from the list and a 404 by id."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from courtexec.api.permissions import ModelPermissions
from courtexec.command import reports
from courtexec.command.models import MonthlyReport
from courtexec.command.tiles import Group, Unit
from enforcement.api.views import FORBIDDEN, INVALID, NOT_FOUND, VisibleFilterBackend

TAGS = ["stats"]


class ReportFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_('The tile\'s key, e.g. "cases.filed".'))
    group = serializers.ChoiceField(choices=[g.value for g in Group])
    label = serializers.CharField(help_text=_("The figure's name in Chinese, as reported."))
    unit = serializers.ChoiceField(
        choices=[u.value for u in Unit],
        help_text=_("count; money: fen (integer); percent: 0–100; days."),
    )
    value = serializers.JSONField(
        allow_null=True,
        help_text=_(
            "The month's figure: an integer (counts, money in fen) or a decimal string (percent, "
            "days); null when the figure has no value in the month."
        ),
    )
    previous = serializers.JSONField(
        allow_null=True,
        help_text=_("The previous calendar month's figure; null for a state on the month's end."),
    )


class MonthlyReportSerializer(serializers.ModelSerializer):
    court_name = serializers.CharField(source="court.name", read_only=True)
    figures = ReportFigureSerializer(many=True, read_only=True)

    class Meta:
        model = MonthlyReport
        fields = ["id", "court", "court_name", "month", "generated_at", "figures"]


class ReportAccess:
    serializer_class = MonthlyReportSerializer
    permission_classes = [ModelPermissions]  # command.view_monthlyreport
    queryset = MonthlyReport.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MonthlyReport.objects.none()
        return reports.visible_reports(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Monthly reports (执行工作月报) of the courts you see, newest month first",
        responses={200: MonthlyReportSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
)
class ReportListView(ReportAccess, generics.ListAPIView):
    """Each court's figures for one calendar month (a higher court's cover its courts below)."""

    filter_backends = [VisibleFilterBackend]
    filterset_class = reports.ReportFilterSet
    filterset_takes_user = True


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="One monthly report",
        responses={200: MonthlyReportSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
)
class ReportDetailView(ReportAccess, generics.RetrieveAPIView):
    pass


urlpatterns = [
    path("reports/", ReportListView.as_view(), name="api-stats-reports"),
    path("reports/<int:pk>/", ReportDetailView.as_view(), name="api-stats-report"),
]

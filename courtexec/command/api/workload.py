"""The per-judge workload under ``/api/v1/stats/workload/``: a thin door onto
``courtexec.command.workload`` (the page's form and rows)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from courtexec.command import workload
from courtexec.command.forms import CommandForm
from enforcement.api.views import FORBIDDEN, INVALID

TAGS = ["stats"]


class JudgeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="judge.pk")
    name = serializers.CharField(source="judge.__str__")
    court = serializers.CharField(help_text=_("The judge's court."))


class JudgeRowSerializer(serializers.Serializer):
    judge = JudgeSerializer(source="*")
    open = serializers.IntegerField(help_text=_("The judge's open cases today."))
    concluded = serializers.IntegerField(help_text=_("Cases concluded in the period."))
    overdue = serializers.IntegerField(help_text=_("Open cases past their time limit today."))
    paid = serializers.IntegerField(
        help_text=_("Fen paid out on the judge's cases in the period (payouts paid).")
    )
    answered = serializers.IntegerField(
        help_text=_("Waiting runs of party messages begun in the period and answered.")
    )
    reply_median_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text=_("Null without answers.")
    )
    reply_p90_hours = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        help_text=_("Nearest-rank 90th percentile; null without answers."),
    )
    unanswered = serializers.IntegerField(help_text=_("Waiting runs still without an answer."))


class TotalsSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    concluded = serializers.IntegerField()
    overdue = serializers.IntegerField()
    paid = serializers.IntegerField(help_text=_("Fen."))
    answered = serializers.IntegerField()
    unanswered = serializers.IntegerField()


class WorkloadSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    today = serializers.DateField(help_text=_("The day open and overdue cases are read on."))
    judges = JudgeRowSerializer(many=True)
    totals = TotalsSerializer()


@extend_schema(
    tags=TAGS,
    summary="Per-judge workload: open, concluded and overdue cases, money paid out, reply times",
    parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 1 January)"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)"),
        OpenApiParameter(
            "court",
            OpenApiTypes.INT,
            description="A court you see, with the courts below it (default: all you see)",
        ),
    ],
    responses={200: WorkloadSerializer, 400: INVALID, 403: FORBIDDEN},
)
class WorkloadView(APIView):
    """One row per judge of the courts in scope, with the totals; for the chiefs
    (``command.view_workload``)."""

    def get(self, request):
        if not request.user.has_perms(workload.PERMISSIONS):
            raise PermissionDenied
        form = CommandForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.api_errors())
        scope = form.scope()
        rows = workload.judge_workload(scope)
        return Response(
            WorkloadSerializer(
                {
                    "start": scope.start,
                    "end": scope.end,
                    "today": scope.today,
                    "judges": rows,
                    "totals": workload.totals(rows),
                }
            ).data
        )


urlpatterns = [path("", WorkloadView.as_view(), name="api-stats-workload")]

"""The standby figures under ``/api/v1/standby/figures/``: a thin door onto
``standby.selectors.figures`` (the period form is the board's)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.api.views import FORBIDDEN, INVALID
from standby import selectors
from standby.forms_board import PeriodForm

TAGS = ["standby"]


class CalloutFiguresSerializer(serializers.Serializer):
    callouts = serializers.IntegerField(help_text=_("Callouts caught in the span."))
    assists = serializers.IntegerField(help_text=_("Of those, assists for other courts."))
    assist_share = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        help_text=_("Percent; null without callouts."),
    )
    handed_over = serializers.IntegerField(help_text=_("Callouts handed over to the court."))
    handed_over_late = serializers.IntegerField(help_text=_("Handed over after the deadline."))
    handed_over_on_time = serializers.IntegerField()
    on_time_share = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        help_text=_("Handed over by the deadline ÷ handed over, percent; null without any."),
    )
    median_handover_minutes = serializers.DecimalField(
        max_digits=10,
        decimal_places=1,
        allow_null=True,
        help_text=_("Median minutes from the catch to the handover; null without any."),
    )
    overdue = serializers.IntegerField(
        help_text=_("Not handed over, not closed, and past the deadline now.")
    )
    night_callouts = serializers.IntegerField(help_text=_("Caught from 20:00 to 08:00."))
    night_amount_paid = serializers.IntegerField(
        help_text=_("Amount paid (fen) on callouts caught from 20:00 to 08:00.")
    )
    amount_paid = serializers.IntegerField(help_text=_("Amount paid (fen) on all callouts."))


class MonthFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    figures = CalloutFiguresSerializer()


class TeamFiguresSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_(
            'The team\'s id, or "override" for callouts of a shift without a team or of no shift.'
        )
    )
    name = serializers.CharField()
    court = serializers.CharField()
    figures = CalloutFiguresSerializer()


class StandbyFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    total = CalloutFiguresSerializer()
    months = MonthFiguresSerializer(many=True)
    teams = TeamFiguresSerializer(many=True)


@extend_schema(
    tags=TAGS,
    summary="Standby figures: callouts, assists, handover times against the deadline, night money",
    parameters=[
        OpenApiParameter(
            "from", OpenApiTypes.DATE, description="First day (default: this month's first)"
        ),
        OpenApiParameter(
            "to", OpenApiTypes.DATE, description="Last day (default: this month's last)"
        ),
    ],
    responses={200: StandbyFiguresSerializer, 400: INVALID, 403: FORBIDDEN},
)
class FiguresView(APIView):
    """Callouts caught in the period in the courts the user sees: for the period, each of its
    months and each team."""

    def get(self, request):
        if not selectors.can_see_figures(request.user):
            raise PermissionDenied
        form = PeriodForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.api_errors())
        start, end = form.period()
        return Response(
            StandbyFiguresSerializer(
                selectors.figures(user=request.user, start=start, end=end)
            ).data
        )

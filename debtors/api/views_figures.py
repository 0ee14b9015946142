"""The figures of the list under ``/api/v1/debtors/figures/`` (a thin door onto
``debtors.selectors.figures``; the period form is the page's)."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from debtors import selectors
from debtors.api import serializers as s
from debtors.views_figures import FIGURES_PERMISSION, PeriodForm
from enforcement.api.views import FORBIDDEN, INVALID

TAGS = ["debtors"]


INCLUSION_DEFINITION = _(
    "Inclusion rate = listed respondents ÷ respondents past their performance deadline: "
    "respondents of first or resumed enforcement cases whose execution notice's period to "
    "perform (notice_days from the day it was sent) ended in the period, before today, while "
    "the case was open; listed when an entry of theirs in that case (or the case it resumes) "
    "has been published."
)


@extend_schema(
    tags=TAGS,
    summary="Figures of the list: listings, deletions, restrictions and the inclusion rate",
    parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default 1 January)"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default today)"),
    ],
    responses={200: s.FiguresSerializer, 400: INVALID, 403: FORBIDDEN},
)
class FiguresView(APIView):
    """Figures over the courts the user sees, for the period and each of its months."""

    def get(self, request):
        if not request.user.has_perm(FIGURES_PERMISSION):
            raise PermissionDenied
        form = PeriodForm(request.query_params)
        if not form.is_valid():
            names = {"start": "from", "end": "to"}
            raise ValidationError(
                {names.get(field, field): errors for field, errors in form.errors.items()}
            )
        numbers = selectors.figures(
            user=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        data = {
            "total": asdict(numbers.total) | {"inclusion_rate": numbers.total.inclusion_rate},
            "months": [asdict(m) | {"inclusion_rate": m.inclusion_rate} for m in numbers.months],
            "notice_days": numbers.notice_days,
            "definition": str(INCLUSION_DEFINITION),
        }
        return Response(s.FiguresSerializer(data).data)

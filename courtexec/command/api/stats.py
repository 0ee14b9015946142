"""The command centre's figures under ``/api/v1/stats/``: every tile and chart the user may see,
and a tile's records. A thin door onto ``selectors`` with the pages' ``CommandForm``.

Numbers: counts and money are integers, money in fen (分); percentages (0–100) and days are
numbers with one decimal place; ``null`` when a figure has no value (a rate without a base).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courtexec.command.forms import CommandForm
from courtexec.command.selectors import (
    TileFigure,
    chart_figures,
    tile_figures,
    visible_tile,
)
from courtexec.command.tiles import Number, Tile, Unit
from enforcement.api.views import FORBIDDEN, INVALID, NOT_FOUND

TAGS = ["stats"]
PERMISSION = "command.view_command_centre"


def number(value: Number) -> int | float | None:
    """A figure as JSON: integers stay integers, decimals become numbers (one place)."""
    if value is None or isinstance(value, int):
        return value
    return float(Decimal(str(value)))


@extend_schema_field({"type": "number", "nullable": True})
class FigureField(serializers.Field):
    """A count or money in fen (integer), or a percentage or days (one decimal); null if none."""

    def to_representation(self, value: Number):
        return number(value)


class PeriodSerializer(serializers.Serializer):
    """``from`` and ``to`` (inclusive local days): Python cannot name a field ``from``."""

    def get_fields(self) -> dict:
        return {
            "from": serializers.DateField(source="start"),
            "to": serializers.DateField(source="end"),
        }


class PartSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = FigureField()
    amount = serializers.IntegerField(allow_null=True, help_text=_("Money in fen, if any."))
    colour = serializers.CharField(help_text=_("A Bootstrap colour name."))


class TileSerializer(serializers.Serializer):
    key = serializers.CharField(source="tile.key")
    group = serializers.CharField(source="tile.group")
    label = serializers.CharField(source="tile.label")
    unit = serializers.ChoiceField(choices=[unit.value for unit in Unit], source="tile.unit")
    value = FigureField()
    previous = FigureField(help_text=_("The previous period's figure; null for a snapshot."))
    change = FigureField(help_text=_("value − previous; null for a snapshot."))
    snapshot = serializers.BooleanField(
        source="tile.snapshot", help_text=_("The state today, not over the period.")
    )
    alert = serializers.BooleanField(source="tile.alert")
    help = serializers.CharField(source="tile.help")
    breakdown = serializers.SerializerMethodField()
    drilldown = serializers.SerializerMethodField(help_text=_("The tile's records (API)."))

    @extend_schema_field(PartSerializer(many=True))
    def get_breakdown(self, figure: TileFigure) -> list:
        breakdown = figure.tile.breakdown
        return PartSerializer(breakdown(self.context["scope"]) if breakdown else [], many=True).data

    def get_drilldown(self, figure: TileFigure) -> str:
        url = reverse("api-stats-tile", args=[figure.tile.key])
        return self.context["request"].build_absolute_uri(f"{url}?{self.context['query']}")


class SeriesSerializer(serializers.Serializer):
    label = serializers.CharField()
    unit = serializers.ChoiceField(choices=[unit.value for unit in Unit])
    values = serializers.ListField(child=FigureField())


class ChartSerializer(serializers.Serializer):
    key = serializers.CharField(source="chart.key")
    label = serializers.CharField(source="chart.label")
    kind = serializers.CharField(source="chart.kind", help_text=_('"bar" or "line".'))
    labels = serializers.ListField(child=serializers.CharField(), source="data.labels")
    series = SeriesSerializer(many=True, source="data.series")


class StatsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    previous_period = PeriodSerializer()
    courts = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("The ids of the courts covered; null for every court."),
    )
    tiles = TileSerializer(many=True)
    charts = ChartSerializer(many=True)


class RecordsSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    value = FigureField(help_text=_("The tile's figure in this period (the records make it)."))
    period = PeriodSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True, help_text=_("The previous page."))
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text=_("One list per record, in the columns' order; money in fen, days ISO 8601."),
    )


QUERY = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 1 January)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)"),
    OpenApiParameter(
        "court",
        OpenApiTypes.INT,
        description="A court the user sees, with the courts below it (default: all the user sees)",
    ),
]


def _form(request: Request) -> CommandForm:
    """The valid period and court choice, or a 403 (no command centre) or 400 (field errors)."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = CommandForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise ValidationError(form.api_errors())
    return form


@extend_schema(
    tags=TAGS,
    summary="Command centre figures: every tile (with the previous period's) and chart",
    parameters=QUERY,
    responses={200: StatsSerializer, 400: INVALID, 403: FORBIDDEN},
)
class StatsView(APIView):
    """The figures of the command centre the user may see, in the chosen period and courts."""

    def get(self, request: Request) -> Response:
        form = _form(request)
        scope = form.scope()
        context = {"request": request, "scope": scope, "query": urlencode(form.query())}
        data = {
            "period": scope,
            "previous_period": scope.previous(),
            "courts": None if scope.court_ids is None else sorted(scope.court_ids),
            "tiles": tile_figures(request.user, scope),
            "charts": [
                {"chart": chart, "data": data} for chart, data in chart_figures(request.user, scope)
            ],
        }
        return Response(StatsSerializer(data, context=context).data)


def _cell(value, unit: Unit | None):
    """A record's column as JSON: money in fen, dates as ISO 8601, anything else as text."""
    if value is None or isinstance(value, bool | int | float | str | dt.date):
        return value
    if isinstance(value, Decimal):
        return int(value) if unit == Unit.MONEY else number(value)
    return str(value)  # a label, a lazy translation


class RecordsPagination(PageNumberPagination):
    page_size = 50


@extend_schema(
    tags=TAGS,
    summary="A tile's records (its drill-down), a page at a time",
    parameters=[
        *QUERY,
        OpenApiParameter(
            "previous", OpenApiTypes.BOOL, description="The previous period's records"
        ),
        OpenApiParameter("page", OpenApiTypes.INT),
    ],
    responses={200: RecordsSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
)
class StatsTileView(APIView):
    """The records behind one tile's figure, with the figure they make."""

    def get(self, request: Request, key: str) -> Response:
        scope = _form(request).scope()
        tile: Tile = visible_tile(request.user, key)
        if request.query_params.get("previous") in ("1", "true", "True"):
            scope = scope.previous()
        paginator = RecordsPagination()
        records = paginator.paginate_queryset(tile.records(scope), request, view=self)
        data = {
            "key": tile.key,
            "label": tile.label,
            "unit": tile.unit,
            "value": tile.measure(scope),
            "period": scope,
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "columns": [str(column.header) for column in tile.columns],
            "rows": [
                [_cell(column.value(record), column.unit) for column in tile.columns]
                for record in records
            ],
        }
        return Response(RecordsSerializer(data).data)


urlpatterns = [
    path("", StatsView.as_view(), name="api-stats"),
    path("tiles/<str:key>/", StatsTileView.as_view(), name="api-stats-tile"),
]

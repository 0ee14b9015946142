"""The roster under ``/api/v1/standby/``: who is on duty, teams, the rotation, shifts, swaps,
overrides and one's calendar feed. Thin: serializers check shapes, services decide."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from courtexec.models import User
from enforcement.api.serializers import VisiblePrimaryKeyField
from enforcement.api.views import FORBIDDEN, INVALID
from standby import selectors, services
from standby.models import Override, Rotation, Shift, ShiftSwap, StandbyTeam

TAGS = ["standby"]
VIEW = "standby.view_shift"
MAX_DAYS = 93
NOT_FOUND = OpenApiResponse(description="No such record.")
CONFLICT = OpenApiResponse(description="The roster changed: the request conflicts with it.")


def _court_staff(user: User):
    return User.objects.filter(court=user.court_id, is_active=True)


def _court_teams(user: User):
    return StandbyTeam.objects.filter(court=user.court_id)


def _court_shifts(user: User):
    return Shift.objects.filter(court=user.court_id)


def _staff_only(request) -> None:
    """Bureau staff of a court (the police liaison sees only their callouts)."""
    if request.user.court_id is None or not request.user.has_perm(VIEW):
        raise PermissionDenied


MOMENT_YEARS = (1900, 2100)  # a roster lookup outside these years is a typing slip


def _parse_moment(value: str, field: str) -> dt.datetime:
    try:
        parsed = parse_datetime(value.strip())
        if parsed is None:
            day = parse_date(value.strip())
            parsed = dt.datetime.combine(day, dt.time()) if day else None
        if parsed is None:
            raise ValueError
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        # In UTC, so PostgreSQL never sees an offset it refuses (it allows at most ±15:59).
        parsed = parsed.astimezone(dt.UTC)
        if not MOMENT_YEARS[0] <= parsed.year <= MOMENT_YEARS[1]:
            raise ValueError
    except (ValueError, OverflowError, TypeError):
        raise ValidationError(
            {field: [_("Give a date and time in ISO 8601, e.g. 2026-12-01T08:00+08:00.")]}
        ) from None
    return parsed


# Serializers ------------------------------------------------------------------------------------


class StandbyPersonSerializer(serializers.Serializer):
    place = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField()


class StandbyTeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StandbyShiftSerializer(serializers.ModelSerializer):
    team = StandbyTeamRefSerializer(allow_null=True, read_only=True)
    people = serializers.SerializerMethodField()

    class Meta:
        model = Shift
        fields = ["id", "starts_at", "ends_at", "origin", "note", "team", "people"]
        read_only_fields = fields

    @extend_schema_field(StandbyPersonSerializer(many=True))
    def get_people(self, shift: Shift) -> list[dict]:
        return people_of(shift)


def people_of(shift: Shift) -> list[dict]:
    return [
        {
            "place": place,
            "role": role.value,
            "role_display": str(role.label),
            "id": person.pk,
            "name": str(person),
            "phone": person.phone,
        }
        for place, role in services.PLACES.items()
        for person in [getattr(shift, place)]
    ]


class StandbyOnDutySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    shift = StandbyShiftSerializer(allow_null=True)


class StandbyTeamSerializer(serializers.ModelSerializer):
    leader = VisiblePrimaryKeyField(queryset=User.objects.all(), visible=_court_staff)
    judge = VisiblePrimaryKeyField(queryset=User.objects.all(), visible=_court_staff)
    police = VisiblePrimaryKeyField(queryset=User.objects.all(), visible=_court_staff)
    name = serializers.CharField(max_length=60)

    class Meta:
        model = StandbyTeam
        fields = ["id", "name", "leader", "judge", "police", "active"]
        read_only_fields = ["id"]
        validators: list = []


class StandbyRotationSerializer(serializers.Serializer):
    teams = serializers.ListField(
        child=VisiblePrimaryKeyField(queryset=StandbyTeam.objects.all(), visible=_court_teams),
        min_length=1,
        max_length=100,
        help_text="The teams' ids in rotation order.",
    )
    shift_hours = serializers.IntegerField(min_value=1, max_value=168)
    starts_on = serializers.DateField()
    start_time = serializers.TimeField()
    updated_at = serializers.DateTimeField(read_only=True)


class StandbyOverrideSerializer(serializers.ModelSerializer):
    leader = VisiblePrimaryKeyField(queryset=User.objects.all(), visible=_court_staff)
    judge = VisiblePrimaryKeyField(queryset=User.objects.all(), visible=_court_staff)
    police = VisiblePrimaryKeyField(queryset=User.objects.all(), visible=_court_staff)
    reason = serializers.CharField(max_length=200)

    class Meta:
        model = Override
        fields = ["id", "starts_at", "ends_at", "leader", "judge", "police", "reason", "created_at"]
        read_only_fields = ["id", "created_at"]


class StandbySwapSerializer(serializers.ModelSerializer):
    shift = VisiblePrimaryKeyField(queryset=Shift.objects.all(), visible=_court_shifts)
    counterpart = VisiblePrimaryKeyField(queryset=User.objects.all(), visible=_court_staff)
    counterpart_shift = VisiblePrimaryKeyField(
        queryset=Shift.objects.all(), visible=_court_shifts, required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = ShiftSwap
        fields = [
            "id", "requester", "shift", "counterpart", "counterpart_shift", "role", "status",
            "reason", "requested_at", "accepted_at", "decided_at", "decided_by",
        ]  # fmt: skip
        read_only_fields = [
            "id", "requester", "role", "status", "requested_at", "accepted_at", "decided_at",
            "decided_by",
        ]  # fmt: skip


class StandbyFeedSerializer(serializers.Serializer):
    url = serializers.URLField()
    created_at = serializers.DateTimeField()


# Views ------------------------------------------------------------------------------------------


@extend_schema(
    tags=TAGS,
    summary="Who is on duty at a moment (default now)",
    parameters=[OpenApiParameter("at", OpenApiTypes.DATETIME, description="ISO 8601")],
    responses={200: StandbyOnDutySerializer, 400: INVALID, 403: FORBIDDEN},
)
class OnDutyView(APIView):
    """The shift on duty and its three people with phone numbers; ``shift`` is null in a gap.
    Shifts are half-open: at 08:00 the shift starting then is on duty, at 07:59 the one before."""

    def get(self, request):
        _staff_only(request)
        raw = request.query_params.get("at")
        at = timezone.now() if raw in (None, "") else _parse_moment(raw, "at")
        shift = selectors.shift_at(request.user.court_id, at)
        return Response(StandbyOnDutySerializer({"at": at, "shift": shift}).data)


@extend_schema(
    tags=TAGS,
    summary="Shifts of a period (default this week, at most 93 days)",
    parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE, description="First day"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive)"),
    ],
    responses={200: StandbyShiftSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
)
class ShiftListView(APIView):
    def get(self, request):
        _staff_only(request)
        start, end = _period(request.query_params)
        shifts = selectors.shifts_between(request.user.court_id, start, end)
        return Response(StandbyShiftSerializer(shifts, many=True).data)


def _period(params) -> tuple[dt.datetime, dt.datetime]:
    errors = {}
    days = {}
    for name in ("from", "to"):
        value = params.get(name, "")
        days[name] = parse_date_safe(value) if value else None
        if value and days[name] is None:
            errors[name] = [_("Give a date as YYYY-MM-DD.")]
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    first = days["from"] or today - dt.timedelta(days=today.weekday())
    last = days["to"] or first + dt.timedelta(days=6)
    if last < first:
        raise ValidationError({"to": [_("The end of the period cannot precede its start.")]})
    if (last - first).days >= MAX_DAYS:
        raise ValidationError({"to": [_("Choose at most %(days)d days.") % {"days": MAX_DAYS}]})
    try:
        start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    except OverflowError:
        raise ValidationError({"to": [_("Give a date as YYYY-MM-DD.")]}) from None
    return start, end


def parse_date_safe(value: str) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


def _staff_court(request):
    _staff_only(request)
    return request.user.court


@extend_schema(tags=TAGS)
class TeamListView(APIView):
    @extend_schema(
        summary="The court's standby teams", responses={200: StandbyTeamSerializer(many=True)}
    )
    def get(self, request):
        _staff_only(request)
        teams = StandbyTeam.objects.filter(court=request.user.court_id)
        return Response(StandbyTeamSerializer(teams, many=True).data)

    @extend_schema(
        summary="Create a 1+1+1 team (bureau chief)",
        request=StandbyTeamSerializer,
        responses={201: StandbyTeamSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def post(self, request):
        court = _staff_court(request)
        data = _valid(StandbyTeamSerializer, request)
        team = services.save_team(user=request.user, court=court, **data)
        return Response(StandbyTeamSerializer(team).data, status=201)


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema(tags=TAGS)
class TeamDetailView(APIView):
    def _team(self, request, pk: int) -> StandbyTeam:
        _staff_only(request)
        team = StandbyTeam.objects.filter(court=request.user.court_id, pk=pk).first()
        if team is None:
            raise NotFound
        return team

    @extend_schema(summary="A standby team", responses={200: StandbyTeamSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(StandbyTeamSerializer(self._team(request, pk)).data)

    @extend_schema(
        summary="Edit a team (bureau chief); shifts already generated keep their people",
        request=StandbyTeamSerializer,
        responses={200: StandbyTeamSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def put(self, request, pk: int):
        team = self._team(request, pk)
        data = _valid(StandbyTeamSerializer, request)
        team = services.save_team(user=request.user, court=request.user.court, team=team, **data)
        return Response(StandbyTeamSerializer(team).data)


@extend_schema(tags=TAGS)
class RotationView(APIView):
    def _data(self, rotation: Rotation | None) -> dict:
        if rotation is None:
            return {}
        return StandbyRotationSerializer(
            {
                "teams": [slot.team for slot in rotation.slots.select_related("team")],
                "shift_hours": rotation.shift_hours,
                "starts_on": rotation.starts_on,
                "start_time": rotation.start_time,
                "updated_at": rotation.updated_at,
            }
        ).data

    @extend_schema(
        summary="The court's rotation (empty object when none is set)",
        responses={200: StandbyRotationSerializer, 403: FORBIDDEN},
    )
    def get(self, request):
        _staff_only(request)
        return Response(self._data(Rotation.objects.filter(court=request.user.court_id).first()))

    @extend_schema(
        summary="Set the rotation (bureau chief): regenerates only shifts not yet started",
        request=StandbyRotationSerializer,
        responses={200: StandbyRotationSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def put(self, request):
        court = _staff_court(request)
        data = _valid(StandbyRotationSerializer, request)
        rotation = services.set_rotation(user=request.user, court=court, **data)
        return Response(self._data(rotation))


@extend_schema(tags=TAGS)
class OverrideListView(APIView):
    @extend_schema(
        summary="Roster overrides", responses={200: StandbyOverrideSerializer(many=True)}
    )
    def get(self, request):
        _staff_only(request)
        found = Override.objects.filter(court=request.user.court_id)[:200]
        return Response(StandbyOverrideSerializer(found, many=True).data)

    @extend_schema(
        summary="Put a 1+1+1 on every future shift starting in a period (e.g. Spring Festival)",
        request=StandbyOverrideSerializer,
        responses={201: StandbyOverrideSerializer, 400: INVALID, 403: FORBIDDEN, 409: CONFLICT},
    )
    def post(self, request):
        court = _staff_court(request)
        data = _valid(StandbyOverrideSerializer, request)
        override = services.add_override(user=request.user, court=court, **data)
        return Response(StandbyOverrideSerializer(override).data, status=201)


@extend_schema(tags=TAGS)
class SwapListView(APIView):
    @extend_schema(
        summary="Swaps one takes part in (all of the court's for a bureau leader)",
        responses={200: StandbySwapSerializer(many=True)},
    )
    def get(self, request):
        _staff_only(request)
        return Response(
            StandbySwapSerializer(selectors.swaps_for(request.user)[:200], many=True).data
        )

    @extend_schema(
        summary="Ask someone of the same role to swap shifts (or to cover one's shift)",
        request=StandbySwapSerializer,
        responses={201: StandbySwapSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def post(self, request):
        _staff_only(request)
        data = _valid(StandbySwapSerializer, request)
        swap = services.request_swap(user=request.user, **data)
        return Response(StandbySwapSerializer(swap).data, status=201)


SWAP_ACTIONS = {
    "accept": services.accept_swap,
    "approve": services.approve_swap,
    "refuse": services.refuse_swap,
    "withdraw": services.withdraw_swap,
}


def _swap(request, pk: int) -> ShiftSwap:
    _staff_only(request)
    swap = selectors.swaps_for(request.user).filter(pk=pk).first()
    if swap is None:
        raise NotFound
    return swap


@extend_schema(tags=TAGS)
class SwapDetailView(APIView):
    @extend_schema(summary="A swap", responses={200: StandbySwapSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(StandbySwapSerializer(_swap(request, pk)).data)


def swap_action_view(action: str):
    @extend_schema(
        tags=TAGS,
        summary=f"{action.capitalize()} a swap",
        request=None,
        responses={200: StandbySwapSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    class SwapActionView(APIView):
        def post(self, request, pk: int):
            swap = SWAP_ACTIONS[action](user=request.user, swap=_swap(request, pk))
            return Response(StandbySwapSerializer(swap).data)

    SwapActionView.__name__ = f"Swap{action.capitalize()}View"
    return SwapActionView.as_view()


@extend_schema(tags=TAGS)
class CalendarFeedView(APIView):
    """One's own secret iCalendar address: read (made on first use), regenerate, revoke."""

    def _answer(self, request, feed):
        url = request.build_absolute_uri(reverse("standby:ical", args=[feed.token]))
        return Response(StandbyFeedSerializer({"url": url, "created_at": feed.created_at}).data)

    @extend_schema(summary="My calendar feed's address", responses={200: StandbyFeedSerializer})
    def get(self, request):
        _staff_only(request)
        return self._answer(request, services.calendar_feed(user=request.user))

    @extend_schema(
        summary="A new address (the old one stops working)",
        request=None,
        responses={200: StandbyFeedSerializer},
    )
    def post(self, request):
        _staff_only(request)
        return self._answer(request, services.calendar_feed(user=request.user, regenerate=True))

    @extend_schema(summary="Revoke my address", responses={204: None})
    def delete(self, request):
        _staff_only(request)
        services.revoke_calendar_feed(user=request.user)
        return Response(status=204)

"""Debtors API views (财产查控): thin doors onto ``debtors.services`` and ``selectors``.

Built like the enforcement and case-funds APIs: querysets through
``courtexec.visibility.restrict`` (another court's record is a 404), shapes checked by
serializers, rules and authorisation in the services (``ValidationError`` → 400,
``PermissionDenied`` → 403).
"""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courtexec.api.permissions import CHANGE, VIEW, ModelPermissions
from courtexec.visibility import restrict
from debtors import selectors, services
from debtors.api import serializers as s
from debtors.models import (
    Deduction,
    Finding,
    Freeze,
    FreezeRenewal,
    InvestigationRequest,
    InvestigatorRotation,
    RotationMember,
    Search,
)
from debtors.throttling import PublicSearchThrottle
from enforcement.api import serializers as s_api
from enforcement.api.views import (
    FORBIDDEN,
    INVALID,
    WRITE_ERRORS,
    EnforcementViewSet,
    user_court,
)

TAGS = ["debtors"]


# --- Investigation requests -------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Investigation requests (查控申请) by status, case or assignee"),
    retrieve=extend_schema(summary="One investigation request"),
)
@extend_schema(tags=TAGS)
class InvestigationRequestViewSet(EnforcementViewSet):
    """Cases ask the investigation group (查控组) to search a respondent's property."""

    queryset = InvestigationRequest.objects.select_related(
        "case", "respondent__party"
    ).prefetch_related("searches")
    serializer_class = s.InvestigationRequestSerializer
    filterset_fields = ["status", "case", "assigned_to"]

    @extend_schema(
        summary="Ask for searches; recent searches of the party are reused unless a reason is "
        "given, and the request goes to the member on duty",
        request=s.InvestigationRequestSerializer,
        responses={201: s.InvestigationRequestSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        data = self.validated(s.InvestigationRequestSerializer)
        created = services.request_investigation(
            case=data["case"],
            respondent=data["respondent"],
            asset_classes=data["asset_classes"],
            force_reason=data.get("force_reason", ""),
            user=request.user,
        )
        return self.respond(created, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The investigation group's open requests (queued and assigned)",
        responses={200: s.InvestigationRequestSerializer(many=True), 403: FORBIDDEN},
    )
    @action(detail=False, methods=["get"], required_perms=[VIEW], filter_backends=[])
    def queue(self, request):
        queryset = restrict(
            selectors.investigation_queue(user=request.user), request.user
        ).prefetch_related("searches")
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page if page is not None else queryset, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(
        summary="Ask again with new searches of the same classes, giving the reason (a new "
        "request; nothing recent is reused)",
        request=s.ForceSearchSerializer,
        responses={201: s.InvestigationRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=["debtors.add_investigationrequest"])
    def force(self, request, pk=None):
        original = self.get_object()
        data = self.validated(s.ForceSearchSerializer)
        created = services.request_investigation(
            case=original.case,
            respondent=original.respondent,
            asset_classes=original.asset_classes,
            force_reason=data["reason"],
            user=request.user,
        )
        return self.respond(created, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="A member of the investigation group takes the request",
        request=None,
        responses={200: s.InvestigationRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def take(self, request, pk=None):
        return self.respond(services.take_request(request=self.get_object(), user=request.user))

    @extend_schema(
        summary="The investigation group searches every class still missing (safe to repeat); "
        "the request is then done",
        request=None,
        responses={200: s.InvestigationRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=["debtors.add_search"])
    def perform(self, request, pk=None):
        return self.respond(services.perform_searches(request=self.get_object(), user=request.user))


# --- Rotations --------------------------------------------------------------------------------


class RotationPermissions(ModelPermissions):
    """Setting a court's rotation, first time or again, is a change of it."""

    perms_map = {**ModelPermissions.perms_map, "POST": [CHANGE]}


@extend_schema_view(
    list=extend_schema(summary="The investigation group's duty rotation (值班轮换)"),
    retrieve=extend_schema(summary="One court's rotation"),
)
@extend_schema(tags=TAGS)
class RotationViewSet(mixins.UpdateModelMixin, EnforcementViewSet):
    """Who of the investigation group takes new requests, in turns of ``period_days``."""

    queryset = InvestigatorRotation.objects.order_by("pk").prefetch_related(
        Prefetch("members", queryset=RotationMember.objects.select_related("user"))
    )
    serializer_class = s.RotationSerializer
    permission_classes = [RotationPermissions]
    http_method_names = ["get", "post", "put", "head", "options"]

    @extend_schema(
        summary="Set your court's rotation (replaces the one in place)",
        request=s.RotationWriteSerializer,
        responses={201: s.RotationSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        rotation = services.set_rotation(
            court=user_court(request.user),
            user=request.user,
            **self.validated(s.RotationWriteSerializer),
        )
        return self.respond(rotation, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a rotation's members, order, turn length or start",
        request=s.RotationWriteSerializer,
        responses={200: s.RotationSerializer, **WRITE_ERRORS},
    )
    def update(self, request, pk=None):
        rotation = self.get_object()
        rotation = services.set_rotation(
            court=rotation.court, user=request.user, **self.validated(s.RotationWriteSerializer)
        )
        return self.respond(rotation)


# --- Searches and findings --------------------------------------------------------------------


class SearchFilterSet(filters.FilterSet):
    class Meta:
        model = Search
        fields = ["party", "asset_class"]


@extend_schema_view(
    list=extend_schema(summary="Searches performed, with what each found"),
    retrieve=extend_schema(summary="One search with its findings"),
)
@extend_schema(tags=TAGS)
class SearchViewSet(EnforcementViewSet):
    """Searches of a party's property; every case of the party reuses a recent one."""

    queryset = Search.objects.select_related("party").prefetch_related("findings__search")
    serializer_class = s.SearchSerializer
    filterset_class = SearchFilterSet


@extend_schema_view(
    list=extend_schema(summary="Property found (accounts, real estate, vehicles …)"),
    retrieve=extend_schema(summary="One finding"),
)
@extend_schema(tags=TAGS)
class FindingViewSet(EnforcementViewSet):
    """What the searches found, and what became of it."""

    queryset = Finding.objects.select_related("search")
    serializer_class = s.FindingSerializer
    filterset_fields = ["status", "asset_class", "search"]

    @extend_schema(
        summary="Freeze (冻结) or seize (查封/扣押) the property for a case, for its legal period",
        request=s.FreezeOrderSerializer,
        responses={201: s.FreezeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=["debtors.add_freeze"])
    def freeze(self, request, pk=None):
        finding = self.get_object()
        created = services.freeze(
            finding=finding, user=request.user, **self.validated(s.FreezeOrderSerializer)
        )
        return _respond_freeze(self, created, status.HTTP_201_CREATED)


# --- Freezes ----------------------------------------------------------------------------------


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class FreezeFilterSet(filters.FilterSet):
    expiring = IntegerFilter(
        method="filter_expiring",
        min_value=0,
        max_value=3660,
        label="Live freezes ending within this many days",
    )
    expired = filters.BooleanFilter(
        method="filter_expired", label="Past their end without release or renewal"
    )

    class Meta:
        model = Freeze
        fields = ["case", "kind", "finding"]

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(pk__in=selectors.expiring(within_days=value).values("pk"))

    def filter_expired(self, queryset, name, value):
        if value is None:
            return queryset
        lapsed = selectors.expired().values("pk")
        return queryset.filter(pk__in=lapsed) if value else queryset.exclude(pk__in=lapsed)


def _freezes():
    return Freeze.objects.select_related("case", "finding").prefetch_related(
        Prefetch("renewals", queryset=FreezeRenewal.objects.order_by("renewed_at", "pk"))
    )


def _respond_freeze(view, freeze: Freeze, code: int = status.HTTP_200_OK):
    reread = restrict(_freezes(), view.request.user).get(pk=freeze.pk)
    return Response(
        s.FreezeSerializer(reread, context=view.get_serializer_context()).data, status=code
    )


@extend_schema_view(
    list=extend_schema(
        summary="Freezes and seizures; `expiring=<days>` (live, ending soon) or `expired=true`"
    ),
    retrieve=extend_schema(summary="One freeze or seizure with its renewals"),
)
@extend_schema(tags=TAGS)
class FreezeViewSet(EnforcementViewSet):
    """Freezes (冻结) and seizures (查封/扣押) with their legal end dates and renewals."""

    queryset = _freezes()
    serializer_class = s.FreezeSerializer
    filterset_class = FreezeFilterSet

    @extend_schema(
        summary="Renew (续冻/续封) before expiry: one more legal period",
        request=None,
        responses={200: s.FreezeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=["debtors.add_freezerenewal"])
    def renew(self, request, pk=None):
        renewal = services.renew_freeze(freeze=self.get_object(), user=request.user)
        return self.respond(renewal.freeze)

    @extend_schema(
        summary="Release (解除冻结/解封) the property",
        request=None,
        responses={200: s.FreezeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def release(self, request, pk=None):
        return self.respond(services.release_freeze(freeze=self.get_object(), user=request.user))

    @extend_schema(
        summary="Deduct (扣划) frozen bank deposits into the case's sub-account",
        request=s.DeductOrderSerializer,
        responses={
            201: OpenApiResponse(s.DeductionSerializer, description="Deducted."),
            **WRITE_ERRORS,
        },
    )
    @action(detail=True, methods=["post"], required_perms=["debtors.add_deduction"])
    def deduct(self, request, pk=None):
        data = self.validated(s.DeductOrderSerializer)
        result = services.deduct(freeze=self.get_object(), amount=data["amount"], user=request.user)
        return self.respond(
            result.deduction,
            code=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
            serializer_class=s.DeductionSerializer,
        )


@extend_schema_view(
    list=extend_schema(summary="Deductions (扣划) booked into case sub-accounts"),
    retrieve=extend_schema(summary="One deduction"),
)
@extend_schema(tags=TAGS)
class DeductionViewSet(EnforcementViewSet):
    """Money banks deducted from frozen accounts; each is a deposit of the case."""

    queryset = Deduction.objects.all()
    serializer_class = s.DeductionSerializer
    filterset_fields = ["case", "finding"]


# --- Public search (公开查询) ------------------------------------------------------------------


class PublicBlacklistSearchView(APIView):
    """The published dishonest-debtor list, searchable by anyone without signing in."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicSearchThrottle]

    @extend_schema(
        tags=["public"],
        summary="Search the published dishonest-debtor list (no sign-in)",
        parameters=[s.PublicSearchQuerySerializer],
        responses={
            200: s.PublicSearchResultSerializer,
            400: OpenApiResponse(s_api.ApiErrorSerializer, description="Query too short."),
            429: OpenApiResponse(
                s_api.ApiErrorSerializer, description="Too many searches from this address."
            ),
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        params = s.PublicSearchQuerySerializer(
            data={"q": request.query_params.get("q", ""), **_page_of(request)}
        )
        params.is_valid()  # the query's own rule is the selector's; only the page is checked
        if "page" in params.errors:
            raise ValidationError({"page": params.errors["page"]})
        found = selectors.public_blacklist_search(
            query=request.query_params.get("q", ""), page=params.validated_data.get("page", 1)
        )
        # The shape is PublicSearchResultSerializer's (documented); built directly, since
        # serializing twenty plain records field by field costs more than the search.
        results = [
            {
                "name": r.name, "id_number": r.id_number,
                "legal_representative": r.legal_representative, "case_number": r.case_number,
                "court": r.court, "grounds": r.grounds, "obligation": r.obligation,
                "performance": r.performance,
                "published_at": timezone.localtime(r.published_at).isoformat(),
            }
            for r in found.results
        ]  # fmt: skip
        return Response(
            {"count": found.count, "results": results}, headers={"Cache-Control": "no-store"}
        )


def _page_of(request: Request) -> dict:
    page = request.query_params.get("page")
    return {"page": page} if page not in (None, "") else {}

"""Debtors API views (财产查控): thin doors onto ``debtors.services`` and ``selectors``.

Built like the enforcement and case-funds APIs: querysets through
``courtexec.visibility.restrict`` (another court's record is a 404), shapes checked by
serializers, rules and authorisation in the services (``ValidationError`` → 400,
``PermissionDenied`` → 403).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courtexec.api.exceptions import Conflict
from courtexec.api.permissions import CHANGE, VIEW, ModelPermissions
from courtexec.visibility import restrict
from debtors import rules, selectors, services
from debtors.api import serializers as s
from debtors.models import (
    BlacklistEntry,
    BlacklistExtension,
    CorrectionRequest,
    Deduction,
    DeletionTask,
    ExposureRecord,
    Finding,
    Freeze,
    FreezeRenewal,
    InvestigationRequest,
    InvestigatorRotation,
    RestrictionExemption,
    RestrictionOrder,
    RotationMember,
    Search,
)
from debtors.throttling import PublicSearchThrottle
from enforcement.api import serializers as s_api
from enforcement.api.serializers import ApiErrorSerializer
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


# --- The list's own API: entries, deletion tasks, corrections, restrictions, exposure ---------


CONFLICT = OpenApiResponse(
    ApiErrorSerializer, description="The record is not in a state that allows this."
)
STATE_ERRORS = {**WRITE_ERRORS, 409: CONFLICT}
# Field errors that say the record's state forbids the step (409), not that the input is bad.
CONFLICT_FIELDS = {"status", "withdrawn_on"}
CONFLICT_CODES = {"listed", "in_force", "already_exposed", "not_published", "withdrawn"}


def _call(service, **arguments):
    """Run a service; its state refusals become 409 ``Conflict`` (other refusals stay 400)."""
    try:
        return service(**arguments)
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for item in errors:
                    if field in CONFLICT_FIELDS or item.code in CONFLICT_CODES:
                        code = item.code if item.code not in {None, "invalid"} else "wrong_state"
                        raise Conflict(item.messages[0], code=code) from error
        raise


@extend_schema_field(OpenApiTypes.INT)
class GroundFilter(filters.TypedChoiceFilter):
    """One of the six grounds of Art. 1 (anything else is a 400, never a database error)."""


class BlacklistEntryFilterSet(filters.FilterSet):
    ground = GroundFilter(
        choices=rules.Ground.choices,
        coerce=int,
        method="filter_ground",
        label="Listed on this ground (1–6)",
    )

    class Meta:
        model = BlacklistEntry
        fields = ["status", "case", "respondent"]

    def filter_ground(self, queryset, name, value):
        return queryset if value is None else queryset.filter(grounds__contains=[int(value)])


@extend_schema_view(
    list=extend_schema(summary="Dishonest-debtor list entries (失信名单) by status, case, ground"),
    retrieve=extend_schema(summary="One list entry with its extensions"),
)
@extend_schema(tags=TAGS)
class BlacklistEntryViewSet(EnforcementViewSet):
    """Entries proposed → approved (president) → published → deleted (Art. 10) or corrected."""

    queryset = (
        BlacklistEntry.objects.select_related("case", "respondent__party")
        .prefetch_related(
            Prefetch("extensions", queryset=BlacklistExtension.objects.order_by("pk"))
        )
        .order_by("-created_at", "-pk")
    )
    serializer_class = s.BlacklistEntrySerializer
    filterset_class = BlacklistEntryFilterSet

    @extend_schema(
        summary="Propose listing a respondent; refused with every reason of the rules",
        request=s.ProposeListingSerializer,
        responses={201: s.BlacklistEntrySerializer, **STATE_ERRORS},
    )
    def create(self, request):
        data = self.validated(s.ProposeListingSerializer)
        assessment = data.pop("assessment", None)
        if assessment:
            assessment = rules.CoverageAssessment(
                outstanding=data["case"].outstanding, **assessment
            )
        data["grounds"] = [int(g) for g in data["grounds"]]
        entry = _call(services.propose_listing, **data, assessment=assessment, user=request.user)
        return self.respond(entry, code=status.HTTP_201_CREATED)

    def _step(self, service, serializer=None, **extra):
        entry = self.get_object()  # another court's entry is a 404 before any 400
        arguments = self.validated(serializer) if serializer else {}
        result = _call(service, entry=entry, user=self.request.user, **arguments)
        return self.respond(getattr(result, "entry", result))

    @extend_schema(
        summary="The court president approves (never the proposer)",
        request=None,
        responses={200: s.BlacklistEntrySerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def approve(self, request, pk=None):
        return self._step(services.approve_listing)

    @extend_schema(
        summary="Record service of the decision on the respondent",
        request=s.ServeSerializer,
        responses={200: s.BlacklistEntrySerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def serve(self, request, pk=None):
        return self._step(services.record_listing_service, s.ServeSerializer)

    @extend_schema(
        summary="Publish an approved entry (a consumption-restriction order follows)",
        request=None,
        responses={200: s.BlacklistEntrySerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def publish(self, request, pk=None):
        return self._step(services.publish_listing)

    @extend_schema(
        summary="The president extends the period by 1–3 years, with a reason",
        request=s.ExtendSerializer,
        responses={200: s.BlacklistEntrySerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=["debtors.add_blacklistextension"])
    def extend(self, request, pk=None):
        return self._step(services.extend_listing, s.ExtendSerializer)

    @extend_schema(
        summary="Delete on an Art. 10 ground (its open exposures are withdrawn the same day)",
        request=s.DeleteListingSerializer,
        responses={200: s.BlacklistEntrySerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="delete", required_perms=[CHANGE])
    def delete_entry(self, request, pk=None):
        return self._step(services.delete_listing, s.DeleteListingSerializer)

    @extend_schema(
        summary="File a correction request (Art. 11–12): reviewed within 15 days",
        request=s.FileCorrectionSerializer,
        responses={201: s.CorrectionRequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=["debtors.add_correctionrequest"])
    def corrections(self, request, pk=None):
        created = _call(
            services.request_correction,
            entry=self.get_object(),
            user=request.user,
            **self.validated(s.FileCorrectionSerializer),
        )
        return self.respond(
            created, code=status.HTTP_201_CREATED, serializer_class=s.CorrectionRequestSerializer
        )


@extend_schema_view(
    list=extend_schema(summary="Correction requests (Art. 11–12) by status or entry"),
    retrieve=extend_schema(summary="One correction request"),
)
@extend_schema(tags=TAGS)
class CorrectionRequestViewSet(EnforcementViewSet):
    queryset = CorrectionRequest.objects.select_related("entry").order_by("-received_on", "-pk")
    serializer_class = s.CorrectionRequestSerializer
    filterset_fields = ["status", "entry", "ground"]

    @extend_schema(
        summary="Uphold (correct within 3 working days) or reject",
        request=s.ReviewCorrectionSerializer,
        responses={200: s.CorrectionRequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def review(self, request, pk=None):
        reviewed = _call(
            services.review_correction,
            request=self.get_object(),
            user=request.user,
            **self.validated(s.ReviewCorrectionSerializer),
        )
        return self.respond(reviewed)

    @extend_schema(
        summary="Carry out an upheld request: the entry is corrected and leaves the list",
        request=None,
        responses={200: s.CorrectionRequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=["debtors.change_blacklistentry"])
    def correct(self, request, pk=None):
        correction = self.get_object()
        _call(services.correct_entry, request=correction, user=request.user)
        return self.respond(correction)


class DeletionTaskFilterSet(filters.FilterSet):
    overdue = filters.BooleanFilter(
        method="filter_overdue", label="Past the due date with the entry not yet deleted"
    )

    class Meta:
        model = DeletionTask
        fields = ["entry", "ground"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = selectors.overdue_deletion_tasks().values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)


@extend_schema_view(
    list=extend_schema(summary="Deletion tasks (Art. 10: within 3 working days); `overdue=true`"),
    retrieve=extend_schema(summary="One deletion task"),
)
@extend_schema(tags=TAGS)
class DeletionTaskViewSet(EnforcementViewSet):
    queryset = DeletionTask.objects.select_related(
        "entry__case", "entry__respondent__party"
    ).order_by("due_on", "pk")
    serializer_class = s.DeletionTaskSerializer
    filterset_class = DeletionTaskFilterSet


class RestrictionOrderFilterSet(filters.FilterSet):
    in_force = filters.BooleanFilter(field_name="lifted_on", lookup_expr="isnull", label="In force")

    class Meta:
        model = RestrictionOrder
        fields = ["case", "respondent", "entry"]


@extend_schema_view(
    list=extend_schema(summary="Consumption-restriction orders (限制消费令); `in_force=true`"),
    retrieve=extend_schema(summary="One restriction order"),
)
@extend_schema(tags=TAGS)
class RestrictionOrderViewSet(EnforcementViewSet):
    queryset = RestrictionOrder.objects.select_related("case", "respondent__party").order_by(
        "-issued_on", "-pk"
    )
    serializer_class = s.RestrictionOrderSerializer
    filterset_class = RestrictionOrderFilterSet

    @extend_schema(
        summary="Issue an order by hand (one in force per case and respondent)",
        request=s.IssueRestrictionSerializer,
        responses={201: s.RestrictionOrderSerializer, **STATE_ERRORS},
    )
    def create(self, request):
        order = _call(
            services.issue_restriction,
            user=request.user,
            **self.validated(s.IssueRestrictionSerializer),
        )
        return self.respond(order, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Lift: on full performance (must), security or the applicant's consent (may)",
        request=s.LiftRestrictionSerializer,
        responses={200: s.RestrictionOrderSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def lift(self, request, pk=None):
        order = _call(
            services.lift_restriction,
            order=self.get_object(),
            user=request.user,
            **self.validated(s.LiftRestrictionSerializer),
        )
        return self.respond(order)


@extend_schema_view(
    list=extend_schema(summary="Exemption requests for necessary spending"),
    retrieve=extend_schema(summary="One exemption request"),
)
@extend_schema(tags=TAGS)
class RestrictionExemptionViewSet(EnforcementViewSet):
    queryset = RestrictionExemption.objects.select_related("order").order_by("pk")
    serializer_class = s.RestrictionExemptionSerializer
    filterset_fields = ["order", "status", "item"]

    @extend_schema(
        summary="Request leave to spend on a restricted item",
        request=s.RequestExemptionSerializer,
        responses={201: s.RestrictionExemptionSerializer, **STATE_ERRORS},
    )
    def create(self, request):
        exemption = _call(
            services.request_exemption,
            user=request.user,
            **self.validated(s.RequestExemptionSerializer),
        )
        return self.respond(exemption, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The court approves or refuses",
        request=s.DecideExemptionSerializer,
        responses={200: s.RestrictionExemptionSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def decide(self, request, pk=None):
        exemption = _call(
            services.decide_exemption,
            exemption=self.get_object(),
            user=request.user,
            **self.validated(s.DecideExemptionSerializer),
        )
        return self.respond(exemption)


class ExposureFilterSet(filters.FilterSet):
    open = filters.BooleanFilter(field_name="withdrawn_on", lookup_expr="isnull", label="Open")

    class Meta:
        model = ExposureRecord
        fields = ["entry", "channel"]


@extend_schema_view(
    list=extend_schema(summary="Exposure records (360°曝光) by entry, channel, `open=true`"),
    retrieve=extend_schema(summary="One exposure record"),
)
@extend_schema(tags=TAGS)
class ExposureRecordViewSet(EnforcementViewSet):
    queryset = ExposureRecord.objects.select_related(
        "entry__case", "entry__respondent__party"
    ).order_by("-published_on", "-pk")
    serializer_class = s.ExposureRecordSerializer
    filterset_class = ExposureFilterSet

    @extend_schema(
        summary="Record that a published entry was exposed in a channel",
        request=s.RecordExposureSerializer,
        responses={201: s.ExposureRecordSerializer, **STATE_ERRORS},
    )
    def create(self, request):
        record = _call(
            services.record_exposure,
            user=request.user,
            **self.validated(s.RecordExposureSerializer),
        )
        return self.respond(record, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw an exposure (taken down), with the reason",
        request=s.WithdrawExposureSerializer,
        responses={200: s.ExposureRecordSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def withdraw(self, request, pk=None):
        record = _call(
            services.withdraw_exposure,
            record=self.get_object(),
            user=request.user,
            **self.validated(s.WithdrawExposureSerializer),
        )
        return self.respond(record)

    @extend_schema(
        summary="Your court's published entries in the national list's fields (Excel or CSV, "
        "full ID numbers: for the national system only); records a national-database exposure "
        "for each entry not already exposed there",
        request=s.NationalExportSerializer,
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            400: INVALID,
            403: FORBIDDEN,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="national-export",
        required_perms=["debtors.add_exposurerecord"],
        filter_backends=[],
    )
    def national_export(self, request):
        data = self.validated(s.NationalExportSerializer)
        export = services.export_national_list(
            court=user_court(request.user), user=request.user, fmt=data["format"]
        )
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["X-Exported"] = str(export.exported)
        response["X-Recorded"] = str(export.recorded)
        return response


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

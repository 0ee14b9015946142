"""Enforcement API views: thin doors onto ``enforcement.services`` and ``selectors``.

Every queryset goes through ``courtexec.visibility.restrict`` (or the selectors built on it),
so another court's record is a 404 and never appears in a list. A write validates the body's
shape with a serializer, then calls one service with ``validated_data``; the service's
``ValidationError`` / ``PermissionDenied`` become 400 / 403 in ``courtexec.api.exceptions``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from courtexec.api.permissions import ADD, CHANGE, ModelPermissions
from courtexec.models import Court, User
from courtexec.visibility import restrict
from enforcement import selectors, services
from enforcement.api import serializers as s
from enforcement.filtersets import (
    CaseFilterSet,
    ConsultationFilterSet,
    FieldActionFilterSet,
    MeasureFilterSet,
    ObjectionFilterSet,
    TravelRequestFilterSet,
)
from enforcement.models import (
    Campaign,
    CaseParty,
    CoerciveMeasure,
    Consultation,
    EnforcementCase,
    FieldAction,
    JointMeeting,
    MeetingDecision,
    Objection,
    Party,
    TravelRequest,
)
from enforcement.views import field_photo_response

INVALID = OpenApiResponse(s.ApiErrorSerializer, description="Invalid input, named by field.")
FORBIDDEN = OpenApiResponse(s.ApiErrorSerializer, description="Your role may not do this.")
NOT_FOUND = OpenApiResponse(s.ApiErrorSerializer, description="No such record in your court.")
WRITE_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}


def user_court(user: User) -> Court:
    if user.court_id is None:
        raise PermissionDenied(_("Your account is not attached to a court."))
    return user.court


class VisibleFilterBackend(DjangoFilterBackend):
    """The app's FilterSets (shared with the UI), narrowed to what the user may see.

    A FilterSet that takes ``user=`` (the case list) gets it, and every model-choice filter
    only accepts visible records: another court's id is refused (400) like an unknown one,
    rather than confirmed by an empty page.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if getattr(view, "filterset_takes_user", False):
            kwargs["user"] = request.user
        return kwargs

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for filter_ in filterset.filters.values():
            choices = getattr(filter_, "queryset", None)
            if isinstance(filter_, QuerySetRequestMixin) and choices is not None:
                filter_.queryset = restrict(choices.all(), request.user)
                filter_.__dict__.pop("_field", None)  # a form field built before is stale
        return filterset


class EnforcementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and read the visible records of one model; writes are the subclasses' actions."""

    permission_classes = [ModelPermissions]
    filter_backends = [VisibleFilterBackend]
    # Set per action with ``@action(required_perms=[...])``; see ``ModelPermissions``.
    required_perms: list[str] | None = None
    filterset_takes_user = False

    def get_queryset(self):
        queryset = self.queryset.all()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return restrict(queryset, self.request.user)

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(
        self, instance, *, code: int = status.HTTP_200_OK, serializer_class=None, reload=None
    ):
        """``instance`` serialized; one of the viewset's own model is first re-read through the
        visible queryset, with the prefetches its serializer relies on."""
        if reload is None:
            reload = serializer_class is None
        serializer_class = serializer_class or self.get_serializer_class()
        if reload:
            instance = self.get_queryset().get(pk=instance.pk)
        return Response(
            serializer_class(instance, context=self.get_serializer_context()).data, status=code
        )


# --- Parties ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Parties your court sees (search by name or identity number)"),
    retrieve=extend_schema(summary="One party"),
)
@extend_schema(tags=["parties"])
class PartyViewSet(EnforcementViewSet):
    """Natural persons and organisations: one record per identity number."""

    queryset = Party.objects.all()
    serializer_class = s.PartySerializer
    filter_backends = [VisibleFilterBackend, SearchFilter, OrderingFilter]
    filterset_fields = ["kind"]
    search_fields = ["name", "=id_number"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Party.objects.none()
        return selectors.visible_parties(self.request.user)

    @extend_schema(
        summary="Register a party, or find the one with this identity number",
        request=s.PartySerializer,
        responses={
            201: OpenApiResponse(s.PartySerializer, description="Registered."),
            200: OpenApiResponse(
                s.PartySerializer, description="A party with this identity number exists."
            ),
            400: INVALID,
            403: FORBIDDEN,
        },
        examples=[
            OpenApiExample(
                "Natural person",
                request_only=True,
                value={
                    "kind": "person",
                    "name": "张三",
                    "id_number": "11010519491231002X",
                    "phone": "13900000001",
                    "address": "杭州市下城区某某路1号",
                },
            ),
            OpenApiExample(
                "Organisation",
                request_only=True,
                value={
                    "kind": "organisation",
                    "name": "杭州某某贸易有限公司",
                    "id_number": "91110000600037341L",
                    "legal_representative": "李四",
                },
            ),
        ],
    )
    def create(self, request):
        data = self.validated(s.PartySerializer)
        data["id_number"] = data.get("id_number") or ""
        started = timezone.now()
        party = services.register_party(court=user_court(request.user), **data)
        # register_party answers with the existing party for a known identity number.
        code = status.HTTP_201_CREATED if party.created_at >= started else status.HTTP_200_OK
        # A known party may be registered by, and visible to, another court only: no re-read.
        return self.respond(party, code=code, reload=False)


# --- Cases ------------------------------------------------------------------------------------

FILING_EXAMPLE = {
    "type_code": "执",
    "category": "financial",
    "issuing_body": "杭州市下城区人民法院",
    "instrument_number": "(2016)浙0103民初100号",
    "instrument_effective_on": "2016-03-01",
    "instrument_kind": "litigation",
    "amount_to_enforce": "120000.00",
    "filed_on": "2016-04-01",
    "judge": 7,
    "assistants": [9],
    "flags": [],
    "parties": [
        {
            "party": 1,
            "role": "applicant",
            "payee_bank": "中国工商银行杭州分行",
            "payee_account_name": "张三",
            "payee_account_number": "6222020202020202020",
        },
        {"party": 2, "role": "respondent"},
    ],
}
EXTENSION_ID = OpenApiParameter(
    "extension_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Extension request id."
)
TIMELINE_KIND = OpenApiParameter(
    "kind",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    many=True,
    enum=list(selectors.TIMELINE_KINDS),
    description="Only these kinds of event (repeat the parameter or separate with commas).",
)


@extend_schema_view(
    list=extend_schema(
        summary="Cases your court sees",
        description="Filters as on the case list page; `q` searches the case number, a "
        "party's name or identity number; `ordering` sorts (`-due_on`, `amount`, ...).",
    ),
    retrieve=extend_schema(summary="One case with its parties and extension requests"),
)
@extend_schema(tags=["cases"])
class CaseViewSet(EnforcementViewSet):
    """Enforcement cases (执行案件) from filing to closure."""

    queryset = EnforcementCase.objects.all()
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    filterset_takes_user = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EnforcementCase.objects.none()
        return selectors.visible_cases(self.request.user).prefetch_related(
            "assistants",
            "extensions",
            Prefetch("parties", queryset=CaseParty.objects.select_related("party")),
        )

    @extend_schema(
        summary="File (立案) and number a case",
        description="The case belongs to your court. Without `legacy_number` the next number "
        "of the court's sequence for the type and year is issued, e.g. (2016)浙0103执1号.",
        request=s.CaseFilingSerializer,
        responses={201: s.CaseSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "File a first-enforcement case", value=FILING_EXAMPLE, request_only=True
            ),
            OpenApiExample(
                "Import a case under its legacy number",
                value={**FILING_EXAMPLE, "legacy_number": "(2015)杭下执民字第2741号"},
                request_only=True,
            ),
            OpenApiExample(
                "Duplicate legacy number",
                value={
                    "detail": "Invalid input.",
                    "code": "invalid",
                    "fields": {"legacy_number": ["A case with this number already exists."]},
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def create(self, request):
        data = self.validated(s.CaseFilingSerializer)
        parties = [services.PartyRole(**link) for link in data.pop("parties")]
        case = services.file_case(
            court=user_court(request.user), user=request.user, parties=parties, **data
        )
        return self.respond(case, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Conclude (结案) the case",
        description="终本 (`terminated_for_now`) needs every condition of the rule; each unmet "
        "one is listed under `fields.mode`. 执行完毕 (`performed`) needs nothing left to pay.",
        request=s.CloseCaseSerializer,
        responses={200: s.CaseSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Fully performed (执行完毕)",
                value={"mode": "performed", "reason": "被执行人已全部履行。", "on": "2016-09-30"},
                request_only=True,
            ),
            OpenApiExample(
                "Terminated for now (终本)",
                value={"mode": "terminated_for_now", "reason": "经网络查控未发现可供执行财产。"},
                request_only=True,
            ),
            OpenApiExample(
                "终本 conditions not met",
                value={
                    "detail": "Invalid input.",
                    "code": "invalid",
                    "fields": {
                        "mode": [
                            "Issue the consumption restriction order.",
                            "Search for a missing debtor and punish any obstruction.",
                        ]
                    },
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def close(self, request, pk=None):
        case = self.get_object()
        services.close_case(case=case, user=request.user, **self.validated(s.CloseCaseSerializer))
        return self.respond(case)

    @extend_schema(
        summary="Ask the president for more time (at most 3 months in all)",
        request=s.ExtendCaseSerializer,
        responses={201: s.DeadlineExtensionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Two more months",
                value={"months": 2, "reason": "拍卖程序尚未完成。"},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], required_perms=["enforcement.add_deadlineextension"])
    def extend(self, request, pk=None):
        case = self.get_object()
        extension = services.request_extension(
            case=case, user=request.user, **self.validated(s.ExtendCaseSerializer)
        )
        return self.respond(
            extension, code=status.HTTP_201_CREATED, serializer_class=s.DeadlineExtensionSerializer
        )

    @extend_schema(
        summary="The president decides an extension request",
        parameters=[EXTENSION_ID],
        request=s.DecideExtensionSerializer,
        responses={200: s.DeadlineExtensionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Approve", value={"approve": True, "note": "同意。"}, request_only=True)
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"extensions/(?P<extension_pk>[0-9]+)/decide",
        url_name="decide-extension",
        required_perms=["enforcement.change_deadlineextension"],
    )
    def decide_extension(self, request, pk=None, extension_pk=None):
        case = self.get_object()
        extension = get_object_or_404(case.extensions.all(), pk=extension_pk)
        extension = services.decide_extension(
            extension=extension, user=request.user, **self.validated(s.DecideExtensionSerializer)
        )
        return self.respond(extension, serializer_class=s.DeadlineExtensionSerializer)

    @extend_schema(
        summary="Resume (恢复执行) a concluded case as a new 执恢 case",
        request=s.ResumeCaseSerializer,
        responses={201: s.CaseSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[ADD, CHANGE])
    def resume(self, request, pk=None):
        case = self.get_object()
        data = self.validated(s.ResumeCaseSerializer)
        resumed = services.resume_case(case=case, user=request.user, **data)
        return self.respond(resumed, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a procedural step (the dates the 终本 rule checks)",
        request=s.MilestoneSerializer,
        responses={200: s.CaseSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Execution notice sent",
                value={"milestone": "execution_notice_sent_on", "on": "2016-04-02"},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def milestones(self, request, pk=None):
        case = self.get_object()
        services.record_milestone(
            case=case, user=request.user, **self.validated(s.MilestoneSerializer)
        )
        return self.respond(case)

    @extend_schema(
        summary="Add a party to the case (a further applicant, respondent or a third party)",
        request=s.CasePartyInputSerializer,
        responses={201: s.CasePartySerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Third party",
                value={"party": 12, "role": "third_party"},
                request_only=True,
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="parties",
        required_perms=["enforcement.add_caseparty"],
    )
    def add_party(self, request, pk=None):
        case = self.get_object()
        link = services.add_case_party(
            case=case,
            user=request.user,
            link=services.PartyRole(**self.validated(s.CasePartyInputSerializer)),
        )
        return Response(s.CasePartySerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record that the respondent shows no grounds for the dishonest-debtor list",
        request=None,
        responses={200: s.CaseSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="no-blacklist-grounds", required_perms=[CHANGE])
    def no_blacklist_grounds(self, request, pk=None):
        case = self.get_object()
        services.record_no_blacklist_grounds(case=case, user=request.user)
        return self.respond(case)

    @extend_schema(
        summary="Reassign the case to another judge (bureau or section chief)",
        request=s.ReassignCaseSerializer,
        responses={200: s.CaseSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def reassign(self, request, pk=None):
        case = self.get_object()
        data = self.validated(s.ReassignCaseSerializer)
        services.reassign_case(
            case=case,
            user=request.user,
            judge=data["judge"],
            assistants=data.get("assistants", []),
            reason=data["reason"],
        )
        return self.respond(case)

    @extend_schema(
        summary="Suspend (中止) the case, or let a suspended case continue",
        request=s.SuspendCaseSerializer,
        responses={200: s.CaseSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def suspend(self, request, pk=None):
        case = self.get_object()
        services.set_suspended(
            case=case, user=request.user, **self.validated(s.SuspendCaseSerializer)
        )
        return self.respond(case)

    @extend_schema(
        summary="Record money performed outside the court account",
        request=s.PerformanceSerializer,
        responses={200: s.CaseSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def performance(self, request, pk=None):
        case = self.get_object()
        services.record_performance(
            case=case, user=request.user, **self.validated(s.PerformanceSerializer)
        )
        return self.respond(case)

    @extend_schema(
        summary="Order an asset disposal",
        description="Above `JOINT_MEETING_DISPOSAL_THRESHOLD` (or for a case flagged "
        "`large_disposal`) a joint meeting must have approved at least this amount first; "
        "otherwise the answer is a 400 with code `joint_meeting_required`.",
        request=s.AssetDisposalSerializer,
        responses={201: s.AssetDisposalSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Auction of a flat",
                value={"description": "杭州市下城区某小区住宅一套", "amount": "2500000.00"},
                request_only=True,
            ),
            OpenApiExample(
                "No joint-meeting approval",
                value={
                    "detail": "A disposal of this size needs the joint meeting's approval "
                    "(联席会议) first.",
                    "code": "joint_meeting_required",
                    "fields": {"amount": ["..."]},
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    @action(detail=True, methods=["post"], required_perms=["enforcement.add_assetdisposal"])
    def disposals(self, request, pk=None):
        case = self.get_object()
        data = self.validated(s.AssetDisposalSerializer)
        disposal = services.order_disposal(case=case, user=request.user, **data)
        return self.respond(
            disposal, code=status.HTTP_201_CREATED, serializer_class=s.AssetDisposalSerializer
        )

    @extend_schema(
        summary="Everything that happened to the case, newest first",
        parameters=[TIMELINE_KIND],
        responses={200: s.TimelineEventSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        case = self.get_object()
        kinds = {
            kind.strip()
            for value in request.query_params.getlist("kind")
            for kind in value.split(",")
            if kind.strip()
        }
        unknown = sorted(kinds - set(selectors.TIMELINE_KINDS))
        if unknown:
            raise exceptions.ValidationError(
                {"kind": [_("Unknown kind: %(kind)s.") % {"kind": kind} for kind in unknown]}
            )
        events = selectors.case_timeline(case, kinds or None)
        return Response(s.TimelineEventSerializer(events, many=True).data)


# --- Consultations ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Consultations (会诊) on your court's cases"),
    retrieve=extend_schema(summary="One consultation"),
)
@extend_schema(tags=["consultations"])
class ConsultationViewSet(EnforcementViewSet):
    queryset = Consultation.objects.select_related("case").prefetch_related("participants")
    serializer_class = s.ConsultationSerializer
    filterset_class = ConsultationFilterSet

    @extend_schema(
        summary="Record a consultation on a case open for more than three months",
        request=s.ConsultationSerializer,
        responses={201: s.ConsultationSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Consultation",
                request_only=True,
                value={
                    "case": 1,
                    "held_on": "2016-07-15",
                    "participants": [7, 8],
                    "findings": "被执行人名下车辆一辆，已查封。",
                    "next_steps": "委托评估拍卖。",
                    "follow_up_due": "2016-08-15",
                },
            )
        ],
    )
    def create(self, request):
        data = self.validated(s.ConsultationSerializer)
        consultation = services.record_consultation(user=request.user, **data)
        return self.respond(consultation, code=status.HTTP_201_CREATED)


# --- Joint meetings ---------------------------------------------------------------------------

DECISION_ID = OpenApiParameter(
    "decision_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Agenda item id."
)


@extend_schema_view(
    list=extend_schema(summary="Joint meetings (局长、科长联席会议) with their agenda"),
    retrieve=extend_schema(summary="One joint meeting with its agenda and decisions"),
)
@extend_schema(tags=["meetings"])
class JointMeetingViewSet(EnforcementViewSet):
    queryset = JointMeeting.objects.select_related("chaired_by").prefetch_related(
        "attendees", Prefetch("decisions", queryset=MeetingDecision.objects.select_related("case"))
    )
    serializer_class = s.JointMeetingSerializer
    filterset_fields = {"held_on": ["gte", "lte"]}

    @extend_schema(
        summary="Convene a joint meeting (bureau or section chief)",
        request=s.JointMeetingSerializer,
        responses={201: s.JointMeetingSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Meeting",
                value={"held_on": "2016-08-01", "attendees": [3, 4, 5]},
                request_only=True,
            )
        ],
    )
    def create(self, request):
        data = self.validated(s.JointMeetingSerializer)
        meeting = services.convene_meeting(
            court=user_court(request.user), user=request.user, **data
        )
        return self.respond(meeting, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Put a case on the meeting's agenda",
        request=s.MeetingDecisionSerializer,
        responses={201: s.MeetingDecisionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Disposal",
                value={"case": 1, "matter": "拍卖被执行人名下房产（估值250万元）"},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], required_perms=["enforcement.add_meetingdecision"])
    def agenda(self, request, pk=None):
        meeting = self.get_object()
        data = self.validated(s.MeetingDecisionSerializer)
        item = services.put_on_agenda(meeting=meeting, user=request.user, **data)
        return self.respond(
            item, code=status.HTTP_201_CREATED, serializer_class=s.MeetingDecisionSerializer
        )

    @extend_schema(
        summary="Record the meeting's decision and vote on an agenda item",
        parameters=[DECISION_ID],
        request=s.DecideAgendaItemSerializer,
        responses={200: s.MeetingDecisionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Approve a disposal",
                value={
                    "decision": "approved",
                    "discussion": "同意拍卖。",
                    "votes_for": 3,
                    "votes_against": 0,
                    "abstentions": 0,
                    "approved_amount": "2500000.00",
                },
                request_only=True,
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"decisions/(?P<decision_pk>[0-9]+)/decide",
        url_name="decide",
        required_perms=["enforcement.change_meetingdecision"],
    )
    def decide(self, request, pk=None, decision_pk=None):
        meeting = self.get_object()
        item = get_object_or_404(meeting.decisions.all(), pk=decision_pk)
        item = services.record_meeting_decision(
            item=item, user=request.user, **self.validated(s.DecideAgendaItemSerializer)
        )
        return self.respond(item, serializer_class=s.MeetingDecisionSerializer)


# --- Objections -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Objections (执行异议); `overdue=true` for those past review"),
    retrieve=extend_schema(summary="One objection"),
)
@extend_schema(tags=["objections"])
class ObjectionViewSet(EnforcementViewSet):
    queryset = Objection.objects.select_related("case")
    serializer_class = s.ObjectionSerializer
    filterset_class = ObjectionFilterSet

    @extend_schema(
        summary="File an objection (reviewed within 15 days)",
        request=s.ObjectionSerializer,
        responses={201: s.ObjectionSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Outsider's objection",
                request_only=True,
                value={
                    "case": 1,
                    "objector_name": "赵六",
                    "contested_act": "查封的车辆系案外人所有。",
                    "filed_on": "2016-05-10",
                },
            )
        ],
    )
    def create(self, request):
        data = self.validated(s.ObjectionSerializer)
        objection = services.file_objection(user=request.user, **data)
        return self.respond(objection, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rule on the objection",
        request=s.RuleObjectionSerializer,
        responses={200: s.ObjectionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Dismissed",
                value={
                    "ruling": "dismissed",
                    "reason": "异议理由不成立。",
                    "ruled_on": "2016-05-20",
                },
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def rule(self, request, pk=None):
        objection = self.get_object()
        services.rule_on_objection(
            objection=objection, user=request.user, **self.validated(s.RuleObjectionSerializer)
        )
        return self.respond(objection)


# --- Coercive measures ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Coercive measures: detentions, fines, transfers to police"),
    retrieve=extend_schema(summary="One coercive measure"),
)
@extend_schema(tags=["measures"])
class CoerciveMeasureViewSet(EnforcementViewSet):
    queryset = CoerciveMeasure.objects.select_related("case", "subject")
    serializer_class = s.CoerciveMeasureSerializer
    filterset_class = MeasureFilterSet

    @extend_schema(
        summary="Decide a coercive measure",
        description="Detention 1–15 days (a person only); a fine at most 100,000 yuan on a "
        "person, 50,000–1,000,000 yuan on an organisation. Detentions and fines then await "
        "the president's approval.",
        request=s.CoerciveMeasureSerializer,
        responses={201: s.CoerciveMeasureSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Detention",
                request_only=True,
                value={
                    "case": 1,
                    "kind": "detention",
                    "subject": 3,
                    "detention_days": 15,
                    "reason": "拒不履行生效判决。",
                    "decided_on": "2016-06-01",
                },
            ),
            OpenApiExample(
                "Fine on an organisation",
                request_only=True,
                value={
                    "case": 1,
                    "kind": "fine",
                    "subject": 2,
                    "fine_amount": "50000.00",
                    "reason": "拒不报告财产。",
                    "decided_on": "2016-06-01",
                },
            ),
        ],
    )
    def create(self, request):
        data = self.validated(s.CoerciveMeasureSerializer)
        measure = services.decide_measure(user=request.user, **data)
        return self.respond(measure, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The president's written approval",
        request=None,
        responses={200: s.CoerciveMeasureSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def approve(self, request, pk=None):
        measure = self.get_object()
        services.approve_measure(measure=measure, user=request.user)
        return self.respond(measure)

    @extend_schema(
        summary="Record when the detained person's family was told (within 24 hours)",
        request=s.FamilyNoticeSerializer,
        responses={200: s.CoerciveMeasureSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="family-notice", required_perms=[CHANGE])
    def family_notice(self, request, pk=None):
        measure = self.get_object()
        services.record_family_notice(
            measure=measure,
            user=request.user,
            notified_at=self.validated(s.FamilyNoticeSerializer)["notified_at"],
        )
        return self.respond(measure)

    @extend_schema(
        summary="Record the higher court's review (requested within 3 days, decided within 5)",
        request=s.MeasureReviewSerializer,
        responses={200: s.CoerciveMeasureSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def review(self, request, pk=None):
        measure = self.get_object()
        services.record_review(
            measure=measure, user=request.user, **self.validated(s.MeasureReviewSerializer)
        )
        return self.respond(measure)


# --- Field work -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Field-work trail (办案轨迹)"),
    retrieve=extend_schema(summary="One field action with its photos"),
)
@extend_schema(tags=["field-actions"])
class FieldActionViewSet(EnforcementViewSet):
    queryset = FieldAction.objects.select_related("case", "officer").prefetch_related("photos")
    serializer_class = s.FieldActionSerializer
    filterset_class = FieldActionFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Record a field action, with photos (multipart/form-data)",
        request=s.FieldActionSerializer,
        responses={201: s.FieldActionSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Visit",
                request_only=True,
                value={
                    "case": 1,
                    "kind": "visit",
                    "occurred_at": "2016-05-03T10:30:00+08:00",
                    "place": "杭州市下城区某某路1号",
                    "latitude": "30.276000",
                    "longitude": "120.170000",
                    "participants": "王法官、李书记员",
                    "notes": "被执行人不在家，向邻居了解情况。",
                },
            )
        ],
    )
    def create(self, request):
        data = self.validated(s.FieldActionSerializer)
        action_ = services.record_field_action(user=request.user, **data)
        return self.respond(action_, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download one photo of a field action",
        responses={(200, "image/*"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"photos/(?P<photo_pk>\d+)",
        filter_backends=[],
        pagination_class=None,
    )
    def photo(self, request, pk=None, photo_pk=None):
        field_action = self.get_object()
        return field_photo_response(get_object_or_404(field_action.photos, pk=photo_pk))


# --- Travel and tickets -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Out-of-town trips (外出办案) with their tickets"),
    retrieve=extend_schema(summary="One trip with its tickets"),
)
@extend_schema(tags=["ticket-requests"])
class TravelRequestViewSet(EnforcementViewSet):
    queryset = TravelRequest.objects.select_related("case").prefetch_related(
        "travellers", "tickets__traveller"
    )
    serializer_class = s.TravelRequestSerializer
    filterset_class = TravelRequestFilterSet

    @extend_schema(
        summary="Request a trip",
        request=s.TravelRequestSerializer,
        responses={201: s.TravelRequestSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Trip",
                request_only=True,
                value={
                    "case": 1,
                    "destination": "温州市",
                    "purpose": "查封被执行人房产。",
                    "depart_on": "2016-06-10",
                    "return_on": "2016-06-11",
                    "travellers": [7, 9],
                },
            )
        ],
    )
    def create(self, request):
        data = self.validated(s.TravelRequestSerializer)
        travel = services.request_travel(user=request.user, **data)
        return self.respond(travel, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The bureau chief approves or rejects the trip",
        request=s.DecideTravelSerializer,
        responses={200: s.TravelRequestSerializer, **WRITE_ERRORS},
        examples=[OpenApiExample("Approve", value={"approve": True}, request_only=True)],
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def decide(self, request, pk=None):
        travel = self.get_object()
        services.decide_travel(
            travel=travel, user=request.user, **self.validated(s.DecideTravelSerializer)
        )
        return self.respond(travel)

    @extend_schema(
        summary="The designated clerk records a ticket bought (never the traveller)",
        request=s.TicketSerializer,
        responses={201: s.TicketSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Train",
                request_only=True,
                value={
                    "traveller": 7,
                    "mode": "train",
                    "reference": "G7311-05-12F",
                    "travel_on": "2016-06-10",
                    "price": "177.50",
                },
            )
        ],
    )
    @action(detail=True, methods=["post"], required_perms=["enforcement.buy_tickets"])
    def tickets(self, request, pk=None):
        travel = self.get_object()
        ticket = services.record_ticket(
            travel=travel, user=request.user, **self.validated(s.TicketSerializer)
        )
        return self.respond(
            ticket, code=status.HTTP_201_CREATED, serializer_class=s.TicketSerializer
        )


# --- Campaigns --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Special enforcement campaigns (专项执行活动) with their figures"),
    retrieve=extend_schema(summary="One campaign with its figures"),
)
@extend_schema(tags=["campaigns"])
class CampaignViewSet(EnforcementViewSet):
    queryset = Campaign.objects.select_related("court")
    serializer_class = s.CampaignSerializer
    filterset_fields = {"starts_on": ["gte", "lte"]}

    @extend_schema(
        summary="Start a campaign (bureau chief or president)",
        request=s.CampaignSerializer,
        responses={201: s.CampaignSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Livelihood campaign",
                request_only=True,
                value={
                    "name": "涉民生案件专项执行活动",
                    "starts_on": "2015-11-01",
                    "ends_on": "2016-01-31",
                    "categories": ["livelihood"],
                    "description": "集中清理拖欠劳动报酬等涉民生案件。",
                },
            )
        ],
    )
    def create(self, request):
        data = self.validated(s.CampaignSerializer)
        campaign = services.create_campaign(
            court=user_court(request.user), user=request.user, **data
        )
        return self.respond(campaign, code=status.HTTP_201_CREATED)

"""Case messaging API under ``/api/v1/liaison/``: the court's threads (list, messages, reply,
read) and reply-time figures for staff; the party's own thread on one of its cases. Thin: the
selectors decide who sees what (anything else is a 404), the services write (400 field errors,
403 for someone who may not answer)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.api.views import FORBIDDEN, INVALID, NOT_FOUND, WRITE_ERRORS
from enforcement.liaison import selectors, services
from enforcement.liaison.forms_messaging import InboxFilterForm, PeriodForm
from enforcement.liaison.models import Message, MessageAttachment, Thread
from enforcement.liaison.portal import IsParty

PARSERS = [JSONParser, MultiPartParser, FormParser]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = MessageAttachment
        fields = ["id", "original_name", "content_type", "size", "url"]
        read_only_fields = fields

    def get_url(self, attachment: MessageAttachment) -> str:
        return reverse(self.context["attachment_url"], args=[attachment.pk])


class MessageSerializer(serializers.ModelSerializer):
    author_display = serializers.CharField(source="get_author_display", read_only=True)
    staff_author_name = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author", "author_display", "staff_author", "staff_author_name", "body",
                  "via", "is_auto_reply", "created_at", "read_at", "attachments"]  # fmt: skip
        read_only_fields = fields

    def get_staff_author_name(self, message: Message) -> str:
        return str(message.staff_author or "")


class ThreadSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    party_name = serializers.CharField(source="party.name", read_only=True)
    judge = serializers.IntegerField(source="case.judge_id", read_only=True)
    unread = serializers.IntegerField(
        read_only=True, help_text=_("Party messages the court has not read.")
    )

    class Meta:
        model = Thread
        fields = ["id", "case", "case_number", "party", "party_name", "judge", "created_at",
                  "last_message_at", "awaiting_reply_since", "flagged_at", "unread"]  # fmt: skip
        read_only_fields = fields


class ThreadDetailSerializer(ThreadSerializer):
    messages = MessageSerializer(many=True, read_only=True, source="message_list")

    class Meta(ThreadSerializer.Meta):
        fields = [*ThreadSerializer.Meta.fields, "messages"]
        read_only_fields = fields


class PostMessageSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("JPEG, PNG or WebP images or PDF documents (multipart upload)."),
    )


class ReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("Messages marked read by this call."))


class PortalThreadSerializer(serializers.Serializer):
    """The party's view of its thread: the case, the judge and the messages."""

    case = serializers.IntegerField()
    case_number = serializers.CharField()
    judge_name = serializers.CharField()
    messages = MessageSerializer(many=True)


class ReplyTimesSerializer(serializers.Serializer):
    judge = serializers.IntegerField(source="judge.pk")
    judge_name = serializers.CharField(source="judge.__str__")
    answered = serializers.IntegerField()
    median_seconds = serializers.SerializerMethodField()
    p90_seconds = serializers.SerializerMethodField()
    unanswered = serializers.IntegerField()

    def get_median_seconds(self, figure) -> int | None:
        return None if figure.median is None else round(figure.median.total_seconds())

    def get_p90_seconds(self, figure) -> int | None:
        return None if figure.p90 is None else round(figure.p90.total_seconds())


class ViewsThreads(BasePermission):
    """Staff holding ``liaison.view_thread`` (which threads: ``selectors``)."""

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and request.user.has_perm("liaison.view_thread")


INBOX_FILTERS = [
    OpenApiParameter("awaiting", OpenApiTypes.BOOL, description="Only threads awaiting a reply."),
    OpenApiParameter("flagged", OpenApiTypes.BOOL, description="Only threads flagged to a chief."),
    OpenApiParameter("case", OpenApiTypes.STR, description="A case id or part of its number."),
]


@extend_schema_view(
    list=extend_schema(
        summary="The liaison inbox: threads of my cases (a chief: the court's)",
        parameters=INBOX_FILTERS,
    ),
    retrieve=extend_schema(
        summary="One thread with its messages", responses={200: ThreadDetailSerializer}
    ),
)
class ThreadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ThreadSerializer
    permission_classes = [ViewsThreads]
    filter_backends: list = []
    parser_classes = PARSERS
    queryset = Thread.objects.none()  # the schema's model; requests use get_queryset

    def get_queryset(self):
        threads = selectors.inbox_threads(self.request.user)
        if self.action == "list":
            filters = InboxFilterForm(self.request.query_params or None)
            if filters.is_valid():
                threads = selectors.filter_threads(threads, **filters.cleaned_data)
            return threads
        # One thread: any thread of a case the user sees, as on the pages.
        return selectors.with_unread(selectors.visible_threads(self.request.user))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "attachment_url": "liaison:attachment"}

    def retrieve(self, request, *args, **kwargs):
        thread = self.get_object()
        thread.message_list = list(selectors.thread_messages(thread))
        return Response(ThreadDetailSerializer(thread, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Answer the party (the case's judge or an assistant)",
        request={
            "multipart/form-data": PostMessageSerializer,
            "application/json": PostMessageSerializer,
        },
        responses={201: MessageSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        thread = self.get_object()
        body = PostMessageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = services.post_staff_message(
            thread=thread, user=request.user, via=Message.Via.API, **body.validated_data
        )
        data = MessageSerializer(message, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark the party's messages read (the case's judge or an assistant)",
        request=None,
        responses={200: ReadSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        thread = self.get_object()
        return Response({"marked": services.mark_read_by_staff(thread=thread, user=request.user)})


class ReplyTimesView(APIView):
    permission_classes = [ViewsThreads]

    @extend_schema(
        summary="Each judge's reply times over a period (chiefs)",
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day (default: 30 days ago)."
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Last day, inclusive (default: today)."
            ),
        ],
        responses={200: ReplyTimesSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def get(self, request):
        if not selectors.is_overseer(request.user):
            raise ApiPermissionDenied(_("Your role may not do this."))
        form = PeriodForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.api_errors())
        start, end = selectors.period_bounds(*form.period())
        figures = selectors.reply_times(request.user, start=start, end=end)
        return Response(ReplyTimesSerializer(figures, many=True).data)


class PortalThreadView(APIView):
    """The party's own thread on one of its cases (any other case is a 404)."""

    permission_classes = [IsParty]
    parser_classes = PARSERS

    def _body(self, request, case):
        thread = selectors.party_thread(request.portal_account, case)
        messages = selectors.thread_messages(thread) if thread else []
        context = {"request": request, "attachment_url": "liaison:portal-attachment"}
        data = {
            "case": case.pk,
            "case_number": case.number,
            "judge_name": str(case.judge),
            "messages": messages,
        }
        return PortalThreadSerializer(data, context=context).data

    @extend_schema(
        summary="My thread with the judge of my case (marks the court's messages read)",
        responses={200: PortalThreadSerializer, 404: NOT_FOUND},
    )
    def get(self, request, case_pk: int):
        account = request.portal_account
        case = selectors.party_case(account, case_pk)
        thread = selectors.party_thread(account, case)
        if thread is not None:
            services.mark_read_by_party(account=account, thread=thread)
        return Response(self._body(request, case))

    @extend_schema(
        summary="Write to the judge of my case",
        request={
            "multipart/form-data": PostMessageSerializer,
            "application/json": PostMessageSerializer,
        },
        responses={201: MessageSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request, case_pk: int):
        account = request.portal_account
        case = selectors.party_case(account, case_pk)
        body = PostMessageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = services.post_party_message(
            account=account, case=case, via=Message.Via.API, **body.validated_data
        )
        context = {"request": request, "attachment_url": "liaison:portal-attachment"}
        return Response(MessageSerializer(message, context=context).data, status=201)

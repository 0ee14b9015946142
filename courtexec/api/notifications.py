"""API of the notification centre under ``/api/v1/notifications/``: a user's own inbox (list,
unread count, mark read) and channel preferences. Nobody reaches another person's notification:
it is simply not in their inbox (404)."""

from __future__ import annotations

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from courtexec import notification_kinds as kinds
from courtexec import notifications, selectors
from courtexec.models import Delivery, Notification
from enforcement.api.views import INVALID, NOT_FOUND

TAGS = ["notifications"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "category", "message", "link", "created_at",
                  "read_at"]  # fmt: skip
        read_only_fields = fields


class PreferenceSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=kinds.PREFERENCE_CATEGORY_CHOICES)
    label = serializers.CharField(read_only=True)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Delivery.Channel.choices),
        help_text=_("Outside channels for this category; the kinds' defaults while unset."),
    )
    uses_defaults = serializers.BooleanField(read_only=True)
    always_sms = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Urgent kinds of this category: always also by text message."),
    )


class PreferencesUpdateSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(many=True)


UNREAD = OpenApiParameter("unread", bool, description="Only unread notifications.")
KIND = OpenApiParameter("kind", str, enum=list(kinds.KINDS), description="Only this kind.")
CATEGORY = OpenApiParameter(
    "category", str, enum=kinds.Category.values, description="Only this category."
)
COUNT = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
MARKED = inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(tags=TAGS, parameters=[UNREAD, KIND, CATEGORY], summary="My notifications"),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    filter_backends: list = []
    lookup_value_regex = "[0-9]{1,18}"  # not r"\d": "²" would match, and int("²") fails

    def get_queryset(self):
        params = self.request.query_params
        return selectors.inbox(
            self.request.user,
            unread_only=params.get("unread", "").lower() in {"1", "true"},
            category=params.get("category", ""),
            kind=params.get("kind", ""),
        )

    @extend_schema(tags=TAGS, responses={200: COUNT}, summary="How many are unread")
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(request.user)})

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: NotificationSerializer, 404: NOT_FOUND},
        summary="Mark one read",
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        note = get_object_or_404(selectors.inbox(request.user), pk=pk)
        notifications.mark_read(request.user, [note.pk])
        note.refresh_from_db()
        return Response(NotificationSerializer(note).data)

    @extend_schema(tags=TAGS, request=None, responses={200: MARKED}, summary="Mark all read")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": notifications.mark_read(request.user)})


class PreferencesView(APIView):
    """The user's outside channels per category (the preferences matrix)."""

    @extend_schema(
        tags=TAGS,
        responses={200: PreferenceSerializer(many=True)},
        summary="My channel preferences",
    )
    def get(self, request: Request) -> Response:
        return self._matrix(request)

    @extend_schema(
        tags=TAGS,
        request=PreferencesUpdateSerializer,
        responses={200: PreferenceSerializer(many=True), 400: INVALID},
        summary="Set channel preferences",
    )
    def put(self, request: Request) -> Response:
        body = PreferencesUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notifications.set_preferences(
            user=request.user,
            channels={
                row["category"]: row["channels"] for row in body.validated_data["preferences"]
            },
        )
        return self._matrix(request)

    def _matrix(self, request: Request) -> Response:
        rows = [asdict(row) for row in selectors.preference_matrix(request.user)]
        return Response(PreferenceSerializer(rows, many=True).data)


router = SimpleRouter()
router.register("", NotificationViewSet, basename="api-notification")
urlpatterns = [
    path("preferences/", PreferencesView.as_view(), name="api-notification-preferences"),
    *router.urls,
]

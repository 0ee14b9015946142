from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from courtexec import selectors, services
from courtexec.api.serializers import (
    CourtSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)


class TokenLoginThrottle(AnonRateThrottle):
    rate = "20/minute"


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [TokenLoginThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
        examples=[
            OpenApiExample("Demo judge", value={"username": "judge", "password": "..."}),
        ],
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token = services.issue_api_token(user=serializer.validated_data["user"])
        return Response({"token": token})


class MeView(APIView):
    """The current user, their court and roles."""

    @extend_schema(responses={200: UserSerializer}, tags=["auth"])
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class CourtViewSet(viewsets.ReadOnlyModelViewSet):
    """Courts the current user may see."""

    serializer_class = CourtSerializer
    filterset_fields = ["level", "parent"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.visible_courts(self.request.user)


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff of the courts the current user may see."""

    serializer_class = UserSerializer
    filterset_fields = ["court", "groups__name"]
    search_fields = ["username", "display_name", "staff_number"]
    ordering_fields = ["username", "display_name"]

    def get_queryset(self):
        return selectors.visible_staff(self.request.user)

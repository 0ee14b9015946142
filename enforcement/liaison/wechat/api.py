"""API of the WeChat binding (``/api/v1/liaison/wechat/binding/``) for the signed-in user."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.liaison.wechat import binding

TAGS = ["liaison"]


class BindingStatusSerializer(serializers.Serializer):
    bound = serializers.BooleanField()
    openid = serializers.CharField(
        help_text=gettext_lazy("Masked: the first and last four characters.")
    )
    bound_at = serializers.DateTimeField(allow_null=True)


class BindingCodeSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy("Send “绑定 <code>” to the official account.")
    )
    expires_at = serializers.DateTimeField()


class WechatBindingView(APIView):
    """The caller's WeChat binding: its state, a new binding code, or unbinding."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses=BindingStatusSerializer, summary="WeChat binding state")
    def get(self, request):
        current = binding.binding_of(request.user)
        return Response(
            BindingStatusSerializer(
                {
                    "bound": current is not None,
                    "openid": binding.mask(current.openid) if current else "",
                    "bound_at": current.bound_at if current else None,
                }
            ).data
        )

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={201: BindingCodeSerializer},
        summary="New binding code (replaces any earlier one)",
    )
    def post(self, request):
        issued = binding.issue_binding_code(user=request.user)
        return Response(BindingCodeSerializer(issued).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={
            204: OpenApiResponse(description="Unbound."),
            404: OpenApiResponse(description="Not bound."),
        },
        summary="Unbind WeChat",
    )
    def delete(self, request):
        if not binding.unbind(user=request.user):
            detail = _("Your account is not bound to WeChat.")
            return Response({"detail": detail}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)

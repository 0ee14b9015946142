"""Admin of the WeChat records: bindings (an openid changes only by a binding code) and the
log of what the official account received. Both are to look at, and narrowed to the courts the
viewer sees."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtexec.admin import ReadOnlyAdmin
from courtexec.models import WechatBinding
from courtexec.visibility import restrict, visible_court_ids
from enforcement.liaison.models import PortalAccount
from enforcement.liaison.wechat.models import WechatInbound


@admin.register(WechatBinding)
class WechatBindingAdmin(ReadOnlyAdmin):
    """A court sees its staff's bindings and those of the parties in its cases."""

    list_display = ["user", "openid", "bound_at"]
    search_fields = ["user__username", "user__display_name", "openid"]
    date_hierarchy = "bound_at"
    list_select_related = ["user"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = visible_court_ids(request.user)
        if ids is None:
            return queryset
        parties = restrict(PortalAccount.objects.all(), request.user).values("user_id")
        return queryset.filter(Q(user__court_id__in=ids) | Q(user_id__in=parties))

    def has_delete_permission(self, request, obj=None) -> bool:
        """Unbinding a lost phone's WeChat is the one change admin may make."""
        return request.user.has_perm("courtexec.delete_wechatbinding")


@admin.register(WechatInbound)
class WechatInboundAdmin(ReadOnlyAdmin):
    """Messages that became thread messages show in their case's court; the rest (binding
    codes, menu clicks) only to those who see every court."""

    list_display = ["received_at", "openid", "msg_type", "event", "short_content", "user"]
    list_filter = ["msg_type", "event"]
    search_fields = ["openid", "content", "dedup_key"]
    date_hierarchy = "received_at"
    list_select_related = ["user"]

    @admin.display(description=_("content"))
    def short_content(self, obj: WechatInbound) -> str:
        return obj.content[:40]

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)

"""Admin pages of case messaging: court-scoped windows onto the record, never edited here
(messages and their files are part of the case record; PostgreSQL refuses changes anyway)."""

from __future__ import annotations

from django.contrib import admin

from courtexec.admin import ReadOnlyAdmin
from courtexec.visibility import restrict
from enforcement.admin import ScopedInline
from enforcement.liaison.models import Message, MessageAttachment, Thread


class _CourtRecordsAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)


class MessageInline(ScopedInline):
    model = Message
    fields = ["created_at", "author", "staff_author", "body", "via", "is_auto_reply", "read_at"]
    readonly_fields = fields


@admin.register(Thread)
class ThreadAdmin(_CourtRecordsAdmin):
    list_display = ["case", "party", "last_message_at", "awaiting_reply_since", "flagged_at"]
    list_filter = [
        ("awaiting_reply_since", admin.EmptyFieldListFilter),
        ("flagged_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["case__number", "party__name"]
    date_hierarchy = "last_message_at"
    list_select_related = ["case", "party"]
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(_CourtRecordsAdmin):
    list_display = ["created_at", "thread", "author", "staff_author", "via", "read_at"]
    list_filter = ["author", "via", "is_auto_reply", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "thread__case__number", "thread__party__name"]
    date_hierarchy = "created_at"
    list_select_related = ["thread__case", "thread__party", "staff_author"]


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(_CourtRecordsAdmin):
    list_display = ["original_name", "content_type", "size", "message"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "message__thread__case__number"]
    list_select_related = ["message"]
    exclude = ["file"]  # served only through the checked view, never a /media/ link

    def has_view_permission(self, request, obj=None) -> bool:
        """A file is part of its message: whoever may read messages may see it."""
        return request.user.has_perm("liaison.view_message")

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

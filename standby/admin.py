"""Admin of the standby section: a window, never a way round the services; every list is
narrowed to the courts the user may see."""

from __future__ import annotations

from django.contrib import admin

from enforcement.admin import EnforcementAdmin, RelatedOnly, ScopedInline
from standby.models import Callout, CalloutEvent

# --- callouts: read-only, the timeline inline; reported and worked only through services ---


class CalloutEventInline(ScopedInline):
    model = CalloutEvent
    fields = ["at", "kind", "by", "note"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Callout)
class CalloutAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["reference", "caught_at", "person_name", "police_station",
                    "requesting_court_name", "status", "handover_deadline", "escalation_level",
                    "outcome"]  # fmt: skip
    list_filter = ["status", "outcome", ("court", RelatedOnly)]
    search_fields = ["reference", "person_name", "person_id_number", "wanted_reference"]
    date_hierarchy = "caught_at"
    list_select_related = ["court"]
    inlines = [CalloutEventInline]

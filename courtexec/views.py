"""The UI shell: dashboard, staff directory, section overviews, health and error pages."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casefunds.selectors import dashboard_funds
from courtexec import selectors
from courtexec.authz import require_role
from courtexec.forms import PreferencesForm
from courtexec.models import Delivery
from courtexec.notification_kinds import Category
from courtexec.notifications import mark_read, retry_deliveries, set_preferences
from courtexec.roles import OUTSIDE_ROLES, Role
from courtexec.sections import SECTIONS_BY_KEY
from enforcement.selectors import case_figures
from standby.selectors import on_duty_now


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    start = outside_start(request.user)
    if start is not None:
        return redirect(start)
    role_counts = selectors.staff_by_role(request.user)
    context = {
        "cases": case_figures(request.user, timezone.localdate()),
        "courts": selectors.visible_courts(request.user),
        "staff_total": selectors.visible_staff(request.user).count(),
        "role_counts": role_counts,
        # Case funds (two queries), for those who may see them.
        "funds": dashboard_funds(request.user)
        if request.user.has_perm("casefunds.view_deposit")
        else None,
        # The standby team of the user's court on duty now (one query), for the bureau's staff.
        "standby": {"shift": on_duty_now(request.user)}
        if request.user.court_id and request.user.has_perm("standby.view_shift")
        else None,
        "role_chart": {
            "labels": [str(item.role.label) for item in role_counts],
            "values": [item.count for item in role_counts],
        },
    }
    return render(request, "courtexec/dashboard.html", context)


def outside_start(user) -> str | None:
    """Where someone who holds only outside roles (police liaison, custodian, partner system)
    starts instead of the dashboard; ``None`` for the bureau's staff."""
    if user.is_superuser or user.has_perm("courtexec.view_court"):  # every bureau role has it
        return None  # (permissions are cached for the request: no query for staff)
    roles = user.roles
    if not roles or any(role not in OUTSIDE_ROLES for role in roles):
        return None
    return OUTSIDE_ROLES[roles[0]]


ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only ("²".isdigit() is true), within bigint


def posted_ids(request: HttpRequest) -> list[int] | None:
    """The ``id`` values of a POST as numbers; ``None`` when one is not a row's number."""
    values = request.POST.getlist("id")
    if not all(ID.fullmatch(value) for value in values):
        return None
    return [int(value) for value in values]


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's inbox (站内通知): filter by category or unread; POST marks one ``id`` or all
    read (htmx swaps the list in place)."""
    if request.method == "POST":
        ids = posted_ids(request)
        if ids is None:
            return HttpResponseBadRequest(_("Not a notification."))
        mark_read(request.user, ids or None)
    unread_only = request.GET.get("unread") == "1"
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    filters = {"unread": "1"} if unread_only else {}
    if category:
        filters["category"] = category
    page = Paginator(
        selectors.inbox(request.user, unread_only=unread_only, category=category), 30
    ).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "category": category,
        "categories": Category.choices,
        "query": urlencode(filters),
    }
    template = "_notification_list" if request.htmx else "notifications"
    return render(request, f"courtexec/{template}.html", context)


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Which outside channels the user wants per category (通知方式); urgent kinds are noted as
    always by text message."""
    rows = selectors.preference_matrix(request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        set_preferences(user=request.user, channels=form.cleaned_data)
        messages.success(request, _("Your notification channels are saved."))
        return redirect("notification-preferences")
    return render(
        request,
        "courtexec/notification_preferences.html",
        {"form": form, "rows": rows, "channels": Delivery.Channel.choices},
    )


@login_required
def delivery_failures(request: HttpRequest) -> HttpResponse:
    """Outside messages that could not be sent, for the system administrators, who may send
    them again."""
    require_role(request.user, Role.SYSADMIN)
    if request.method == "POST":
        ids = posted_ids(request)
        if ids is None:
            return HttpResponseBadRequest(_("Not an outside message."))
        retried = retry_deliveries(user=request.user, ids=ids)
        messages.success(request, _("%(count)d message(s) queued again.") % {"count": retried})
        return redirect("delivery-failures")
    page = Paginator(selectors.failed_deliveries(), 50).get_page(request.GET.get("page"))
    return render(request, "courtexec/delivery_failures.html", {"page": page})


@login_required
def staff_directory(request: HttpRequest) -> HttpResponse:
    """Colleagues in the courts the user may see (通讯录), searchable; htmx swaps the table."""
    staff = selectors.visible_staff(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        staff = staff.filter(
            Q(username__icontains=query)
            | Q(display_name__icontains=query)
            | Q(staff_number__icontains=query)
            | Q(phone__icontains=query)
        )
    page = Paginator(staff, 25).get_page(request.GET.get("page"))
    template = "courtexec/_staff_table.html" if request.htmx else "courtexec/staff.html"
    return render(request, template, {"page": page, "query": query})


@login_required
def section_overview(request: HttpRequest, key: str) -> HttpResponse:
    section = SECTIONS_BY_KEY.get(key)
    if section is None:
        raise Http404
    return render(request, "courtexec/section.html", {"section": section})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness of database, Redis, a Celery worker and beat: 200 when all are up, else 503."""
    components = selectors.system_health()
    healthy = all(component.ok for component in components)
    body = {
        "status": "ok" if healthy else "unavailable",
        "components": {c.name: {"ok": c.ok, "detail": c.detail} for c in components},
        "failing": [c.name for c in components if not c.ok],
    }
    return JsonResponse(body, status=200 if healthy else 503)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: whatever failed (the database, the session) must not fail again here.
    return HttpResponseServerError(loader.get_template("500.html").render())

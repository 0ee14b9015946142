"""Tip pages: the public form (no login) and the staff's hotline log, board and tip file.

Thin: reads through ``debtors.selectors``, writes through one ``debtors.services`` call each; a
service's ``ValidationError`` comes back on the form, ``PermissionDenied`` is a 403.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debtors import selectors, services
from debtors.models import Tip
from debtors.tips.exports import tips_response
from debtors.tips.filtersets import TipFilterSet
from debtors.tips.forms import (
    AssignTipForm,
    HotlineTipForm,
    PublicTipForm,
    TipOutcomeForm,
    style_tip_filters,
)
from enforcement.forms import apply_service_errors

PAGE_SIZE = 25
RECEIVED_SESSION_KEY = "debtors.tip_reference"


def client_address(request: HttpRequest) -> str:
    """The address the request came from (the proxy in front sets REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR", "")


# --- Public ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def public_tip_form(request: HttpRequest) -> HttpResponse:
    """举报财产线索: anyone may send a lead about a debtor's property; no account, no CAPTCHA."""
    if request.method == "GET":
        return render(request, "public/tip_form.html", {"form": PublicTipForm()})
    form = PublicTipForm(request.POST, request.FILES)
    fingerprint = services.tip_fingerprint(client_address(request))
    if not services.consume_tip_allowance(fingerprint):
        form.refresh_started()
        form.is_valid()
        form.errors.clear()
        form.add_error(
            None,
            ValidationError(
                _(
                    "Too many tips were sent from your network recently. Please try again "
                    "later, or call the 24-hour hotline."
                ),
                code="rate_limited",
            ),
        )
        return render(request, "public/tip_form.html", {"form": form}, status=429)
    if form.is_valid():
        data = form.cleaned_data
        try:
            tip = services.submit_tip(
                court=data["court"], fingerprint=fingerprint, **form.service_arguments()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            request.session[RECEIVED_SESSION_KEY] = tip.reference
            return redirect("public:tip-received")
    form.refresh_started()
    return render(request, "public/tip_form.html", {"form": form}, status=400)


@never_cache
@require_GET
def public_tip_received(request: HttpRequest) -> HttpResponse:
    """The confirmation: the tip's reference number and the hotline, for this visitor only."""
    reference = request.session.get(RECEIVED_SESSION_KEY)
    if not reference:
        return redirect("public:tip-form")
    return render(request, "public/tip_received.html", {"reference": reference})


# --- Staff ----------------------------------------------------------------------------------


def _tip_or_404(request: HttpRequest, pk: int) -> Tip:
    return get_object_or_404(selectors.visible_tips(request.user), pk=pk)


def _may(user, permission: str) -> bool:
    return user.is_superuser or user.has_perm(permission)


@login_required
@require_GET
def tip_board(request: HttpRequest) -> HttpResponse:
    """Every visible tip with filters; those past their 5-day check date are flagged red."""
    if not _may(request.user, "debtors.view_tip"):
        raise PermissionDenied
    filterset = TipFilterSet(
        request.GET, queryset=selectors.visible_tips(request.user), request=request
    )
    tips = filterset.qs.order_by("-received_at", "-pk")
    if request.GET.get("format") == "xlsx":
        return tips_response(tips)
    page = Paginator(tips, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = list(page.object_list)
    for tip in rows:
        tip.overdue = tip.is_overdue(today)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    export = query.copy()
    export["format"] = "xlsx"
    context = {
        "filterset": filterset,
        "form": style_tip_filters(filterset.form),
        "page": page,
        "rows": rows,
        "page_query": query.urlencode(),
        "export_query": export.urlencode(),
        "overdue_count": selectors.overdue_tips(selectors.visible_tips(request.user)).count(),
    }
    template = "debtors/tips/_table.html" if request.htmx else "debtors/tips/board.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def tip_hotline(request: HttpRequest) -> HttpResponse:
    """Log a call to the 24-hour hotline; it is routed like a tip from the web form."""
    if not _may(request.user, "debtors.add_tip"):
        raise PermissionDenied
    form = HotlineTipForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tip = services.log_hotline_tip(
                user=request.user,
                received_at=form.cleaned_data["received_at"],
                **form.service_arguments(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Tip %(reference)s logged.") % {"reference": tip.reference})
            return redirect("debtors:tip-detail", pk=tip.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "debtors/tips/hotline.html", {"form": form}, status=status)


def _render_detail(request: HttpRequest, tip: Tip, *, bound: dict | None = None, status=200):
    bound = bound or {}
    user = request.user
    context = {
        "tip": tip,
        "overdue": tip.is_overdue(),
        "assign_form": bound.get("assign") or AssignTipForm(user=user),
        "outcome_form": bound.get("outcome") or TipOutcomeForm(user=user, tip=tip),
        "may_assign": tip.is_open
        and _may(user, "debtors.change_tip")
        and (user.is_superuser or any(user.has_role(r) for r in services.TIP_ASSIGNERS)),
        "may_check": tip.status == Tip.Status.ROUTED and _may(user, "debtors.change_tip"),
        "history": tip.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "debtors/tips/detail.html", context, status=status)


@login_required
@require_GET
def tip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _tip_or_404(request, pk))


@login_required
@require_POST
def tip_assign(request: HttpRequest, pk: int) -> HttpResponse:
    tip = _tip_or_404(request, pk)
    form = AssignTipForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.assign_tip(
                tip=tip,
                case=form.cleaned_data["case"],
                respondent=form.cleaned_data["respondent"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The tip is routed to the case judge."))
            return redirect("debtors:tip-detail", pk=tip.pk)
    return _render_detail(request, tip, bound={"assign": form}, status=400)


@login_required
@require_POST
def tip_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    tip = _tip_or_404(request, pk)
    form = TipOutcomeForm(request.POST, user=request.user, tip=tip)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_tip_outcome(
                tip=tip,
                outcome=data["outcome"],
                note=data["note"],
                asset_classes=data["asset_classes"],
                finding=data["finding"],
                freeze=data["freeze"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The outcome of the check is recorded."))
            return redirect("debtors:tip-detail", pk=tip.pk)
    return _render_detail(request, tip, bound={"outcome": form}, status=400)


@login_required
@require_GET
def tip_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The tip's photo, for staff of the courts that may see the tip; never under /media/."""
    tip = _tip_or_404(request, pk)
    if not tip.photo:
        raise Http404
    try:
        handle = tip.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=mimetypes.guess_type(tip.photo.name)[0])
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response

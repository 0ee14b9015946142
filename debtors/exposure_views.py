"""Exposure (360°曝光): the staff's exposure list and national export, the printable community
notice, and the public big screen. Thin: reads from ``debtors.selectors``, writes through
``debtors.services``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courtexec.models import Court
from debtors import selectors, services
from debtors.models import ExposureRecord


def _bounded(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high]; anything else is the default."""
    try:
        value = int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


@login_required
@require_GET
def exposure_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("debtors.view_exposurerecord"):
        raise PermissionDenied
    channel = request.GET.get("channel", "")
    open_only = request.GET.get("open") == "1"
    records = selectors.exposures(user=request.user, open_only=open_only)
    if channel in ExposureRecord.Channel.values:
        records = records.filter(channel=channel)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "debtors/exposure_list.html",
        {
            "page": page,
            "channels": ExposureRecord.Channel.choices,
            "channel": channel,
            "open_only": open_only,
            "can_export": request.user.court_id is not None
            and request.user.has_perm("debtors.add_exposurerecord"),
        },
    )


@login_required
@require_POST
def national_export(request: HttpRequest) -> HttpResponse:
    """Download this court's published entries for the national database; records exposures."""
    if request.user.court_id is None:
        raise PermissionDenied
    fmt = request.POST.get("format", "xlsx")
    try:
        export = services.export_national_list(court=request.user.court, user=request.user, fmt=fmt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("debtors:exposure-list")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def community_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable community notice (公告) of a published entry: A4, masked ID number."""
    if not request.user.has_perm("debtors.view_blacklistentry"):
        raise PermissionDenied
    entry = selectors.published_entry_for_notice(user=request.user, pk=pk)
    return render(
        request,
        "debtors/community_notice.html",
        {"entry": entry, "row": selectors.public_row(entry), "today": timezone.localdate()},
    )


# --- The public big screen (no login: it shows only what the public list shows) --------------


@require_GET
def big_screen(request: HttpRequest) -> HttpResponse:
    court_code = request.GET.get("court", "").strip()[:20]
    court = Court.objects.filter(code=court_code).first() if court_code else None
    return render(
        request,
        "debtors/big_screen.html",
        {
            "court_code": court_code,
            "court": court,
            "interval": _bounded(request, "interval", 8, 1, 120),
            "per_page": _bounded(request, "per_page", 8, 1, 50),
            "refresh": _bounded(request, "refresh", 60, 2, 3600),
            "rows": selectors.big_screen_rows(court_code=court_code),
        },
    )


@never_cache
@require_GET
def big_screen_data(request: HttpRequest) -> JsonResponse:
    court_code = request.GET.get("court", "").strip()[:20]
    rows = selectors.big_screen_rows(court_code=court_code)
    return JsonResponse(
        {"count": len(rows), "hotline": settings.DEBTORS_TIP_HOTLINE, "results": rows},
        json_dumps_params={"ensure_ascii": False},
    )

"""Registry pages of the vehicles section: the vehicle list with its filters and export, the
registration and edit forms, the surveillance panel of the vehicle page, the wanted list
(布控名单) with its exports for the police, sightings, and the case file's Vehicles tab.
Thin: reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casefunds.services import Conflict
from courtexec.visibility import restrict
from enforcement import selectors as case_selectors
from enforcement.forms import apply_service_errors
from enforcement.models import EnforcementCase
from vehicles import exports_registry, selectors, services
from vehicles.forms_registry import (
    LiftForm,
    SightingForm,
    SurveillanceForm,
    VehicleEditForm,
    VehicleFilterForm,
    VehicleForm,
)
from vehicles.models import Vehicle
from vehicles.views import vehicle_panel

PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _may(user, permission: str) -> bool:
    return user.is_superuser or user.has_perm(permission)


def _service_call(form, call) -> object | None:
    """Run ``call``; a service's field errors go on ``form``, a conflict above it."""
    try:
        return call()
    except ValidationError as exc:
        apply_service_errors(form, exc)
    except Conflict as exc:
        form.add_error(None, exc.message)
    return None


# --- Vehicle list ------------------------------------------------------------------------------


@login_required
@permission_required("vehicles.view_vehicle", raise_exception=True)
@require_GET
def vehicle_list(request: HttpRequest) -> HttpResponse:
    """Filters: status (impound state, not impounded, under surveillance), custodian, case,
    days in custody, plate; ``?format=xlsx`` exports the filtered list."""
    form = VehicleFilterForm(request.GET or None, user=request.user)
    vehicles = selectors.filter_vehicles(
        selectors.visible_vehicles(request.user), form.filters()
    ).order_by("plate", "pk")
    if request.GET.get("format") == "xlsx":
        rows = selectors.vehicle_rows(list(vehicles.prefetch_related("cases")[:5000]))
        return exports_registry.vehicles_response(rows)
    page = Paginator(vehicles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": selectors.vehicle_rows(list(page.object_list)),
        "page_query": _query_without_page(request),
        "may_register": _may(request.user, "vehicles.add_vehicle"),
    }
    return render(request, "vehicles/vehicle_list.html", context)


# --- Register and edit -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def vehicle_register(request: HttpRequest) -> HttpResponse:
    if not _may(request.user, "vehicles.add_vehicle") or request.user.court_id is None:
        raise PermissionDenied
    initial = {}
    case_pk = request.GET.get("case", "")
    if case_pk.isdigit():
        case = restrict(EnforcementCase.objects.filter(pk=int(case_pk)), request.user).first()
        if case is not None:
            initial["cases"] = [case.pk]
    form = VehicleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        vehicle = _service_call(
            form,
            lambda: services.register_vehicle(
                user=request.user, court=request.user.court, **form.cleaned_data
            ),
        )
        if vehicle is not None:
            messages.success(
                request, _("The vehicle %(vehicle)s is registered.") % {"vehicle": vehicle}
            )
            return redirect(vehicle)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "vehicles/registry/vehicle_form.html",
        {"form": form, "title": _("Register a vehicle")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def vehicle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_object_or_404(selectors.visible_vehicles(request.user), pk=pk)
    if not _may(request.user, "vehicles.change_vehicle"):
        raise PermissionDenied
    initial = {
        "plate": vehicle.plate,
        "vin": vehicle.vin,
        "vehicle_class": vehicle.vehicle_class,
        "make_model": vehicle.make_model,
        "colour": vehicle.colour,
        "owner": vehicle.owner_id,
    }
    form = VehicleEditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _service_call(
            form,
            lambda: services.update_vehicle(
                user=request.user, vehicle=vehicle, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("The vehicle is saved."))
            return redirect(saved)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "vehicles/registry/vehicle_form.html",
        {"form": form, "title": _("Edit %(vehicle)s") % {"vehicle": vehicle}, "vehicle": vehicle},
        status=status,
    )


# --- The vehicle page's registry panel ---------------------------------------------------------


@vehicle_panel("vehicles/registry/_panel.html", order=10)
def registry_panel(request: HttpRequest, vehicle: Vehicle, bound: dict | None = None) -> dict:
    """Linked cases, surveillances (with the add and lift forms) and recent sightings."""
    user = request.user
    may_see = _may(user, "vehicles.view_surveillance")
    bound = bound or {}
    today = timezone.localdate()
    surveillances = (
        list(vehicle.surveillances.select_related("case", "requested_by", "lifted_by"))
        if may_see
        else []
    )
    for surveillance in surveillances:
        surveillance.active = services.surveillance_is_active(surveillance, today)
        surveillance.lift_form = bound.get(("lift", surveillance.pk)) or LiftForm(
            prefix=f"lift-{surveillance.pk}", user=user
        )
    sightings = []
    if _may(user, "vehicles.view_sighting") and vehicle.plate:
        sightings = list(
            selectors.visible_sightings(user).filter(court=vehicle.court_id, plate=vehicle.plate)[
                :10
            ]
        )
    return {
        "may_see": may_see,
        "cases": list(vehicle.cases.order_by("number")),
        "surveillances": surveillances,
        "sightings": sightings,
        "may_surveil": _may(user, "vehicles.add_surveillance")
        and (user.is_superuser or any(map(user.has_role, services.SURVEILLANCE_ROLES))),
        "may_edit": _may(user, "vehicles.change_vehicle"),
        "surveil_form": bound.get("surveil")
        or SurveillanceForm(
            vehicle=vehicle,
            user=user,
            prefix="surveil",
            initial={"starts_on": today},
        ),
    }


def _vehicle_page_with_errors(request: HttpRequest, vehicle: Vehicle, bound: dict) -> HttpResponse:
    from vehicles.views import VEHICLE_PANELS

    panels = []
    for panel in VEHICLE_PANELS:
        if panel.context is registry_panel:
            context = registry_panel(request, vehicle, bound)
        else:
            context = panel.context(request, vehicle)
        panels.append((panel.template, {"vehicle": vehicle, **context}))
    return render(
        request,
        "vehicles/vehicle_detail.html",
        {"vehicle": vehicle, "panels": panels},
        status=400,
    )


@login_required
@require_POST
def surveillance_add(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_object_or_404(selectors.visible_vehicles(request.user), pk=pk)
    form = SurveillanceForm(request.POST, vehicle=vehicle, user=request.user, prefix="surveil")
    if form.is_valid():
        done = _service_call(
            form,
            lambda: services.place_under_surveillance(
                user=request.user, vehicle=vehicle, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("The vehicle is on the wanted list."))
            return redirect(vehicle)
    return _vehicle_page_with_errors(request, vehicle, {"surveil": form})


@login_required
@require_POST
def surveillance_lift(request: HttpRequest, pk: int) -> HttpResponse:
    surveillance = get_object_or_404(
        selectors.visible_surveillances(request.user).filter(
            vehicle__in=selectors.visible_vehicles(request.user)
        ),
        pk=pk,
    )
    form = LiftForm(request.POST, prefix=f"lift-{surveillance.pk}", user=request.user)
    if form.is_valid():
        done = _service_call(
            form,
            lambda: services.lift_surveillance(
                user=request.user, surveillance=surveillance, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The surveillance is lifted."))
            return redirect(surveillance.vehicle)
    return _vehicle_page_with_errors(
        request, surveillance.vehicle, {("lift", surveillance.pk): form}
    )


# --- Wanted list -------------------------------------------------------------------------------


@login_required
@permission_required("vehicles.view_surveillance", raise_exception=True)
@require_GET
def wanted_list(request: HttpRequest) -> HttpResponse:
    """The active surveillances (布控名单), searchable; ``?format=xlsx|csv`` for the police."""
    entries = selectors.wanted_list(request.user)
    search = request.GET.get("q", "").strip()[:60]
    if search:
        entries = selectors.search_wanted(entries, search)
    export_format = request.GET.get("format")
    if export_format in ("xlsx", "csv"):
        return exports_registry.wanted_response(entries.iterator(chunk_size=500), export_format)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vehicles/registry/wanted_list.html",
        {"page": page, "search": search, "page_query": _query_without_page(request)},
    )


# --- Sightings ---------------------------------------------------------------------------------


@login_required
@permission_required("vehicles.view_sighting", raise_exception=True)
@require_GET
def sighting_list(request: HttpRequest) -> HttpResponse:
    sightings = selectors.visible_sightings(request.user).prefetch_related("matches__case")
    matched = request.GET.get("matched")
    if matched == "yes":
        sightings = sightings.filter(matches__isnull=False).distinct()
    elif matched == "no":
        sightings = sightings.filter(matches__isnull=True)
    page = Paginator(sightings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vehicles/registry/sighting_list.html",
        {
            "page": page,
            "matched": matched,
            "page_query": _query_without_page(request),
            "may_report": _may(request.user, "vehicles.add_sighting"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sighting_report(request: HttpRequest) -> HttpResponse:
    """Report a sighting from a phone: matched at once, the judge (and out of hours the team
    on duty) alerted by the service."""
    if not _may(request.user, "vehicles.add_sighting") or request.user.court_id is None:
        raise PermissionDenied
    form = SightingForm(
        request.POST or None,
        user=request.user,
        initial={"seen_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        sighting = _service_call(
            form,
            lambda: services.report_sighting(
                user=request.user,
                court=request.user.court,
                report=services.SightingReport(**form.cleaned_data),
            ),
        )
        if sighting is not None:
            if sighting.matches.exists():
                messages.warning(
                    request,
                    _("Plate %(plate)s is on the wanted list: the case judge is alerted.")
                    % {"plate": sighting.plate},
                )
            else:
                messages.info(
                    request,
                    _("Sighting of %(plate)s recorded; it is not on the wanted list.")
                    % {"plate": sighting.plate},
                )
            return redirect("vehicles:sightings")
    status = 400 if request.method == "POST" else 200
    return render(request, "vehicles/registry/sighting_form.html", {"form": form}, status=status)


# --- The case file's Vehicles tab --------------------------------------------------------------


@login_required
@require_GET
def case_tab(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may(request.user, "vehicles.view_vehicle"):
        raise PermissionDenied(_("Your role may not do this."))
    try:
        case = case_selectors.case_detail(request.user, pk)
    except EnforcementCase.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "case": case,
        **selectors.case_vehicles(case),
        "today": timezone.localdate(),
        "may_register": _may(request.user, "vehicles.add_vehicle"),
    }
    return render(request, "vehicles/registry/_case_tab.html", context)

"""Pages of the vehicles section (扣押车辆): the vehicle list and the vehicle page. Thin: reads
``selectors``, writes through ``services``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from enforcement.views import field_photo_response
from vehicles import selectors
from vehicles.models import CustodyPhoto, Vehicle


@dataclass(frozen=True)
class Panel:
    """A section of the vehicle page, contributed by one part of the app (surveillance,
    custody, fees): its template and the function that gives the template its context."""

    template: str
    context: Callable[[HttpRequest, Vehicle], dict]
    order: int


VEHICLE_PANELS: list[Panel] = []


def vehicle_panel(template: str, order: int):
    """Register ``function(request, vehicle) -> dict`` as the context of a vehicle-page panel."""

    def register(function: Callable[[HttpRequest, Vehicle], dict]):
        VEHICLE_PANELS.append(Panel(template, function, order))
        VEHICLE_PANELS.sort(key=lambda panel: panel.order)
        return function

    return register


@login_required
@permission_required("vehicles.view_vehicle", raise_exception=True)
@require_GET
def vehicle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_object_or_404(selectors.visible_vehicles(request.user), pk=pk)
    panels = [
        (panel.template, {"vehicle": vehicle, **panel.context(request, vehicle)})
        for panel in VEHICLE_PANELS
    ]
    return render(request, "vehicles/vehicle_detail.html", {"vehicle": vehicle, "panels": panels})


@login_required
@require_GET
def custody_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A custody photo, for those who may see its impound only."""
    photos = CustodyPhoto.objects.filter(event__in=selectors.visible_events(request.user))
    return field_photo_response(get_object_or_404(photos, pk=pk))

"""Pages of the vehicles section (扣押车辆): the vehicle list and the vehicle page. Thin: reads
``selectors``, writes through ``services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from enforcement.views import field_photo_response
from vehicles import selectors
from vehicles.models import CustodyPhoto


@login_required
@permission_required("vehicles.view_vehicle", raise_exception=True)
@require_GET
def vehicle_list(request: HttpRequest) -> HttpResponse:
    vehicles = selectors.visible_vehicles(request.user).order_by("plate", "pk")
    return render(request, "vehicles/vehicle_list.html", {"vehicles": vehicles})


@login_required
@permission_required("vehicles.view_vehicle", raise_exception=True)
@require_GET
def vehicle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_object_or_404(selectors.visible_vehicles(request.user), pk=pk)
    impounds = selectors.visible_impounds(request.user).filter(vehicle=vehicle)
    return render(
        request, "vehicles/vehicle_detail.html", {"vehicle": vehicle, "impounds": impounds}
    )


@login_required
@require_GET
def custody_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A custody photo, for those who may see its impound only."""
    photos = CustodyPhoto.objects.filter(event__in=selectors.visible_events(request.user))
    return field_photo_response(get_object_or_404(photos, pk=pk))

"""Vehicles endpoints under ``/api/v1/vehicles/`` (included by ``courtexec.api.urls``)."""

from rest_framework.routers import SimpleRouter

from vehicles.api import custody, registry

router = SimpleRouter()
# --- vehicles and surveillance ---
router.register("surveillances", registry.SurveillanceViewSet, basename="vehicle-surveillance")
router.register("wanted-list", registry.WantedListViewSet, basename="vehicle-wanted")
router.register("sightings", registry.SightingViewSet, basename="vehicle-sighting")
router.register("", registry.VehicleViewSet, basename="vehicle")
# --- impound lifecycle ---
router.register("impounds", custody.ImpoundViewSet, basename="impound")
router.register("custody-events", custody.CustodyEventViewSet, basename="custody-event")
# --- custodians, fees and stock checks ---

urlpatterns = [
    *router.urls,
]

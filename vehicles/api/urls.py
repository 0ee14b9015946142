"""Vehicles endpoints under ``/api/v1/vehicles/`` (included by ``courtexec.api.urls``)."""

from rest_framework.routers import SimpleRouter

from vehicles.api import custody

router = SimpleRouter()
# --- vehicles and surveillance ---
# --- impound lifecycle ---
router.register("impounds", custody.ImpoundViewSet, basename="impound")
router.register("custody-events", custody.CustodyEventViewSet, basename="custody-event")
# --- custodians, fees and stock checks ---

urlpatterns = [
    *router.urls,
]

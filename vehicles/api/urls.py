"""Vehicles endpoints under ``/api/v1/vehicles/`` (included by ``courtexec.api.urls``)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
# --- vehicles and surveillance ---
# --- impound lifecycle ---
# --- custodians, fees and stock checks ---

urlpatterns = [
    *router.urls,
]

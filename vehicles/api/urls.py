"""Vehicles endpoints under ``/api/v1/vehicles/`` (included by ``courtexec.api.urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from vehicles.api import custodians, custody, registry

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
router.register("custodians", custodians.CustodianViewSet, basename="vehicles-custodian")
router.register("agreements", custodians.AgreementViewSet, basename="vehicles-agreement")
router.register("lots", custodians.LotViewSet, basename="vehicles-lot")
router.register("stock-checks", custodians.StockCheckViewSet, basename="vehicles-stock-check")
router.register("invoices", custodians.InvoiceViewSet, basename="vehicles-invoice")
router.register("fee-postings", custodians.FeePostingViewSet, basename="vehicles-fee-posting")

urlpatterns = [
    *router.urls,
    # --- custodians, fees and stock checks ---
    path(
        "statements/<int:impound_id>/",
        custodians.StatementView.as_view(),
        name="vehicles-statement",
    ),
]

"""Vehicles endpoints under ``/api/v1/vehicles/`` (included by ``courtexec.api.urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from vehicles.api import custodians

router = SimpleRouter()
# --- vehicles and surveillance ---
# --- impound lifecycle ---
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

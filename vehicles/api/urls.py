"""Vehicles endpoints under ``/api/v1/vehicles/`` (included by ``courtexec.api.urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from vehicles.api import custody

router = SimpleRouter()
# --- vehicles and surveillance ---
# --- impound lifecycle ---
# --- custodians, fees and stock checks ---
router.register("custodians", custody.CustodianViewSet, basename="vehicles-custodian")
router.register("agreements", custody.AgreementViewSet, basename="vehicles-agreement")
router.register("lots", custody.LotViewSet, basename="vehicles-lot")
router.register("stock-checks", custody.StockCheckViewSet, basename="vehicles-stock-check")
router.register("invoices", custody.InvoiceViewSet, basename="vehicles-invoice")
router.register("fee-postings", custody.FeePostingViewSet, basename="vehicles-fee-posting")

urlpatterns = [
    *router.urls,
    # --- custodians, fees and stock checks ---
    path(
        "statements/<int:impound_id>/",
        custody.StatementView.as_view(),
        name="vehicles-statement",
    ),
]

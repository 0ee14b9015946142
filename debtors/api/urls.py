"""Debtors endpoints under ``/api/v1/debtors/`` (included by ``courtexec.api.urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from debtors.api import views, views_figures
from debtors.api.tips import TipViewSet

router = SimpleRouter()
router.register(
    "investigation-requests", views.InvestigationRequestViewSet, basename="debtors-request"
)
router.register("rotations", views.RotationViewSet, basename="debtors-rotation")
router.register("searches", views.SearchViewSet, basename="debtors-search")
router.register("findings", views.FindingViewSet, basename="debtors-finding")
router.register("freezes", views.FreezeViewSet, basename="debtors-freeze")
router.register("deductions", views.DeductionViewSet, basename="debtors-deduction")

# The list's own API and exposure
router.register("blacklist-entries", views.BlacklistEntryViewSet, basename="debtors-entry")
router.register(
    "correction-requests", views.CorrectionRequestViewSet, basename="debtors-correction"
)
router.register("deletion-tasks", views.DeletionTaskViewSet, basename="debtors-deletion-task")
router.register("restriction-orders", views.RestrictionOrderViewSet, basename="debtors-restriction")
router.register(
    "restriction-exemptions", views.RestrictionExemptionViewSet, basename="debtors-exemption"
)
router.register("exposures", views.ExposureRecordViewSet, basename="debtors-exposure")
router.register("tips", TipViewSet, basename="debtors-tip")

urlpatterns = [
    *router.urls,
    path("figures/", views_figures.FiguresView.as_view(), name="debtors-figures"),
]

"""Debtors endpoints under ``/api/v1/debtors/`` (included by ``courtexec.api.urls``)."""

from rest_framework.routers import SimpleRouter

from debtors.api import views

router = SimpleRouter()
router.register(
    "investigation-requests", views.InvestigationRequestViewSet, basename="debtors-request"
)
router.register("rotations", views.RotationViewSet, basename="debtors-rotation")
router.register("searches", views.SearchViewSet, basename="debtors-search")
router.register("findings", views.FindingViewSet, basename="debtors-finding")
router.register("freezes", views.FreezeViewSet, basename="debtors-freeze")
router.register("deductions", views.DeductionViewSet, basename="debtors-deduction")

urlpatterns = router.urls

# --- The list's own API and exposure ---
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
urlpatterns = router.urls

# --- Tips (举报线索) ------------------------------------------------------------------------------
from debtors.api.tips import TipViewSet  # noqa: E402

router.register("tips", TipViewSet, basename="debtors-tip")
urlpatterns = router.urls

# --- Figures (figures slice) ---
from django.urls import path  # noqa: E402

from debtors.api import views_figures  # noqa: E402

urlpatterns += [path("figures/", views_figures.FiguresView.as_view(), name="debtors-figures")]

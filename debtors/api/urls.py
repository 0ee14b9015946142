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

# --- Figures (figures slice) ---
from django.urls import path  # noqa: E402

from debtors.api import views_figures  # noqa: E402

urlpatterns += [path("figures/", views_figures.FiguresView.as_view(), name="debtors-figures")]

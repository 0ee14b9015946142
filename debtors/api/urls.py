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

# --- Tips (举报线索) ------------------------------------------------------------------------------
from debtors.api.tips import TipViewSet  # noqa: E402

router.register("tips", TipViewSet, basename="debtors-tip")
urlpatterns = router.urls

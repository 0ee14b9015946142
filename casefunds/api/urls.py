"""Case-funds endpoints under ``/api/v1/funds/`` (included by ``courtexec.api.urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from casefunds.api import views

router = SimpleRouter()
router.register("accounts", views.AccountViewSet, basename="funds-account")
router.register("deposits", views.DepositViewSet, basename="funds-deposit")
router.register("payouts", views.PayoutViewSet, basename="funds-payout")
router.register("fees", views.FeeViewSet, basename="funds-fee")
router.register("holds", views.HoldViewSet, basename="funds-hold")
router.register("alerts", views.FundsAlertViewSet, basename="funds-alert")
router.register("tiers", views.IdleTierViewSet, basename="funds-tier")
router.register("transfers", views.TransferViewSet, basename="funds-transfer")
router.register("relief", views.ReliefViewSet, basename="funds-relief")
router.register("reports", views.FundsReportViewSet, basename="funds-report")
router.register("statement-imports", views.StatementImportViewSet, basename="funds-statement")

urlpatterns = [
    path("bank-notices/", views.BankNoticeView.as_view(), name="funds-bank-notice"),
    path("alipay-notify/", views.AlipayNotifyView.as_view(), name="funds-alipay-notify"),
    *router.urls,
]

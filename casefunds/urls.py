"""Case-funds pages, mounted at /funds/ (namespace ``casefunds``)."""

from django.urls import path

from casefunds import views

app_name = "casefunds"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("idle/", views.idle, name="idle"),
    path("alerts/", views.alerts, name="alerts"),
    path("journal/", views.journal, name="journal"),
    path("timing/", views.timing, name="timing"),
    path("suspense/<int:pk>/assign/", views.suspense_assign, name="suspense-assign"),
    path("counter/", views.counter_receipt, name="counter-receipt"),
    path("statements/", views.statement_import, name="statement-import"),
    path("idle/scan/", views.idle_scan, name="idle-scan"),
    path("relief/", views.relief_allocate, name="relief-allocate"),
    path("transfers/<int:pk>/reverse/", views.transfer_reverse, name="transfer-reverse"),
    path("accounts/search/", views.account_search, name="account-search"),
    path("cases/<int:pk>/fees/", views.fee_record, name="fee-record"),
    path("fees/<int:pk>/refund/", views.fee_refund, name="fee-refund"),
    path("cases/<int:pk>/", views.case_funds, name="case-funds"),
    path("cases/<int:pk>/payouts/", views.payout_propose, name="payout-propose"),
    path("cases/<int:pk>/payouts/everything/", views.payout_everything, name="payout-everything"),
    path("cases/<int:pk>/holds/", views.hold_request, name="hold-request"),
    path("payouts/<int:pk>/approve/", views.payout_approve, name="payout-approve"),
    path("payouts/<int:pk>/review/", views.payout_review, name="payout-review"),
    path("payouts/<int:pk>/reject/", views.payout_reject, name="payout-reject"),
    path("holds/<int:pk>/decide/", views.hold_decide, name="hold-decide"),
    path("accounts/<int:pk>/statement/", views.account_statement, name="account-statement"),
    path(
        "accounts/<int:pk>/statement.xlsx",
        views.account_statement_xlsx,
        name="account-statement-xlsx",
    ),
    path("accounts/<int:pk>/notice/", views.payment_notice, name="payment-notice"),
]

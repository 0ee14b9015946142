"""Staff pages of the standby section (备勤): roster, my shifts, swaps, callouts, figures."""

from django.urls import path

from standby import views_callouts

app_name = "standby"

urlpatterns: list = [
    # --- callouts ---
    path("callouts/", views_callouts.callout_board, name="callout-board"),
    path("callouts/new/", views_callouts.callout_report, name="callout-report"),
    path("callouts/<int:pk>/", views_callouts.callout_detail, name="callout-detail"),
    path("callouts/<int:pk>/outcome/", views_callouts.callout_outcome, name="callout-outcome"),
    path(
        "callouts/<int:pk>/handover-document/",
        views_callouts.callout_handover_document,
        name="callout-handover-document",
    ),
    path("callouts/<int:pk>/<slug:step>/", views_callouts.callout_step, name="callout-step"),
]

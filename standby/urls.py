"""Staff pages of the standby section (备勤): roster, my shifts, swaps, callouts, figures."""

from django.urls import path

from standby import views_board, views_callouts, views_roster

app_name = "standby"

urlpatterns = [
    # --- roster ---
    path("roster/", views_roster.roster, name="roster"),
    path("my-shifts/", views_roster.my_shifts, name="my-shifts"),
    path("my-shifts/feed/<str:action>/", views_roster.feed_action, name="feed-action"),
    path("ical/<str:token>.ics", views_roster.ical_feed, name="ical"),
    path("swaps/", views_roster.swaps, name="swaps"),
    path("swaps/new/<int:shift_id>/", views_roster.swap_new, name="swap-new"),
    path("swaps/<int:pk>/<str:action>/", views_roster.swap_action, name="swap-action"),
    path("overrides/new/", views_roster.override_new, name="override-new"),
    path("teams/", views_roster.teams, name="teams"),
    path("teams/new/", views_roster.team_edit, name="team-new"),
    path("teams/<int:pk>/edit/", views_roster.team_edit, name="team-edit"),
    path("rotation/", views_roster.rotation_edit, name="rotation"),
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
    # --- Board and figures (figures slice) ---
    path("", views_board.board, name="board"),
]

"""Staff pages of the standby section (备勤): roster, my shifts, swaps, callouts, figures."""

from django.urls import path

from standby import views_roster

app_name = "standby"

urlpatterns: list = [
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
]

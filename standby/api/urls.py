"""Standby endpoints under ``/api/v1/standby/`` (included by ``courtexec.api.urls``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from standby.api import figures, roster
from standby.api.callouts import CalloutViewSet

router = SimpleRouter()
router.register("callouts", CalloutViewSet, basename="standby-callout")

urlpatterns = [
    # --- roster ---
    path("on-duty/", roster.OnDutyView.as_view(), name="standby-on-duty"),
    path("shifts/", roster.ShiftListView.as_view(), name="standby-shifts"),
    path("teams/", roster.TeamListView.as_view(), name="standby-teams"),
    path("teams/<int:pk>/", roster.TeamDetailView.as_view(), name="standby-team"),
    path("rotation/", roster.RotationView.as_view(), name="standby-rotation"),
    path("overrides/", roster.OverrideListView.as_view(), name="standby-overrides"),
    path("swaps/", roster.SwapListView.as_view(), name="standby-swaps"),
    path("swaps/<int:pk>/", roster.SwapDetailView.as_view(), name="standby-swap"),
    *[
        path(
            f"swaps/<int:pk>/{action}/",
            roster.swap_action_view(action),
            name=f"standby-swap-{action}",
        )
        for action in roster.SWAP_ACTIONS
    ],
    path("calendar-feed/", roster.CalendarFeedView.as_view(), name="standby-calendar-feed"),
    # --- callouts ---
    *router.urls,
    # --- Figures (figures slice) ---
    path("figures/", figures.FiguresView.as_view(), name="standby-figures"),
]

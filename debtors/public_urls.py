"""Pages anyone may open without signing in: the published list, the tip form, the big screen."""

from django.urls import path

app_name = "public"

urlpatterns: list = []

# --- Exposure: the big screen (曝光大屏) ---
from debtors import exposure_views  # noqa: E402

urlpatterns += [
    path("big-screen/", exposure_views.big_screen, name="big-screen"),
    path("big-screen/data/", exposure_views.big_screen_data, name="big-screen-data"),
]

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

# --- Tips (举报线索) ------------------------------------------------------------------------------
from debtors.tips import views as tip_views  # noqa: E402

urlpatterns += [
    path("tips/", tip_views.public_tip_form, name="tip-form"),
    path("tips/received/", tip_views.public_tip_received, name="tip-received"),
]

# --- Public search (公开查询) ---
from debtors import public_search  # noqa: E402

urlpatterns += [path("blacklist/", public_search.blacklist_search, name="blacklist")]

"""Staff pages of the debtors section (财产查控, 失信名单, 限制消费, 曝光, 举报)."""

from django.urls import path

app_name = "debtors"

urlpatterns: list = []

# --- Exposure (360°曝光) ---
from debtors import exposure_views  # noqa: E402

urlpatterns += [
    path("exposure/", exposure_views.exposure_list, name="exposure-list"),
    path("exposure/national-export/", exposure_views.national_export, name="national-export"),
    path("entries/<int:pk>/notice/", exposure_views.community_notice, name="community-notice"),
]

# --- Tips (举报线索) ------------------------------------------------------------------------------
from debtors.tips import views as tip_views  # noqa: E402

urlpatterns += [
    path("tips/", tip_views.tip_board, name="tip-board"),
    path("tips/hotline/", tip_views.tip_hotline, name="tip-hotline"),
    path("tips/<int:pk>/", tip_views.tip_detail, name="tip-detail"),
    path("tips/<int:pk>/assign/", tip_views.tip_assign, name="tip-assign"),
    path("tips/<int:pk>/outcome/", tip_views.tip_outcome, name="tip-outcome"),
    path("tips/<int:pk>/photo/", tip_views.tip_photo, name="tip-photo"),
]

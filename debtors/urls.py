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

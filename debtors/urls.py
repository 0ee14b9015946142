"""Staff pages of the debtors section (财产查控, 失信名单, 限制消费, 曝光, 举报)."""

from django.urls import path  # noqa: F401

app_name = "debtors"

urlpatterns: list = []

# --- Figures (figures slice) ---
from debtors import urls_figures  # noqa: E402

urlpatterns += urls_figures.urlpatterns

"""Pages anyone may open without signing in: the published list, the tip form, the big screen."""

from django.urls import path

app_name = "public"

urlpatterns: list = []

# --- Public search (公开查询) ---
from debtors import public_search  # noqa: E402

urlpatterns += [path("blacklist/", public_search.blacklist_search, name="blacklist")]

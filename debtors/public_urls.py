"""Pages anyone may open without signing in: the published list, the tip form, the big screen."""

from django.urls import path  # noqa: F401

app_name = "public"

urlpatterns: list = []

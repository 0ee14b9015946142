"""Staff pages of the standby section (备勤): roster, my shifts, swaps, callouts, figures."""

from django.urls import path  # noqa: F401

app_name = "standby"

urlpatterns: list = []

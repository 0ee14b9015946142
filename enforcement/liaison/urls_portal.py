"""Pages of the liaison station: portal."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

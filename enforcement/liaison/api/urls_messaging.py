"""API of the liaison station: messaging."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

"""API of the notification centre: a user's inbox and channel preferences."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

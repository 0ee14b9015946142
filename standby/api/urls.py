"""Standby endpoints under ``/api/v1/standby/`` (included by ``courtexec.api.urls``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

"""Standby endpoints under ``/api/v1/standby/`` (included by ``courtexec.api.urls``)."""

from django.urls import path

from standby.api import figures

urlpatterns: list = [
    # --- Figures (figures slice) ---
    path("figures/", figures.FiguresView.as_view(), name="standby-figures"),
]

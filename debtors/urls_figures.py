"""The figures page's URL, added to ``debtors.urls`` (namespace ``debtors``)."""

from django.urls import path

from debtors import views_figures

urlpatterns = [path("figures/", views_figures.figures, name="figures")]

"""Standby endpoints under ``/api/v1/standby/`` (included by ``courtexec.api.urls``)."""

from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

from standby.api.callouts import CalloutViewSet

router = SimpleRouter()
router.register("callouts", CalloutViewSet, basename="standby-callout")

urlpatterns: list = [*router.urls]

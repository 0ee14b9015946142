"""Pages of the liaison station: wechat."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

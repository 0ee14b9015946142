"""API of the liaison station: messaging."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from enforcement.liaison.api import messaging

router = SimpleRouter()
router.register("threads", messaging.ThreadViewSet, basename="liaison-thread")

urlpatterns: list = [
    *router.urls,
    path("reply-times/", messaging.ReplyTimesView.as_view(), name="liaison-reply-times"),
    path(
        "portal/cases/<int:case_pk>/messages/",
        messaging.PortalThreadView.as_view(),
        name="liaison-portal-thread",
    ),
]

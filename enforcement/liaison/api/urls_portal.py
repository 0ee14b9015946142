"""API of the liaison station: party sign-in, the party's cases, served documents."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from enforcement.liaison.api import portal

router = SimpleRouter()
router.register("documents", portal.ServedDocumentViewSet, basename="liaison-served-document")

urlpatterns: list = [
    path("auth/code/", portal.CodeView.as_view(), name="liaison-auth-code"),
    path("auth/session/", portal.SessionView.as_view(), name="liaison-auth-session"),
    path("portal/cases/", portal.PortalCasesView.as_view(), name="liaison-portal-cases"),
    path("portal/cases/<int:pk>/", portal.PortalCaseView.as_view(), name="liaison-portal-case"),
    path(
        "portal/documents/<int:pk>/download/",
        portal.PortalDocumentDownloadView.as_view(),
        name="liaison-portal-document",
    ),
    *router.urls,
]

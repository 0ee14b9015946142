"""Enforcement endpoints under ``/api/v1/`` (included by ``courtexec.api.urls``).

A ``SimpleRouter``: the API root view is ``courtexec``'s.
"""

from rest_framework.routers import SimpleRouter

from enforcement.api import views

router = SimpleRouter()
router.register("parties", views.PartyViewSet, basename="party")
router.register("cases", views.CaseViewSet, basename="case")
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("meetings", views.JointMeetingViewSet, basename="meeting")
router.register("objections", views.ObjectionViewSet, basename="objection")
router.register("measures", views.CoerciveMeasureViewSet, basename="measure")
router.register("field-actions", views.FieldActionViewSet, basename="field-action")
router.register("ticket-requests", views.TravelRequestViewSet, basename="ticket-request")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = router.urls

"""Pages of enforcement cases, mounted at /cases/ (namespace ``enforcement``)."""

from django.urls import path

from enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("mine/", views.case_list, {"mine": True}, name="my-cases"),
    path("new/", views.case_create, name="case-create"),
    path("parties/lookup/", views.party_lookup, name="party-lookup"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("photos/<int:pk>/", views.field_photo, name="field-photo"),
    path("<int:pk>/timeline/", views.case_timeline, name="case-timeline"),
    path("<int:pk>/close/", views.case_close, name="case-close"),
    path("<int:pk>/resume/", views.case_resume, name="case-resume"),
    path("<int:pk>/suspend/", views.case_suspend, name="case-suspend"),
    path("<int:pk>/reassign/", views.case_reassign, name="case-reassign"),
    path("<int:pk>/continue/", views.case_continue, name="case-continue"),
    path("<int:pk>/milestone/", views.case_milestone, name="case-milestone"),
    path(
        "<int:pk>/no-blacklist-grounds/",
        views.case_no_blacklist_grounds,
        name="case-no-blacklist-grounds",
    ),
    path("<int:pk>/performance/", views.case_performance, name="case-performance"),
    path("<int:pk>/extensions/", views.extension_request, name="extension-request"),
    path(
        "<int:pk>/extensions/<int:extension_pk>/decide/",
        views.extension_decide,
        name="extension-decide",
    ),
    path("<int:pk>/parties/", views.case_party_add, name="case-party-add"),
    path("<int:pk>/consultations/", views.consultation_create, name="consultation-create"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("<int:pk>/disposals/", views.disposal_create, name="disposal-create"),
    path("<int:pk>/objections/", views.objection_create, name="objection-create"),
    path(
        "<int:pk>/objections/<int:objection_pk>/rule/",
        views.objection_rule,
        name="objection-rule",
    ),
    path("<int:pk>/measures/", views.measure_create, name="measure-create"),
    path(
        "<int:pk>/measures/<int:measure_pk>/approve/",
        views.measure_approve,
        name="measure-approve",
    ),
    path(
        "<int:pk>/measures/<int:measure_pk>/family-notice/",
        views.measure_family_notice,
        name="measure-family-notice",
    ),
    path("<int:pk>/measures/<int:measure_pk>/review/", views.measure_review, name="measure-review"),
    path("<int:pk>/field/new/", views.field_action_create, name="field-action-create"),
    path("<int:pk>/travel/", views.travel_create, name="travel-create"),
    path("<int:pk>/travel/<int:travel_pk>/decide/", views.travel_decide, name="travel-decide"),
    path("<int:pk>/travel/<int:travel_pk>/tickets/", views.ticket_create, name="ticket-create"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/decide/",
        views.meeting_decide,
        name="meeting-decide",
    ),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
]

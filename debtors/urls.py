"""Staff pages of the debtors section (财产查控, 失信名单, 限制消费, 曝光, 举报)."""

from django.urls import path

from debtors import exposure_views, views, views_figures
from debtors.tips import views as tip_views

app_name = "debtors"

urlpatterns = [
    # Exposure (360°曝光)
    path("exposure/", exposure_views.exposure_list, name="exposure-list"),
    path("exposure/national-export/", exposure_views.national_export, name="national-export"),
    path("entries/<int:pk>/notice/", exposure_views.community_notice, name="community-notice"),
    # Tips (举报线索)
    path("tips/", tip_views.tip_board, name="tip-board"),
    path("tips/hotline/", tip_views.tip_hotline, name="tip-hotline"),
    path("tips/<int:pk>/", tip_views.tip_detail, name="tip-detail"),
    path("tips/<int:pk>/assign/", tip_views.tip_assign, name="tip-assign"),
    path("tips/<int:pk>/outcome/", tip_views.tip_outcome, name="tip-outcome"),
    path("tips/<int:pk>/photo/", tip_views.tip_photo, name="tip-photo"),
    # Staff screens: boards, the case file's tabs and their actions, the printable order
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/take/", views.request_take, name="request-take"),
    path("queue/<int:pk>/perform/", views.request_perform, name="request-perform"),
    path("freezes/expiring/", views.expiring, name="expiring"),
    path("deletions/", views.deletions, name="deletions"),
    path(
        "cases/<int:pk>/<str:tab>/",
        views.case_tab,
        name="case-tab",
    ),
    path(
        "cases/<int:pk>/property/request/",
        views.investigation_request,
        name="investigation-request",
    ),
    path(
        "cases/<int:pk>/findings/<int:finding_pk>/freeze/",
        views.freeze_create,
        name="freeze-create",
    ),
    path("cases/<int:pk>/freezes/<int:freeze_pk>/renew/", views.freeze_renew, name="freeze-renew"),
    path(
        "cases/<int:pk>/freezes/<int:freeze_pk>/release/",
        views.freeze_release,
        name="freeze-release",
    ),
    path(
        "cases/<int:pk>/freezes/<int:freeze_pk>/deduct/", views.freeze_deduct, name="freeze-deduct"
    ),
    path("cases/<int:pk>/blacklist/propose/", views.listing_propose, name="listing-propose"),
    path(
        "cases/<int:pk>/blacklist/<int:entry_pk>/<slug:action>/",
        views.listing_action,
        name="listing-action",
    ),
    path(
        "cases/<int:pk>/corrections/<int:request_pk>/review/",
        views.correction_review,
        name="correction-review",
    ),
    path(
        "cases/<int:pk>/corrections/<int:request_pk>/carry-out/",
        views.correction_carry_out,
        name="correction-carry-out",
    ),
    path("cases/<int:pk>/restriction/issue/", views.restriction_issue, name="restriction-issue"),
    path(
        "cases/<int:pk>/restriction/<int:order_pk>/lift/",
        views.restriction_lift,
        name="restriction-lift",
    ),
    path(
        "cases/<int:pk>/restriction/<int:order_pk>/exemptions/",
        views.exemption_create,
        name="exemption-create",
    ),
    path(
        "cases/<int:pk>/exemptions/<int:exemption_pk>/decide/",
        views.exemption_decide,
        name="exemption-decide",
    ),
    path("restriction-orders/<int:pk>/print/", views.restriction_print, name="restriction-print"),
    path("figures/", views_figures.figures, name="figures"),
]

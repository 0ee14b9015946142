"""Staff and custodian pages of the vehicles section (扣押车辆)."""

from django.urls import path

from vehicles import views, views_custodians, views_custody, views_fees, views_registry

app_name = "vehicles"

urlpatterns = [
    # --- vehicles and surveillance ---
    path("", views_registry.vehicle_list, name="home"),
    path("<int:pk>/", views.vehicle_detail, name="vehicle"),
    path("register/", views_registry.vehicle_register, name="register"),
    path("<int:pk>/edit/", views_registry.vehicle_edit, name="edit"),
    path("<int:pk>/surveillance/", views_registry.surveillance_add, name="surveil"),
    path("surveillance/<int:pk>/lift/", views_registry.surveillance_lift, name="lift"),
    path("wanted/", views_registry.wanted_list, name="wanted"),
    path("sightings/", views_registry.sighting_list, name="sightings"),
    path("sightings/report/", views_registry.sighting_report, name="sighting-report"),
    path("cases/<int:pk>/tab/", views_registry.case_tab, name="case-tab"),
    # --- impound lifecycle ---
    path("photos/<int:pk>/", views.custody_photo, name="photo"),
    path("<int:pk>/seize/", views_custody.seize, name="seize"),
    path("custody/portal/", views_custody.portal, name="custody-portal"),
    path("impounds/<int:pk>/<slug:action>/", views_custody.step, name="custody-step"),
    # --- custodians, fees and stock checks ---
    path("custody/", views_fees.custody_overview, name="custody"),
    path("statements/<int:impound_id>/", views_fees.statement, name="statement"),
    path("statements/<int:impound_id>/post/", views_fees.post_fees, name="post-fees"),
    path("invoices/", views_fees.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views_fees.invoice_detail, name="invoice"),
    path("lots/<int:pk>/stock-check/", views_fees.stock_check, name="stock-check"),
    path("custodians/", views_custodians.custodian_list, name="custodians"),
    path("custodians/new/", views_custodians.custodian_new, name="custodian-new"),
    path("custodians/<int:pk>/", views_custodians.custodian_detail, name="custodian"),
    path("custodians/<int:pk>/edit/", views_custodians.custodian_edit, name="custodian-edit"),
    path(
        "custodians/<int:pk>/agreements/new/",
        views_custodians.agreement_new,
        name="agreement-new",
    ),
    path(
        "custodians/<int:pk>/agreements/<int:agreement_id>/edit/",
        views_custodians.agreement_edit,
        name="agreement-edit",
    ),
    path("custodians/<int:pk>/lots/new/", views_custodians.lot_new, name="lot-new"),
    path(
        "custodians/<int:pk>/lots/<int:lot_id>/edit/",
        views_custodians.lot_edit,
        name="lot-edit",
    ),
]

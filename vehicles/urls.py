"""Staff and custodian pages of the vehicles section (扣押车辆)."""

from django.urls import path

from vehicles import views, views_custody

app_name = "vehicles"

urlpatterns = [
    # --- vehicles and surveillance ---
    path("", views.vehicle_list, name="home"),
    path("<int:pk>/", views.vehicle_detail, name="vehicle"),
    # --- impound lifecycle ---
    path("photos/<int:pk>/", views.custody_photo, name="photo"),
    # --- custodians, fees and stock checks ---
    path("custody/", views_custody.custody_overview, name="custody"),
    path("statements/<int:impound_id>/", views_custody.statement, name="statement"),
    path("statements/<int:impound_id>/post/", views_custody.post_fees, name="post-fees"),
    path("invoices/", views_custody.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views_custody.invoice_detail, name="invoice"),
    path("lots/<int:pk>/stock-check/", views_custody.stock_check, name="stock-check"),
]

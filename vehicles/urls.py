"""Staff and custodian pages of the vehicles section (扣押车辆)."""

from django.urls import path

from vehicles import views, views_fees

app_name = "vehicles"

urlpatterns = [
    # --- vehicles and surveillance ---
    path("", views.vehicle_list, name="home"),
    path("<int:pk>/", views.vehicle_detail, name="vehicle"),
    # --- impound lifecycle ---
    path("photos/<int:pk>/", views.custody_photo, name="photo"),
    # --- custodians, fees and stock checks ---
    path("custody/", views_fees.custody_overview, name="custody"),
    path("statements/<int:impound_id>/", views_fees.statement, name="statement"),
    path("statements/<int:impound_id>/post/", views_fees.post_fees, name="post-fees"),
    path("invoices/", views_fees.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views_fees.invoice_detail, name="invoice"),
    path("lots/<int:pk>/stock-check/", views_fees.stock_check, name="stock-check"),
]

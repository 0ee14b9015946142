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
    path("<int:pk>/seize/", views_custody.seize, name="seize"),
    path("custody/portal/", views_custody.portal, name="custody-portal"),
    path("impounds/<int:pk>/<slug:action>/", views_custody.step, name="custody-step"),
    # --- custodians, fees and stock checks ---
]

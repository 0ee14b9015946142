"""Staff and custodian pages of the vehicles section (扣押车辆)."""

from django.urls import path

from vehicles import views

app_name = "vehicles"

urlpatterns = [
    # --- vehicles and surveillance ---
    path("", views.vehicle_list, name="home"),
    path("<int:pk>/", views.vehicle_detail, name="vehicle"),
    # --- impound lifecycle ---
    path("photos/<int:pk>/", views.custody_photo, name="photo"),
    # --- custodians, fees and stock checks ---
]

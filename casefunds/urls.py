from django.urls import path

from casefunds import views

app_name = "casefunds"

urlpatterns = [
    path("", views.workbench, name="workbench"),
]

from django.urls import path

from courtexec.command import views_workload

urlpatterns = [
    path("", views_workload.workload, name="workload"),
]

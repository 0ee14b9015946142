from django.urls import path

from courtexec.command import views_exports

urlpatterns = [
    path("", views_exports.export_list, name="exports"),
    path("request/", views_exports.export_request, name="export-request"),
    path("<int:pk>/", views_exports.export_detail, name="export"),
    path("<int:pk>/progress/", views_exports.export_progress, name="export-progress"),
    path("<int:pk>/download/", views_exports.export_download, name="export-download"),
]

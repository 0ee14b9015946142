from django.urls import path

from courtexec.command import views_reports

urlpatterns = [
    path("", views_reports.report_list, name="reports"),
    path("<int:pk>/", views_reports.report_detail, name="report"),
    path("<int:pk>/xlsx/", views_reports.report_xlsx, name="report-xlsx"),
]

from django.urls import include, path

app_name = "command"

urlpatterns = [
    path("", include("courtexec.command.urls_dashboard")),
    path("workload/", include("courtexec.command.urls_workload")),
    path("campaigns/", include("courtexec.command.urls_campaigns")),
    path("exports/", include("courtexec.command.urls_exports")),
    path("reports/", include("courtexec.command.urls_reports")),
]

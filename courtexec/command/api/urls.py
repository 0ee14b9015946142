from django.urls import include, path

urlpatterns = [
    path("", include("courtexec.command.api.stats")),
    path("workload/", include("courtexec.command.api.workload")),
    path("campaigns/", include("courtexec.command.api.campaigns")),
    path("", include("courtexec.command.api.reports")),
]

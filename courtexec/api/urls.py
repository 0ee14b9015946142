from django.urls import include, path
from rest_framework.routers import DefaultRouter

from courtexec.api import views
from debtors.api.views import PublicBlacklistSearchView

router = DefaultRouter()
router.register("courts", views.CourtViewSet, basename="court")
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
    path("", include("enforcement.api.urls")),
    path("funds/", include("casefunds.api.urls")),
    path("debtors/", include("debtors.api.urls")),
    path("standby/", include("standby.api.urls")),
    path("vehicles/", include("vehicles.api.urls")),
    path("liaison/", include("enforcement.liaison.api.urls")),
    path("notifications/", include("courtexec.api.notifications")),
    path("stats/", include("courtexec.command.api.urls")),
    path("public/blacklist/", PublicBlacklistSearchView.as_view(), name="public-blacklist-search"),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from courtexec import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("staff/", views.staff_directory, name="staff-directory"),
    path("notifications/", views.notifications, name="notifications"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification-preferences",
    ),
    path("notifications/failures/", views.delivery_failures, name="delivery-failures"),
    path("section/<slug:key>/", views.section_overview, name="section"),
    path("cases/", include("enforcement.urls")),
    path("funds/", include("casefunds.urls")),
    path("debtors/", include("debtors.urls")),
    path("standby/", include("standby.urls")),
    path("vehicles/", include("vehicles.urls")),
    path("liaison/", include("enforcement.liaison.urls")),
    path("command/", include("courtexec.command.urls")),
    path("public/", include("debtors.public_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("courtexec.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = "courtexec.views.permission_denied"
handler404 = "courtexec.views.page_not_found"
handler500 = "courtexec.views.server_error"

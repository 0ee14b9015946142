"""Pages of the liaison station: the party portal and the staff page of served documents."""

from django.urls import path

from enforcement.liaison import views_portal

urlpatterns: list = [
    path("portal/login/", views_portal.portal_login, name="portal-login"),
    path("portal/login/code/", views_portal.portal_login_code, name="portal-login-code"),
    path("portal/logout/", views_portal.portal_logout, name="portal-logout"),
    path("portal/", views_portal.portal_home, name="portal-home"),
    path("portal/cases/<int:pk>/", views_portal.portal_case, name="portal-case"),
    path("portal/cases/<int:pk>/notice/", views_portal.portal_notice, name="portal-notice"),
    path("portal/documents/<int:pk>/", views_portal.portal_document, name="portal-document"),
    path("cases/<int:pk>/documents/", views_portal.case_documents, name="case-documents"),
    path("documents/<int:pk>/file/", views_portal.case_document_file, name="document-file"),
]

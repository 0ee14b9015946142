"""The project's URLs, plus a stand-in for the portal's home page until the portal's own URLs
define ``liaison:portal-home`` (the menu links to it)."""

from django.http import HttpResponse
from django.urls import include, path

from courtexec.urls import urlpatterns as project
from enforcement.liaison import urls as liaison_urls
from enforcement.liaison import urls_portal

urlpatterns = project
if not any(getattr(p, "name", None) == "portal-home" for p in urls_portal.urlpatterns):
    stand_in = [path("", lambda request: HttpResponse(), name="portal-home")]
    urlpatterns = [
        path("liaison/", include((stand_in + liaison_urls.urlpatterns, "liaison"))),
        *project,
    ]

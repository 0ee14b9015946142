"""The project's URLs plus ``/bench/bare/``: a bare JSON view (DRF, no sign-in, no database,
no throttle) served by the same server as the view under test — the benchmarks' baseline."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from courtexec.urls import handler403, handler404, handler500  # noqa: F401
from courtexec.urls import urlpatterns as project


class BareView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"count": 0, "results": []}, headers={"Cache-Control": "no-store"})


# Last, so that resolving it walks the project's patterns as resolving /api/v1/… does.
urlpatterns = [*project, path("bench/bare/", BareView.as_view())]

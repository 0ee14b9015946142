"""Case-funds pages: thin views over selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("casefunds.view_deposit", raise_exception=True)
def workbench(request):
    return render(request, "casefunds/workbench.html", {})

"""The door for parties: views and API endpoints of the portal admit only signed-in parties."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import redirect
from rest_framework.permissions import BasePermission

from enforcement.liaison.selectors import portal_account


def party_required(view):
    """A portal page: a party's session is required, anyone else goes to the code sign-in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        account = portal_account(request.user)
        if account is None:
            return redirect("liaison:portal-login")
        request.portal_account = account
        return view(request, *args, **kwargs)

    return wrapped


class IsParty(BasePermission):
    """API endpoints of the portal: the caller is a signed-in party."""

    def has_permission(self, request, view) -> bool:
        account = portal_account(request.user)
        request.portal_account = account
        return account is not None

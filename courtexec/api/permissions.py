"""Model permissions for the API: reads need ``view_<model>``, and actions say what they need.

DRF's ``DjangoModelPermissions`` lets any authenticated user read. Here GET, HEAD and OPTIONS
need ``<app>.view_<model>`` as well, so a role without the permission sees nothing. A viewset
action names its own permissions with ``@action(..., required_perms=[...])`` (the view class
declares ``required_perms = None``); ``%(app_label)s`` and ``%(model_name)s`` in them refer to
the viewset's model. Which *records* a user sees is not decided here but by
``courtexec.visibility.restrict`` in each viewset's queryset.
"""

from __future__ import annotations

from rest_framework.permissions import DjangoModelPermissions

VIEW = "%(app_label)s.view_%(model_name)s"
ADD = "%(app_label)s.add_%(model_name)s"
CHANGE = "%(app_label)s.change_%(model_name)s"
DELETE = "%(app_label)s.delete_%(model_name)s"


class ModelPermissions(DjangoModelPermissions):
    perms_map = {
        "GET": [VIEW],
        "OPTIONS": [VIEW],
        "HEAD": [VIEW],
        "POST": [ADD],
        "PUT": [CHANGE],
        "PATCH": [CHANGE],
        "DELETE": [DELETE],
    }

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        explicit = getattr(view, "required_perms", None)
        if explicit is None:
            return super().has_permission(request, view)
        meta = self._queryset(view).model._meta
        names = {"app_label": meta.app_label, "model_name": meta.model_name}
        return request.user.has_perms([perm % names for perm in explicit])

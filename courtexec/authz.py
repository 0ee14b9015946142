"""Authorisation and validation helpers every app's services share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from courtexec.models import Court, User
from courtexec.roles import Role


def require(condition: bool, field: str, message: str, code: str = "invalid") -> None:
    """Raise a field error unless ``condition`` holds."""
    if not condition:
        raise ValidationError({field: ValidationError(message, code=code)})


def require_role(user: User, *roles: Role) -> None:
    if user.is_superuser or any(user.has_role(role) for role in roles):
        return
    raise PermissionDenied(_("Your role may not do this."))


def authorise(user: User, court: Court, permission: str) -> None:
    """Writes are for the court's own staff holding the permission, whatever the door.

    Seeing a court's records (a higher court, the system administrator) is not leave to change
    them; only a superuser acts across courts.
    """
    if user.is_superuser:
        return
    if user.court_id != court.pk:
        raise PermissionDenied(_("This record belongs to another court."))
    if not user.has_perm(permission):
        raise PermissionDenied(_("Your role may not do this."))

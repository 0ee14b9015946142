"""Writes of the project package: courts, staff accounts and API tokens."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from courtexec.models import Court, User
from courtexec.roles import Role


@transaction.atomic
def issue_api_token(*, user: User) -> str:
    """The user's API token, created on first use (one per user; revoke by deleting it)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


@transaction.atomic
def ensure_court(*, code: str, name: str, level: str, parent: Court | None = None) -> Court:
    court, _created = Court.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    court.full_clean()
    return court


@transaction.atomic
def ensure_staff_member(
    *,
    username: str,
    password: str,
    court: Court | None,
    roles: list[Role],
    display_name: str = "",
    phone: str = "",
    staff_number: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create or update a staff account with exactly the given roles (idempotent)."""
    from django.contrib.auth.models import Group

    user = User.objects.filter(username=username).first() or User(username=username)
    user.court = court
    user.display_name = display_name
    user.phone = phone
    user.staff_number = staff_number
    user.is_staff = is_staff or is_superuser
    user.is_superuser = is_superuser
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    return user

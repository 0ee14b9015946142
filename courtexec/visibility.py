"""Who may see which court's records: the one helper used by UI, API, admin and exports.

A user sees their own court's records. A role with ``view_lower_courts`` (a higher court's
president) also sees every court below theirs, and ``view_all_courts`` (system administrator)
or a superuser sees every court. Everything court-scoped is filtered through :func:`restrict`.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet

from courtexec.models import Court, User


def visible_court_ids(user: User) -> set[int] | None:
    """The ids of the courts ``user`` may see; ``None`` means every court."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser or user.has_perm("courtexec.view_all_courts"):
        return None
    if user.court_id is None:
        return set()
    ids = {user.court_id}
    if user.has_perm("courtexec.view_lower_courts"):
        frontier = {user.court_id}
        while frontier:
            frontier = (
                set(Court.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
            )
            ids |= frontier
    return ids


def court_field_of(model: type[Model]) -> str:
    """The lookup path from a model to its court (``court`` unless the model says otherwise)."""
    if model is Court:
        return "pk"
    return getattr(model, "court_lookup", "court")


def restrict(queryset: QuerySet, user: User) -> QuerySet:
    """``queryset`` narrowed to the records of the courts ``user`` may see.

    A model whose records are shared between courts (a party appears in several courts' cases)
    defines ``restrict_to_courts(queryset, court_ids)`` to say which of them a court sees.
    """
    ids = visible_court_ids(user)
    if ids is None:
        return queryset
    custom = getattr(queryset.model, "restrict_to_courts", None)
    if custom is not None:
        return custom(queryset, ids)
    return queryset.filter(**{f"{court_field_of(queryset.model)}__in": ids})


def can_see(user: User, obj: Model) -> bool:
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user).exists()

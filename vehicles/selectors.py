"""Reads of vehicles, surveillance, impounds and custody that views, API and tasks share.

Visibility: staff see their courts' records (``courtexec.visibility.restrict``); a custodian's
users see only the impounds in their own company's custody (and those vehicles, events and
photos); a police liaison or a partner system sees only its own sightings.
"""

from __future__ import annotations

from django.db.models import QuerySet

from courtexec.models import User
from courtexec.roles import Role
from courtexec.visibility import restrict
from vehicles.models import CustodyEvent, Impound, Sighting, Vehicle


def is_custodian_user(user: User) -> bool:
    """A custodian company's user (and nothing more): their view is narrowed to their custody."""
    return user.has_role(Role.CUSTODIAN) and not user.is_superuser


def visible_impounds(user: User) -> QuerySet[Impound]:
    queryset = restrict(Impound.objects.all(), user)
    if is_custodian_user(user):
        queryset = queryset.filter(custodian__members=user)
    return queryset.select_related("vehicle", "case", "custodian", "lot")


def visible_vehicles(user: User) -> QuerySet[Vehicle]:
    queryset = restrict(Vehicle.objects.all(), user)
    if is_custodian_user(user):
        queryset = queryset.filter(impounds__in=visible_impounds(user).values("pk")).distinct()
    return queryset.select_related("owner")


def visible_events(user: User) -> QuerySet[CustodyEvent]:
    return CustodyEvent.objects.filter(impound__in=visible_impounds(user).values("pk"))


def visible_sightings(user: User) -> QuerySet[Sighting]:
    queryset = restrict(Sighting.objects.all(), user)
    if (
        user.has_role(Role.POLICE_LIAISON) or user.has_role(Role.SIGHTING_PARTNER)
    ) and not user.is_superuser:
        queryset = queryset.filter(reported_by=user)
    return queryset


# --- impound lifecycle ---


def current_impound(user: User, vehicle: Vehicle) -> Impound | None:
    """The vehicle's open impound the user sees, else its latest one (or none)."""
    impounds = visible_impounds(user).filter(vehicle=vehicle)
    return (
        impounds.filter(state__in=Impound.OPEN_STATES).first()
        or impounds.order_by("-seized_at", "-pk").first()
    )


def chain_of_custody(impound: Impound) -> QuerySet[CustodyEvent]:
    """The links in the order they happened, with their photos and who recorded them."""
    return (
        impound.events.select_related("recorded_by").prefetch_related("photos").order_by("at", "pk")
    )


def custody_portal(user: User) -> dict[str, QuerySet[Impound]]:
    """A custodian's working list: vehicles on their way (towed) and those kept, by lot and bay."""
    impounds = visible_impounds(user)
    return {
        "arriving": impounds.filter(state=Impound.State.TOWED).order_by("towed_at", "pk"),
        "kept": impounds.filter(state=Impound.State.IN_CUSTODY).order_by("lot__name", "bay", "pk"),
        "auctioned": impounds.filter(state=Impound.State.TO_AUCTION).order_by("ended_at", "pk"),
    }

"""Reads of vehicles, surveillance, impounds and custody that views, API and tasks share.

Visibility: staff see their courts' records (``courtexec.visibility.restrict``); a custodian's
users see only the impounds in their own company's custody (and those vehicles, events and
photos); a police liaison or a partner system sees only its own sightings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, DateField, Max, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from courtexec.models import User
from courtexec.roles import Role
from courtexec.visibility import restrict
from vehicles import fees
from vehicles.models import (
    Custodian,
    CustodyAgreement,
    CustodyEvent,
    CustodyInvoice,
    FeePosting,
    Impound,
    Lot,
    Sighting,
    StockCheck,
    Vehicle,
)


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


# --- vehicles and surveillance ---

from django.db.models import Exists, OuterRef, Subquery  # noqa: E402

from courtexec.models import Court  # noqa: E402
from enforcement.models import EnforcementCase  # noqa: E402
from vehicles.models import Surveillance  # noqa: E402

NOT_IMPOUNDED = "not_impounded"
UNDER_SURVEILLANCE = "under_surveillance"


def active_surveillances(court: Court | int, on: dt.date | None = None) -> QuerySet[Surveillance]:
    """The court's wanted list on ``on`` (today): not lifted and ``starts_on ≤ on ≤ ends_on``."""
    on = on or timezone.localdate()
    return Surveillance.objects.filter(
        case__court=court, lifted_at__isnull=True, starts_on__lte=on, ends_on__gte=on
    )


def visible_surveillances(user: User) -> QuerySet[Surveillance]:
    return restrict(Surveillance.objects.all(), user).select_related(
        "vehicle__owner", "case__judge", "requested_by", "lifted_by"
    )


def wanted_list(user: User, on: dt.date | None = None) -> QuerySet[Surveillance]:
    """The active surveillances the user may see, for the police and road campaigns."""
    on = on or timezone.localdate()
    return (
        visible_surveillances(user)
        .filter(lifted_at__isnull=True, starts_on__lte=on, ends_on__gte=on)
        .order_by("vehicle__plate", "case__number", "pk")
    )


@dataclass(frozen=True)
class VehicleFilters:
    """The vehicle list's filters, shared by the page, the export and the API."""

    status: str = ""  # an Impound.State, NOT_IMPOUNDED or UNDER_SURVEILLANCE
    custodian: int | None = None
    case: str = ""  # case number, contains
    min_days: int | None = None  # days in custody of the open impound, at least
    plate: str = ""  # plate or VIN, contains (normalised)


def filter_vehicles(
    queryset: QuerySet[Vehicle], filters: VehicleFilters, now: dt.datetime | None = None
) -> QuerySet[Vehicle]:
    """Narrow ``queryset`` by ``filters``; "status" is the state of the vehicle's open impound
    (a closed impound's end state matches its vehicle's latest impound)."""
    from vehicles.validators import normalise_plate

    now = now or timezone.now()
    open_impounds = Impound.objects.filter(vehicle=OuterRef("pk"), state__in=Impound.OPEN_STATES)
    if filters.status == NOT_IMPOUNDED:
        queryset = queryset.filter(~Exists(open_impounds))
    elif filters.status == UNDER_SURVEILLANCE:
        active = Surveillance.objects.filter(
            vehicle=OuterRef("pk"),
            lifted_at__isnull=True,
            starts_on__lte=timezone.localdate(now),
            ends_on__gte=timezone.localdate(now),
        )
        queryset = queryset.filter(Exists(active))
    elif filters.status in Impound.State.values:
        if filters.status in Impound.OPEN_STATES:
            queryset = queryset.filter(Exists(open_impounds.filter(state=filters.status)))
        else:
            latest_state = (
                Impound.objects.filter(vehicle=OuterRef("pk"))
                .order_by("-seized_at", "-pk")
                .values("state")[:1]
            )
            queryset = queryset.annotate(latest_state=Subquery(latest_state)).filter(
                latest_state=filters.status
            )
    if filters.custodian:
        queryset = queryset.filter(Exists(open_impounds.filter(custodian_id=filters.custodian)))
    if filters.case:
        queryset = queryset.filter(cases__number__icontains=filters.case.strip()).distinct()
    if filters.min_days is not None and filters.min_days >= 0:
        queryset = queryset.filter(
            Exists(
                open_impounds.filter(
                    intake_at__isnull=False,
                    intake_at__lte=now - dt.timedelta(days=filters.min_days),
                )
            )
        )
    if filters.plate:
        text = normalise_plate(filters.plate)
        if text:
            queryset = queryset.filter(Q(plate__icontains=text) | Q(vin__icontains=text))
    return queryset


def open_impound_of(vehicle: Vehicle) -> Impound | None:
    return vehicle.impounds.filter(state__in=Impound.OPEN_STATES).first()


def vehicle_rows(vehicles: list[Vehicle], now: dt.datetime | None = None) -> list[Vehicle]:
    """Each vehicle with ``open_impound``, ``days_in_custody`` and ``under_surveillance``,
    read in two queries for the whole page."""
    now = now or timezone.now()
    ids = [vehicle.pk for vehicle in vehicles]
    impounds = {
        impound.vehicle_id: impound
        for impound in Impound.objects.filter(
            vehicle_id__in=ids, state__in=Impound.OPEN_STATES
        ).select_related("custodian", "lot", "case")
    }
    today = timezone.localdate(now)
    watched = set(
        Surveillance.objects.filter(
            vehicle_id__in=ids, lifted_at__isnull=True, starts_on__lte=today, ends_on__gte=today
        ).values_list("vehicle_id", flat=True)
    )
    for vehicle in vehicles:
        vehicle.open_impound = impounds.get(vehicle.pk)
        intake = vehicle.open_impound.intake_at if vehicle.open_impound else None
        vehicle.days_in_custody = (now - intake).days if intake else None
        vehicle.under_surveillance = vehicle.pk in watched
    return vehicles


def case_vehicles(case: EnforcementCase) -> dict:
    """The case file's Vehicles tab: the case's vehicles, surveillances and impounds."""
    return {
        "vehicles": list(case.vehicles.select_related("owner").order_by("plate", "pk")),
        "surveillances": list(
            case.vehicle_surveillances.select_related("vehicle", "requested_by").order_by(
                "-starts_on", "-pk"
            )
        ),
        "impounds": list(
            case.impounds.select_related("vehicle", "custodian", "lot").order_by("-seized_at")
        ),
    }


def search_wanted(entries: QuerySet[Surveillance], text: str) -> QuerySet[Surveillance]:
    """Plate (normalised), VIN, case number or owner's name, contains."""
    from vehicles.validators import normalise_plate

    plate = normalise_plate(text)
    return entries.filter(
        Q(vehicle__plate__icontains=plate)
        | Q(vehicle__vin__icontains=plate)
        | Q(case__number__icontains=text)
        | Q(vehicle__owner__name__icontains=text)
    )


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


# --- custodians, fees and stock checks ---


def visible_custodians(user: User) -> QuerySet[Custodian]:
    """The court's custodians; a custodian's user sees only their own company."""
    queryset = restrict(Custodian.objects.all(), user)
    if is_custodian_user(user):
        queryset = queryset.filter(members=user)
    return queryset


def visible_agreements(user: User) -> QuerySet[CustodyAgreement]:
    return (
        CustodyAgreement.objects.filter(custodian__in=visible_custodians(user).values("pk"))
        .select_related("custodian")
        .prefetch_related("rates")
    )


def visible_lots(user: User) -> QuerySet[Lot]:
    """Lots with ``occupancy`` (vehicles in custody there now) annotated."""
    return with_occupancy(Lot.objects.filter(custodian__in=visible_custodians(user).values("pk")))


def with_occupancy(queryset: QuerySet[Lot]) -> QuerySet[Lot]:
    return queryset.select_related("custodian").annotate(
        occupancy=Count("impounds", filter=Q(impounds__state=Impound.State.IN_CUSTODY)),
        last_checked_at=Max("stock_checks__checked_at"),
    )


def lot_occupancy(lot: Lot) -> int:
    return Impound.objects.filter(lot=lot, state=Impound.State.IN_CUSTODY).count()


def visible_stock_checks(user: User) -> QuerySet[StockCheck]:
    return StockCheck.objects.filter(
        lot__custodian__in=visible_custodians(user).values("pk")
    ).select_related("lot", "lot__custodian", "checked_by")


def visible_invoices(user: User) -> QuerySet[CustodyInvoice]:
    return CustodyInvoice.objects.filter(
        custodian__in=visible_custodians(user).values("pk")
    ).select_related("custodian", "issued_by")


def visible_postings(user: User) -> QuerySet[FeePosting]:
    """Cost postings are the court's records: a custodian's users do not see them."""
    if is_custodian_user(user):
        return FeePosting.objects.none()
    return restrict(FeePosting.objects.all(), user).select_related(
        "impound", "impound__vehicle", "case", "posted_by"
    )


def in_custody_at(lot: Lot, moment: dt.datetime) -> QuerySet[Impound]:
    """The impounds the records put in ``lot`` at ``moment`` (taken in before, not yet out)."""
    return (
        Impound.objects.filter(lot=lot, intake_at__lte=moment)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=moment))
        .exclude(state__in=[Impound.State.SEIZED, Impound.State.TOWED])
        .select_related("vehicle")
        .order_by("bay", "pk")
    )


def agreement_terms(custodian_id: int | None) -> list[fees.Terms]:
    """A custodian's agreements as the fee arithmetic takes them (one query with rates)."""
    if custodian_id is None:
        return []
    return _terms(
        CustodyAgreement.objects.filter(custodian_id=custodian_id).prefetch_related("rates")
    )


def terms_of(custodian: Custodian | None) -> list[fees.Terms]:
    """:func:`agreement_terms` read from ``custodian.agreements`` (prefetched with their rates
    by :func:`charged_between`, so a list of impounds costs no query per row)."""
    return [] if custodian is None else _terms(custodian.agreements.all())


def _terms(agreements: Iterable[CustodyAgreement]) -> list[fees.Terms]:
    return [
        fees.Terms(
            agreement.pk,
            agreement.number,
            agreement.valid_from,
            agreement.valid_until,
            agreement.towing_fee,
            {rate.vehicle_class: rate.daily_fee for rate in agreement.rates.all()},
        )
        for agreement in agreements
    ]


def impound_statement(
    impound: Impound,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    with_towing: bool = True,
    terms: list[fees.Terms] | None = None,
) -> fees.Statement:
    """The fees of ``impound`` over its custody clipped to ``start``..``end`` (default: to the
    day it left custody, or today while it is still kept)."""
    intake_day = fees.local_day(impound.intake_at)
    left_day = fees.local_day(impound.ended_at)
    if end is None and left_day is None:
        end = timezone.localdate()
    first, last = fees.custody_range(intake_day, left_day, start=start, end=end)
    return fees.statement(
        agreement_terms(impound.custodian_id) if terms is None else terms,
        vehicle_class=impound.vehicle.vehicle_class,
        first_day=first,
        last_day=last,
        tow_day=fees.local_day(impound.towed_at),
        with_towing=with_towing,
    )


def stock_check_due_on(last_checked_at: dt.datetime | None) -> dt.date | None:
    """The day a lot's next stock check is due; ``None`` when it was never counted (due now)."""
    if last_checked_at is None:
        return None
    return fees.local_day(last_checked_at) + dt.timedelta(days=settings.VEHICLES_STOCK_CHECK_DAYS)


def long_custody(user: User, now: dt.datetime | None = None) -> QuerySet[Impound]:
    """Vehicles in custody longer than ``VEHICLES_CUSTODY_ALERT_DAYS`` with no disposal."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.VEHICLES_CUSTODY_ALERT_DAYS)
    return (
        visible_impounds(user)
        .filter(state=Impound.State.IN_CUSTODY, disposal="", intake_at__lte=since)
        .order_by("intake_at")
    )


@dataclass
class CustodianOverview:
    custodian: Custodian
    lots: list[Lot]
    month_fees: int
    unpriced_days: int


def custody_overview(user: User, today: dt.date | None = None) -> list[CustodianOverview]:
    """Per custodian: lots with occupancy and the next stock check, and this month's fees to
    date (every vehicle kept any day of the month, towing if towed this month)."""
    today = today or timezone.localdate()
    first, _last = fees.month_bounds(today)
    lots = list(visible_lots(user).order_by("custodian__name", "name"))
    for lot in lots:
        lot.check_due_on = stock_check_due_on(lot.last_checked_at)
        lot.check_overdue = lot.check_due_on is None or lot.check_due_on <= today
    result = []
    for custodian in visible_custodians(user).order_by("name"):
        line_total, unpriced = 0, 0
        terms = agreement_terms(custodian.pk)
        for impound in month_impounds(custodian, first, today):
            month = month_statement(impound, first, today, terms)
            line_total += month.total
            unpriced += len(month.unpriced_days)
        result.append(
            CustodianOverview(
                custodian,
                [lot for lot in lots if lot.custodian_id == custodian.pk],
                line_total,
                unpriced,
            )
        )
    return result


def month_impounds(custodian: Custodian, first: dt.date, last: dt.date) -> QuerySet[Impound]:
    """A custodian's impounds kept any day of ``first``..``last`` or towed in it."""
    return (
        kept_or_towed(Impound.objects.filter(custodian=custodian), first, last)
        .select_related("vehicle", "case")
        .order_by("intake_at", "pk")
    )


def kept_or_towed(impounds: QuerySet[Impound], first: dt.date, last: dt.date) -> QuerySet[Impound]:
    """Those of ``impounds`` kept any day of ``first``..``last`` or towed in it: the impounds
    that charge fees for those days."""
    tz = timezone.get_default_timezone()
    starts = timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz)
    ends = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min), tz)
    kept = Q(intake_at__lt=ends) & (Q(ended_at__isnull=True) | Q(ended_at__gte=starts))
    towed = Q(towed_at__gte=starts, towed_at__lt=ends)
    return impounds.filter(kept | towed)


def charged_between(
    impounds: QuerySet[Impound], first: dt.date, last: dt.date
) -> QuerySet[Impound]:
    """:func:`kept_or_towed`, each impound carrying the period (``charged_from``,
    ``charged_to``) and its custodian's agreements, for :func:`period_statement`."""
    agreements = CustodyAgreement.objects.prefetch_related("rates")
    return (
        kept_or_towed(impounds, first, last)
        .annotate(
            charged_from=Value(first, output_field=DateField()),
            charged_to=Value(last, output_field=DateField()),
        )
        .select_related("vehicle", "case__court", "custodian")
        .prefetch_related(Prefetch("custodian__agreements", queryset=agreements))
    )


def period_statement(impound: Impound) -> fees.Statement:
    """The fees of an impound of :func:`charged_between` for its period, as the custody
    overview reads a month: the days kept in it, towing if towed in it."""
    return month_statement(
        impound, impound.charged_from, impound.charged_to, terms_of(impound.custodian)
    )


def month_statement(
    impound: Impound, first: dt.date, last: dt.date, terms: list[fees.Terms]
) -> fees.Statement:
    """``impound``'s fees for the days ``first``..``last``; towing only if towed in them."""
    tow_day = fees.local_day(impound.towed_at)
    towed_here = tow_day is not None and first <= tow_day <= last
    return impound_statement(impound, start=first, end=last, with_towing=towed_here, terms=terms)

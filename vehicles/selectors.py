"""Reads of vehicles, surveillance, impounds and custody that views, API and tasks share.

Visibility: staff see their courts' records (``courtexec.visibility.restrict``); a custodian's
users see only the impounds in their own company's custody (and those vehicles, events and
photos); a police liaison or a partner system sees only its own sightings.
"""

from __future__ import annotations

# custodians, fees and stock checks (aliased: no clash with the other sections' names)
import datetime as _dt
from dataclasses import dataclass as _dataclass

from django.conf import settings as _settings
from django.db.models import Count as _Count
from django.db.models import Max as _Max
from django.db.models import Q as _Q
from django.db.models import QuerySet
from django.utils import timezone as _timezone

from courtexec.models import User
from courtexec.roles import Role
from courtexec.visibility import restrict
from vehicles import fees as _fees
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
        occupancy=_Count("impounds", filter=_Q(impounds__state=Impound.State.IN_CUSTODY)),
        last_checked_at=_Max("stock_checks__checked_at"),
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


def in_custody_at(lot: Lot, moment: _dt.datetime) -> QuerySet[Impound]:
    """The impounds the records put in ``lot`` at ``moment`` (taken in before, not yet out)."""
    return (
        Impound.objects.filter(lot=lot, intake_at__lte=moment)
        .filter(_Q(ended_at__isnull=True) | _Q(ended_at__gt=moment))
        .exclude(state__in=[Impound.State.SEIZED, Impound.State.TOWED])
        .select_related("vehicle")
        .order_by("bay", "pk")
    )


def agreement_terms(custodian_id: int | None) -> list[_fees.Terms]:
    """A custodian's agreements as the fee arithmetic takes them (one query with rates)."""
    if custodian_id is None:
        return []
    agreements = CustodyAgreement.objects.filter(custodian_id=custodian_id).prefetch_related(
        "rates"
    )
    return [
        _fees.Terms(
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
    start: _dt.date | None = None,
    end: _dt.date | None = None,
    with_towing: bool = True,
    terms: list[_fees.Terms] | None = None,
) -> _fees.Statement:
    """The fees of ``impound`` over its custody clipped to ``start``..``end`` (default: to the
    day it left custody, or today while it is still kept)."""
    intake_day = _fees.local_day(impound.intake_at)
    left_day = _fees.local_day(impound.ended_at)
    if end is None and left_day is None:
        end = _timezone.localdate()
    first, last = _fees.custody_range(intake_day, left_day, start=start, end=end)
    return _fees.statement(
        agreement_terms(impound.custodian_id) if terms is None else terms,
        vehicle_class=impound.vehicle.vehicle_class,
        first_day=first,
        last_day=last,
        tow_day=_fees.local_day(impound.towed_at),
        with_towing=with_towing,
    )


def stock_check_due_on(last_checked_at: _dt.datetime | None) -> _dt.date | None:
    """The day a lot's next stock check is due; ``None`` when it was never counted (due now)."""
    if last_checked_at is None:
        return None
    return _fees.local_day(last_checked_at) + _dt.timedelta(
        days=_settings.VEHICLES_STOCK_CHECK_DAYS
    )


def long_custody(user: User, now: _dt.datetime | None = None) -> QuerySet[Impound]:
    """Vehicles in custody longer than ``VEHICLES_CUSTODY_ALERT_DAYS`` with no disposal."""
    now = now or _timezone.now()
    since = now - _dt.timedelta(days=_settings.VEHICLES_CUSTODY_ALERT_DAYS)
    return (
        visible_impounds(user)
        .filter(state=Impound.State.IN_CUSTODY, disposal="", intake_at__lte=since)
        .order_by("intake_at")
    )


@_dataclass
class CustodianOverview:
    custodian: Custodian
    lots: list[Lot]
    month_fees: int
    unpriced_days: int


def custody_overview(user: User, today: _dt.date | None = None) -> list[CustodianOverview]:
    """Per custodian: lots with occupancy and the next stock check, and this month's fees to
    date (every vehicle kept any day of the month, towing if towed this month)."""
    today = today or _timezone.localdate()
    first, _last = _fees.month_bounds(today)
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


def month_impounds(custodian: Custodian, first: _dt.date, last: _dt.date) -> QuerySet[Impound]:
    """A custodian's impounds kept any day of ``first``..``last`` or towed in it."""
    tz = _timezone.get_default_timezone()
    starts = _timezone.make_aware(_dt.datetime.combine(first, _dt.time.min), tz)
    ends = _timezone.make_aware(
        _dt.datetime.combine(last + _dt.timedelta(days=1), _dt.time.min), tz
    )
    kept = _Q(intake_at__lt=ends) & (_Q(ended_at__isnull=True) | _Q(ended_at__gte=starts))
    towed = _Q(towed_at__gte=starts, towed_at__lt=ends)
    return (
        Impound.objects.filter(custodian=custodian)
        .filter(kept | towed)
        .select_related("vehicle", "case")
        .order_by("intake_at", "pk")
    )


def month_statement(
    impound: Impound, first: _dt.date, last: _dt.date, terms: list[_fees.Terms]
) -> _fees.Statement:
    """``impound``'s fees for the days ``first``..``last``; towing only if towed in them."""
    tow_day = _fees.local_day(impound.towed_at)
    towed_here = tow_day is not None and first <= tow_day <= last
    return impound_statement(impound, start=first, end=last, with_towing=towed_here, terms=terms)

"""Writes of the vehicles app: each in one transaction, checked, recorded in history."""

from __future__ import annotations

# custodians, fees and stock checks (aliased: no clash with the other sections' names)
import datetime as _dt
from dataclasses import dataclass as _dataclass

from django.conf import settings as _settings
from django.contrib.auth.models import Group as _Group
from django.core.exceptions import PermissionDenied as _PermissionDenied
from django.core.exceptions import ValidationError as _ValidationError
from django.db import IntegrityError as _IntegrityError
from django.db import transaction as _transaction
from django.utils import timezone as _timezone
from django.utils.translation import gettext as _t

from casefunds.services import Conflict as _Conflict
from courtexec.authz import authorise as _authorise
from courtexec.authz import require as _require
from courtexec.history import recorded_write as _recorded_write
from courtexec.models import Court as _Court
from courtexec.models import User as _User
from courtexec.notifications import notify as _notify
from courtexec.roles import Role as _Role
from courtexec.selectors import staff_with_roles as _staff_with_roles
from enforcement.validators import normalise_credit_code as _normalise_credit_code
from vehicles import fees as _fees
from vehicles import selectors as _selectors
from vehicles.models import (
    AgreementRate,
    Custodian,
    CustodyAgreement,
    CustodyEvent,
    CustodyInvoice,
    CustodyInvoiceLine,
    FeePosting,
    Impound,
    Lot,
    StockCheck,
    StockCheckLine,
    VehicleClass,
)
from vehicles.validators import normalise_plate as _normalise_plate


# --- vehicles and surveillance ---
# --- impound lifecycle ---
# --- custodians, fees and stock checks ---
def _keep(user: _User, court: _Court, model: str, existing: object | None) -> None:
    _authorise(user, court, f"vehicles.{'change' if existing else 'add'}_{model}")


@_recorded_write
def save_custodian(
    *,
    user: _User,
    court: _Court,
    name: str,
    credit_code: str = "",
    contact: str = "",
    phone: str = "",
    address: str = "",
    active: bool = True,
    custodian: Custodian | None = None,
) -> Custodian:
    """Create or edit a custody company. The credit code, when given, is checked (a wrong one
    would send invoices and payments to a company that does not exist)."""
    _keep(user, court, "custodian", custodian)
    name = (name or "").strip()
    _require(bool(name), "name", _t("Give the custodian's name."), "required")
    credit_code = (credit_code or "").strip()
    if credit_code:
        try:
            credit_code = _normalise_credit_code(credit_code)
        except _ValidationError as exc:
            raise _ValidationError({"credit_code": exc.error_list}) from exc
    clash = Custodian.objects.filter(court=court, name=name)
    if custodian is not None:
        _require(custodian.court_id == court.pk, "name", _t("This custodian is another court's."))
        clash = clash.exclude(pk=custodian.pk)
    _require(
        not clash.exists(), "name", _t("A custodian of this court has that name."), "duplicate"
    )
    custodian = custodian or Custodian(court=court)
    custodian.name, custodian.credit_code, custodian.contact = name, credit_code, contact.strip()
    custodian.phone, custodian.address, custodian.active = phone.strip(), address.strip(), active
    custodian.save()
    return custodian


@_recorded_write
def set_custodian_members(*, user: _User, custodian: Custodian, members: list[_User]) -> Custodian:
    """The company's staff who sign in to the custodian portal; each is given the custodian
    role (a member removed keeps the role, but sees nothing of a company they left)."""
    _authorise(user, custodian.court, "vehicles.change_custodian")
    for member in members:
        _require(
            member.court_id == custodian.court_id and member.is_active,
            "members",
            _t("%(user)s is not an active account of this court.") % {"user": member},
            "other_court",
        )
        _require(
            member.has_role(_Role.CUSTODIAN) or not member.groups.exists(),
            "members",
            _t("%(user)s is court staff; a custodian's users have an account of their own.")
            % {"user": member},
            "staff",
        )
    group = _Group.objects.get(name=_Role.CUSTODIAN.value)
    for member in members:
        member.groups.add(group)
    custodian.members.set(members)
    return custodian


def _check_rates(rates: dict[str, int]) -> dict[str, int]:
    errors = {}
    for vehicle_class in VehicleClass:
        fee = rates.get(vehicle_class.value)
        if fee is None:
            errors[f"rate_{vehicle_class.value}"] = _ValidationError(
                _t("Give the daily fee of this vehicle class."), code="required"
            )
        elif not isinstance(fee, int) or fee < 0:
            errors[f"rate_{vehicle_class.value}"] = _ValidationError(
                _t("A daily fee is an amount of zero or more."), code="invalid"
            )
    if errors:
        raise _ValidationError(errors)
    return {vehicle_class.value: rates[vehicle_class.value] for vehicle_class in VehicleClass}


@_recorded_write
def save_agreement(
    *,
    user: _User,
    custodian: Custodian,
    number: str,
    valid_from: _dt.date,
    valid_until: _dt.date,
    towing_fee: int,
    rates: dict[str, int],
    signed_on: _dt.date | None = None,
    agreement: CustodyAgreement | None = None,
) -> CustodyAgreement:
    """Create or edit an agreement with a daily fee for every vehicle class (a class without a
    rate would leave its vehicles' days unpriced). Agreements of one custodian never overlap:
    checked here for a clear message, and by the exclusion constraint for a race."""
    _keep(user, custodian.court, "custodyagreement", agreement)
    number = (number or "").strip()
    _require(bool(number), "number", _t("Give the agreement number."), "required")
    _require(
        valid_until >= valid_from,
        "valid_until",
        _t("The agreement cannot end before it starts."),
        "period",
    )
    _require(towing_fee >= 0, "towing_fee", _t("The towing fee cannot be negative."), "negative")
    rates = _check_rates(rates)
    overlapping = CustodyAgreement.objects.filter(
        custodian=custodian, valid_from__lte=valid_until, valid_until__gte=valid_from
    )
    if agreement is not None:
        overlapping = overlapping.exclude(pk=agreement.pk)
    clash = overlapping.first()
    if clash is not None:
        raise _ValidationError(
            {
                "valid_from": _ValidationError(
                    _t("Agreement %(number)s covers %(start)s to %(end)s: the periods overlap.")
                    % {"number": clash.number, "start": clash.valid_from, "end": clash.valid_until},
                    code="overlap",
                )
            }
        )
    agreement = agreement or CustodyAgreement(custodian=custodian)
    agreement.number, agreement.valid_from, agreement.valid_until = number, valid_from, valid_until
    agreement.towing_fee, agreement.signed_on = towing_fee, signed_on
    try:
        with _transaction.atomic():
            agreement.save()
    except _IntegrityError as exc:  # a concurrent agreement won the race
        raise _ValidationError(
            {"valid_from": _ValidationError(_t("The periods overlap."), code="overlap")}
        ) from exc
    existing = {rate.vehicle_class: rate for rate in agreement.rates.all()}
    for vehicle_class, fee in rates.items():
        rate = existing.get(vehicle_class) or AgreementRate(
            agreement=agreement, vehicle_class=vehicle_class
        )
        if rate.pk is None or rate.daily_fee != fee:
            rate.daily_fee = fee
            rate.save()
    return agreement


@_recorded_write
def save_lot(
    *,
    user: _User,
    custodian: Custodian,
    name: str,
    address: str,
    capacity: int,
    active: bool = True,
    lot: Lot | None = None,
) -> Lot:
    """Create or edit a lot; its capacity cannot drop below the vehicles kept there now."""
    _keep(user, custodian.court, "lot", lot)
    name, address = (name or "").strip(), (address or "").strip()
    _require(bool(name), "name", _t("Give the lot a name."), "required")
    _require(bool(address), "address", _t("Give the lot's address."), "required")
    _require(capacity >= 1, "capacity", _t("A lot holds at least one vehicle."), "min_value")
    clash = Lot.objects.filter(custodian=custodian, name=name)
    if lot is not None:
        _require(lot.custodian_id == custodian.pk, "name", _t("This lot is another custodian's."))
        clash = clash.exclude(pk=lot.pk)
        Lot.objects.select_for_update().filter(pk=lot.pk).first()  # against a concurrent intake
        occupancy = _selectors.lot_occupancy(lot)
        _require(
            capacity >= occupancy,
            "capacity",
            _t("%(n)d vehicles are kept in this lot now: the capacity cannot be lower.")
            % {"n": occupancy},
            "below_occupancy",
        )
    _require(not clash.exists(), "name", _t("This custodian has a lot of that name."), "duplicate")
    lot = lot or Lot(custodian=custodian)
    lot.name, lot.address, lot.capacity, lot.active = name, address, capacity, active
    lot.save()
    return lot


@_recorded_write
def issue_invoice(*, custodian: Custodian, month: _dt.date, user: _User) -> CustodyInvoice:
    """The custodian's invoice of a past month (月度结算): one line per vehicle kept any day of
    the month (its days that month × rate) or towed in it (the towing fee). Once per custodian
    and month — a second request is a 409, not a second bill."""
    _authorise(user, custodian.court, "vehicles.add_custodyinvoice")
    first, last = _fees.month_bounds(month)
    _require(
        last < _timezone.localdate(),
        "month",
        _t("Only a month that has ended can be invoiced."),
        "not_ended",
    )
    Custodian.objects.select_for_update().filter(pk=custodian.pk).first()  # one issuer at a time
    if CustodyInvoice.objects.filter(custodian=custodian, month=first).exists():
        raise _Conflict(
            _t("%(custodian)s has been invoiced for %(month)s already.")
            % {"custodian": custodian, "month": f"{first:%Y-%m}"},
            code="already_invoiced",
        )
    terms = _selectors.agreement_terms(custodian.pk)
    lines = []
    for impound in _selectors.month_impounds(custodian, first, last):
        statement = _selectors.month_statement(impound, first, last, terms)
        if statement.days or statement.towing:
            lines.append((impound, statement))
    invoice = CustodyInvoice.objects.create(
        custodian=custodian,
        month=first,
        total=sum(statement.total for _i, statement in lines),
        issued_by=user,
    )
    CustodyInvoiceLine.objects.bulk_create(
        CustodyInvoiceLine(
            invoice=invoice,
            impound=impound,
            days=statement.days,
            towing=statement.towing,
            custody=statement.custody,
            total=statement.total,
        )
        for impound, statement in lines
    )
    return invoice


@_recorded_write
def post_fees_to_case(*, impound: Impound, through: _dt.date, user: _User) -> FeePosting:
    """Record the custody fees up to ``through`` as an enforcement cost (执行费用) of the case.

    A cost record, not a ledger transfer: the custodian is paid by whoever the judgment makes
    bear the cost, and the money never passes through the court's account (ADR 023). Postings
    are contiguous — each covers from the day after the last one (or the intake day) — so no
    day is charged twice; the towing fee goes with the first. Posting the same ``through``
    again returns the first posting.
    """
    _authorise(user, impound.case.court, "vehicles.add_feeposting")
    Impound.objects.select_for_update().filter(pk=impound.pk).first()  # postings in turn
    same = FeePosting.objects.filter(impound=impound, through=through).first()
    if same is not None:
        return same
    intake_day = _fees.local_day(impound.intake_at)
    _require(
        intake_day is not None,
        "impound",
        _t("The vehicle has not been taken into custody: there are no fees to post."),
        "not_in_custody",
    )
    last = FeePosting.objects.filter(impound=impound).order_by("-through").first()
    covers_from = last.through + _fees.ONE_DAY if last else intake_day
    _require(
        through <= _timezone.localdate(),
        "through",
        _t("Fees can be posted up to today at the latest."),
        "future",
    )
    _require(
        through >= covers_from,
        "through",
        _t("Fees are posted up to %(day)s already; choose a later day.")
        % {"day": covers_from - _fees.ONE_DAY},
        "already_posted",
    )
    statement = _selectors.impound_statement(
        impound, start=covers_from, end=through, with_towing=last is None
    )
    return FeePosting.objects.create(
        impound=impound,
        case=impound.case,
        covers_from=covers_from,
        through=through,
        amount=statement.total,
        posted_by=user,
    )


@_dataclass(frozen=True)
class Found:
    """What the counter saw of one expected vehicle."""

    present: bool
    note: str = ""


@_recorded_write
def record_stock_check(
    *,
    lot: Lot,
    checked_at: _dt.datetime,
    found: dict[int, Found],
    unexpected_plates: list[str],
    notes: str,
    user: _User,
) -> StockCheck:
    """A count of ``lot`` (盘点): the vehicles the records put there at ``checked_at`` against
    those found. An expected vehicle not in ``found`` counts as missing; a plate found but not
    expected is a discrepancy too. By court staff, or by the lot's own custodian's users."""
    court = lot.custodian.court
    _authorise(user, court, "vehicles.add_stockcheck")
    if _selectors.is_custodian_user(user) and not lot.custodian.members.filter(pk=user.pk).exists():
        raise _PermissionDenied(_t("This lot is another custodian's."))
    _require(
        checked_at <= _timezone.now(),
        "checked_at",
        _t("A stock check cannot be in the future."),
        "future",
    )
    expected = list(_selectors.in_custody_at(lot, checked_at))
    expected_ids = {impound.pk for impound in expected}
    strays = sorted(set(found) - expected_ids)
    _require(
        not strays,
        "found",
        _t("These vehicles are not expected in this lot: %(ids)s.")
        % {"ids": ", ".join(map(str, strays))},
        "not_expected",
    )
    plates = []
    for plate in unexpected_plates:
        plate = _normalise_plate(plate or "")
        if plate and plate not in plates:
            plates.append(plate)
    present = [impound for impound in expected if found.get(impound.pk, Found(False)).present]
    check = StockCheck.objects.create(
        lot=lot,
        checked_at=checked_at,
        checked_by=user,
        expected=len(expected),
        counted=len(present) + len(plates),
        unexpected_plates=plates,
        notes=(notes or "").strip(),
    )
    StockCheckLine.objects.bulk_create(
        StockCheckLine(
            stock_check=check,
            impound=impound,
            present=found.get(impound.pk, Found(False)).present,
            note=found.get(impound.pk, Found(False)).note[:300],
        )
        for impound in expected
    )
    for impound in present:  # the count is a link of each vehicle's chain of custody
        CustodyEvent.objects.create(
            impound=impound,
            kind=CustodyEvent.Kind.STOCK_CHECKED,
            at=checked_at,
            received_by=str(lot.custodian),
            note=str(lot),
            recorded_by=user,
        )
    return check


def remind_stock_checks(now: _dt.datetime | None = None) -> int:
    """Daily: tell the custodian's users and the court's section chiefs of each lot whose last
    count is ``VEHICLES_STOCK_CHECK_DAYS`` old (or never counted) — once per due period: again
    only after another period without a count. Safe to run twice (rows locked, stamped)."""
    now = now or _timezone.now()
    period = _dt.timedelta(days=_settings.VEHICLES_STOCK_CHECK_DAYS)
    sent = 0
    for lot_id in Lot.objects.filter(active=True).values_list("pk", flat=True):
        with _transaction.atomic():
            lot = (
                Lot.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("custodian__court")
                .filter(pk=lot_id)
                .first()
            )
            if lot is None:
                continue
            last = lot.stock_checks.order_by("-checked_at").values_list("checked_at", flat=True)
            last_at = last.first()
            if last_at is not None and last_at + period > now:
                continue
            reminded = lot.stock_check_reminded_at
            if (
                reminded is not None
                and reminded + period > now
                and (last_at is None or reminded >= last_at + period)
            ):
                continue
            message = _t("Stock check due: %(lot)s was last counted %(when)s.") % {
                "lot": lot,
                "when": f"{_timezone.localtime(last_at):%Y-%m-%d}" if last_at else _t("never"),
            }
            chiefs = _staff_with_roles(lot.custodian.court, _Role.SECTION_CHIEF)
            recipients = [*lot.custodian.members.all(), *chiefs]
            _notify(recipients, kind="vehicles.stock_check_due", message=message,
                    link=f"/vehicles/lots/{lot.pk}/stock-check/")  # fmt: skip
            lot.stock_check_reminded_at = now
            lot.save(update_fields=["stock_check_reminded_at"])
            sent += 1
    return sent


def alert_long_custody(now: _dt.datetime | None = None) -> int:
    """Daily: tell the case judge and the section chiefs, once, of each vehicle in custody
    longer than ``VEHICLES_CUSTODY_ALERT_DAYS`` with no disposal decision (a vehicle forgotten
    in a lot costs the debtor a day's fee every day)."""
    now = now or _timezone.now()
    since = now - _dt.timedelta(days=_settings.VEHICLES_CUSTODY_ALERT_DAYS)
    due = Impound.objects.filter(
        state=Impound.State.IN_CUSTODY, disposal="", intake_at__lte=since, overdue_alerted_at=None
    )
    sent = 0
    for impound_id in due.values_list("pk", flat=True):
        with _transaction.atomic():
            impound = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("vehicle", "case__court", "case__judge")
                .filter(pk=impound_id)
                .first()
            )
            if impound is None:  # decided meanwhile, or another worker holds it
                continue
            days = (now.date() - impound.intake_at.date()).days
            message = _t(
                "%(vehicle)s (case %(case)s) has been in custody %(days)d days without a "
                "disposal decision."
            ) % {"vehicle": impound.vehicle, "case": impound.case, "days": days}
            chiefs = _staff_with_roles(impound.case.court, _Role.SECTION_CHIEF)
            recipients = [impound.case.judge, *chiefs]
            _notify(recipients, kind="vehicles.long_custody", message=message,
                    link=impound.get_absolute_url())  # fmt: skip
            impound.overdue_alerted_at = now
            impound.save(update_fields=["overdue_alerted_at"])
            sent += 1
    return sent

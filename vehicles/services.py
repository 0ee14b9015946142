"""Writes of the vehicles app: each in one transaction, checked, recorded in history."""

from __future__ import annotations

# --- vehicles and surveillance ---
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.services import Conflict
from courtexec import working_days
from courtexec.authz import authorise, require, require_role
from courtexec.history import recorded_write
from courtexec.models import Court, User
from courtexec.notifications import notify
from courtexec.roles import Role
from enforcement.models import CaseParty, EnforcementCase, Party
from vehicles import rules
from vehicles.models import Sighting, Surveillance, Vehicle, VehicleClass
from vehicles.validators import clean_plate, clean_vin, normalise_plate

# Who may put a vehicle on the wanted list: the case's officers and their chiefs (a judicial
# police officer executes a seizure but does not decide on surveillance).
SURVEILLANCE_ROLES = (Role.JUDGE, Role.CLERK, Role.SECTION_CHIEF, Role.BUREAU_CHIEF)
# A sighting timestamp a little ahead of the server clock is a skewed phone, not a prophecy.
SIGHTING_CLOCK_SKEW = dt.timedelta(minutes=10)


def _identity(court: Court, plate: str, vin: str, exclude: int | None) -> tuple[str, str]:
    """The plate and VIN normalised and checked, each at most once in the court."""
    errors: dict[str, list[ValidationError]] = {}
    clean: dict[str, str] = {"plate": "", "vin": ""}
    for field, value, cleaner in (("plate", plate, clean_plate), ("vin", vin, clean_vin)):
        if not normalise_plate(value):
            continue
        try:
            clean[field] = cleaner(value)
        except ValidationError as exc:
            errors[field] = exc.error_list
            continue
        clash = Vehicle.objects.filter(court=court, **{field: clean[field]})
        if exclude is not None:
            clash = clash.exclude(pk=exclude)
        if clash.exists():
            message = (
                _("A vehicle with this plate is already registered in this court.")
                if field == "plate"
                else _("A vehicle with this VIN is already registered in this court.")
            )
            errors[field] = [ValidationError(message, code="duplicate")]
    if errors:
        raise ValidationError(errors)
    require(
        bool(clean["plate"] or clean["vin"]),
        "plate",
        _("Give the number plate or the VIN (or both)."),
        "required",
    )
    return clean["plate"], clean["vin"]


def _check_owner(court: Court, owner: Party | None) -> None:
    require(owner is not None, "owner", _("Choose the registered owner."), "required")
    known = Party.restrict_to_courts(Party.objects.filter(pk=owner.pk), {court.pk}).exists()
    require(known, "owner", _("This party is not known to this court."), "unknown_party")


def _check_case(court: Court, vehicle_owner: Party, case: EnforcementCase) -> None:
    """A linked case is the court's, and the owner is one of its parties: a vehicle is linked
    to a case because it may be enforced against there (or, for a third party's vehicle found
    holding the debtor's property, because that party is joined to the case)."""
    require(case.court_id == court.pk, "cases", _("This case belongs to another court."))
    require(
        CaseParty.objects.filter(case=case, party=vehicle_owner).exists(),
        "cases",
        _("The registered owner %(owner)s is not a party of case %(case)s.")
        % {"owner": vehicle_owner, "case": case.number},
        "owner_not_party",
    )


VEHICLE_CLASSES = {value for value, _label in VehicleClass.choices}


def _particulars(
    court: Court,
    plate: str,
    vin: str,
    owner: Party | None,
    vehicle_class: str,
    exclude: int | None,
) -> tuple[str, str]:
    """The checks registration and correction share; the clean plate and VIN."""
    plate, vin = _identity(court, plate, vin, exclude=exclude)
    _check_owner(court, owner)
    require(vehicle_class in VEHICLE_CLASSES, "vehicle_class", _("Choose a vehicle class."))
    return plate, vin


@recorded_write
def register_vehicle(
    *,
    user: User,
    court: Court,
    owner: Party | None,
    plate: str = "",
    vin: str = "",
    vehicle_class: str = VehicleClass.SMALL,
    make_model: str = "",
    colour: str = "",
    cases: Iterable[EnforcementCase] = (),
) -> Vehicle:
    """Record a vehicle the court knows of; plate and VIN are stored normalised, so a sighting
    typed on a phone in full-width characters still finds it."""
    authorise(user, court, "vehicles.add_vehicle")
    plate, vin = _particulars(court, plate, vin, owner, vehicle_class, exclude=None)
    cases = list(cases)
    for case in cases:
        _check_case(court, owner, case)
    vehicle = Vehicle.objects.create(
        court=court,
        plate=plate,
        vin=vin,
        vehicle_class=vehicle_class,
        make_model=(make_model or "").strip(),
        colour=(colour or "").strip(),
        owner=owner,
        registered_by=user,
    )
    if cases:
        vehicle.cases.add(*cases)
    return vehicle


@recorded_write
def update_vehicle(
    *,
    user: User,
    vehicle: Vehicle,
    owner: Party | None,
    plate: str = "",
    vin: str = "",
    vehicle_class: str = VehicleClass.SMALL,
    make_model: str = "",
    colour: str = "",
) -> Vehicle:
    """Correct a vehicle's particulars; a new owner must still be a party of every linked case."""
    court = vehicle.court
    authorise(user, court, "vehicles.change_vehicle")
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    plate, vin = _particulars(court, plate, vin, owner, vehicle_class, exclude=vehicle.pk)
    if owner.pk != vehicle.owner_id:
        for case in vehicle.cases.all():
            try:
                _check_case(court, owner, case)
            except ValidationError as exc:
                raise ValidationError({"owner": exc.error_dict["cases"]}) from None
    vehicle.plate, vehicle.vin, vehicle.owner, vehicle.vehicle_class = (
        plate,
        vin,
        owner,
        vehicle_class,
    )
    vehicle.make_model = (make_model or "").strip()
    vehicle.colour = (colour or "").strip()
    vehicle.save()
    return vehicle


@recorded_write
def link_case(*, user: User, vehicle: Vehicle, case: EnforcementCase) -> Vehicle:
    """Link the vehicle to another case of the court (idempotent)."""
    authorise(user, vehicle.court, "vehicles.change_vehicle")
    _check_case(vehicle.court, vehicle.owner, case)
    vehicle.cases.add(case)
    return vehicle


def surveillance_is_active(surveillance: Surveillance, on: dt.date) -> bool:
    return surveillance.lifted_at is None and surveillance.starts_on <= on <= surveillance.ends_on


@recorded_write
def place_under_surveillance(
    *,
    user: User,
    vehicle: Vehicle,
    case: EnforcementCase,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Surveillance:
    """Put the vehicle on the wanted list (布控) for an open case of its court.

    One surveillance per vehicle and case at a time (not lifted and not yet ended): a second
    would double every alert; extend by lifting and placing anew, with the reason on record.
    """
    authorise(user, vehicle.court, "vehicles.add_surveillance")
    require_role(user, *SURVEILLANCE_ROLES)
    require(case.court_id == vehicle.court_id, "case", _("This case belongs to another court."))
    require(case.is_open, "case", _("The case is closed."), "case_closed")
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the vehicle is wanted."), "required")
    require(starts_on is not None, "starts_on", _("Give the first day."), "required")
    require(ends_on is not None, "ends_on", _("Give the last day."), "required")
    require(ends_on >= starts_on, "ends_on", _("The period cannot end before it starts."), "period")
    require(ends_on >= timezone.localdate(), "ends_on", _("The period has already ended."), "past")
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if not vehicle.cases.filter(pk=case.pk).exists():
        try:
            _check_case(vehicle.court, vehicle.owner, case)
        except ValidationError as exc:
            raise ValidationError({"case": exc.error_dict["cases"]}) from None
        vehicle.cases.add(case)
    current = vehicle.surveillances.filter(
        case=case, lifted_at__isnull=True, ends_on__gte=timezone.localdate()
    ).first()
    if current is not None:
        raise Conflict(
            _("The vehicle is already under surveillance for this case until %(until)s.")
            % {"until": f"{current.ends_on:%Y-%m-%d}"},
            code="already_under_surveillance",
        )
    return Surveillance.objects.create(
        vehicle=vehicle,
        case=case,
        reason=reason[:300],
        starts_on=starts_on,
        ends_on=ends_on,
        requested_by=user,
    )


@recorded_write
def lift_surveillance(*, user: User, surveillance: Surveillance, reason: str) -> Surveillance:
    """Take the vehicle off the wanted list, with the reason (a consequential change)."""
    authorise(user, surveillance.case.court, "vehicles.change_surveillance")
    require_role(user, *SURVEILLANCE_ROLES)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the surveillance is lifted."), "required")
    surveillance = Surveillance.objects.select_for_update().get(pk=surveillance.pk)
    if surveillance.lifted_at is not None:
        raise Conflict(_("This surveillance was already lifted."), code="already_lifted")
    surveillance.lifted_at = timezone.now()
    surveillance.lifted_by = user
    surveillance.lift_reason = reason[:300]
    surveillance.save()
    return surveillance


def sighting_source(user: User) -> str:
    """The source follows the reporter's role: a partner system's token, the police liaison,
    else court staff."""
    if user.has_role(Role.SIGHTING_PARTNER) and not user.is_superuser:
        return Sighting.Source.PARTNER
    if user.has_role(Role.POLICE_LIAISON) and not user.is_superuser:
        return Sighting.Source.POLICE
    return Sighting.Source.STAFF


@dataclass(frozen=True)
class SightingReport:
    plate: str
    place: str
    seen_at: dt.datetime
    note: str = ""


def _alert(sighting: Sighting, surveillance: Surveillance, out_of_hours: bool) -> None:
    from standby.selectors import shift_at  # lazy: standby is optional to the registry's reads

    case = surveillance.case
    message = _("Wanted vehicle %(plate)s (case %(case)s) seen at %(place)s at %(at)s.") % {
        "plate": sighting.plate,
        "case": case.number,
        "place": sighting.place,
        "at": f"{timezone.localtime(sighting.seen_at):%Y-%m-%d %H:%M}",
    }
    recipients = [case.judge]
    if out_of_hours:
        shift = shift_at(case.court_id, timezone.now())
        if shift is not None:
            recipients += [shift.leader, shift.judge, shift.police]
    notify(
        recipients,
        kind="vehicle_sighting",
        message=message,
        link=surveillance.vehicle.get_absolute_url(),
        sms=True,
    )


@recorded_write
def report_sighting(*, user: User, court: Court | None, report: SightingReport) -> Sighting:
    """Store a sighting and match it against the court's active surveillances.

    The plate is normalised (case, spaces, full-width characters) before matching, and an
    unknown or malformed plate is still stored (unmatched): the report is a fact whatever it
    matches, and a partner camera misreading one character must not lose the record.
    """
    if court is None:
        raise PermissionDenied(_("Your account is not attached to a court."))
    authorise(user, court, "vehicles.add_sighting")
    plate = normalise_plate(report.plate)
    require(bool(plate), "plate", _("Give the number plate."), "required")
    require(len(plate) <= 40, "plate", _("This is too long for a number plate."), "length")
    place = (report.place or "").strip()
    require(bool(place), "place", _("Say where the vehicle was seen."), "required")
    seen_at = report.seen_at
    require(seen_at is not None, "seen_at", _("Say when the vehicle was seen."), "required")
    now = timezone.now()
    require(
        seen_at <= now + SIGHTING_CLOCK_SKEW,
        "seen_at",
        _("The time seen is in the future."),
        "future",
    )
    sighting = Sighting.objects.create(
        court=court,
        plate_as_reported=(report.plate or "")[:40],
        plate=plate,
        place=place[:300],
        seen_at=seen_at,
        source=sighting_source(user),
        reported_by=user,
        note=(report.note or "").strip()[:300],
    )
    from vehicles.selectors import active_surveillances

    matches = list(
        active_surveillances(court, on=timezone.localdate(now))
        .filter(vehicle__plate=plate)
        .select_related("case__judge", "case__court", "vehicle")
    )
    if matches:
        sighting.matches.add(*matches)
        out_of_hours = rules.is_out_of_hours(
            now,
            office_hours=settings.COURT_OFFICE_HOURS,
            is_working_day=working_days.is_working_day,
        )
        for surveillance in matches:
            _alert(sighting, surveillance, out_of_hours)
    return sighting


# --- impound lifecycle ---
# --- custodians, fees and stock checks ---

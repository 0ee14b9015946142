"""Writes of the vehicles app: each in one transaction, checked, recorded in history."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.services import Conflict
from courtexec import working_days
from courtexec.authz import authorise, require, require_role
from courtexec.history import recorded_write
from courtexec.models import Court, User
from courtexec.notifications import notify
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles
from enforcement.models import CaseParty, EnforcementCase, Party
from enforcement.validators import normalise_credit_code, validate_image_upload
from vehicles import fees, rules, selectors
from vehicles.models import (
    AgreementRate,
    Custodian,
    CustodyAgreement,
    CustodyEvent,
    CustodyInvoice,
    CustodyInvoiceLine,
    CustodyPhoto,
    FeePosting,
    Impound,
    Lot,
    Sighting,
    StockCheck,
    StockCheckLine,
    Surveillance,
    Vehicle,
    VehicleClass,
)
from vehicles.selectors import is_custodian_user
from vehicles.validators import clean_plate, clean_vin, normalise_plate

# --- vehicles and surveillance ---

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

MAX_PHOTOS = 12
MAX_SIGNATURE_BYTES = 200_000  # a drawn signature is a few kilobytes; this bounds the row
PNG_DATA_URL = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CLOCK_SKEW = dt.timedelta(minutes=5)  # a phone's clock a little ahead is not "the future"


def clean_signature(value: str, *, field: str = "signature", required: bool = False) -> str:
    """A signature drawn on the screen: a PNG data URL of bounded size, or empty if optional.

    It is stored in the event row itself (append-only like the event), so it must be small and
    really a PNG, not any text a client sends."""
    value = (value or "").strip()
    if not value:
        require(not required, field, _("The receiving party must sign."), code="required")
        return ""
    require(
        len(value) <= MAX_SIGNATURE_BYTES * 4 // 3 + len(PNG_DATA_URL) + 4,
        field,
        _("The signature image is too large."),
        code="too_large",
    )
    require(
        value.startswith(PNG_DATA_URL), field, _("The signature must be a PNG image."), "format"
    )
    try:
        raw = base64.b64decode(value[len(PNG_DATA_URL) :], validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    require(raw.startswith(PNG_MAGIC), field, _("The signature must be a PNG image."), "format")
    return value


def _required_text(value: str, field: str, max_length: int, missing: str) -> str:
    """A required line of text, stripped, at most ``max_length`` characters."""
    value = (value or "").strip()
    require(bool(value), field, missing, code="required")
    require(
        len(value) <= max_length,
        field,
        _("At most %(count)d characters.") % {"count": max_length},
        code="max_length",
    )
    return value


def _clean_photos(photos: Sequence[UploadedFile] | None) -> list[UploadedFile]:
    photos = list(photos or [])
    require(
        len(photos) <= MAX_PHOTOS,
        "photos",
        _("At most %(count)d photos at a time.") % {"count": MAX_PHOTOS},
        code="too_many",
    )
    for photo in photos:
        try:
            validate_image_upload(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.error_list}) from None
    return photos


def _clean_condition(codes: Iterable[str] | None, field: str = "condition") -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    unknown = [code for code in codes if code not in rules.DAMAGE_CODES]
    require(not unknown, field, _("Unknown damage: %(codes)s.") % {"codes": ", ".join(unknown)})
    return codes


def _clean_time(value: dt.datetime | None, field: str, *, after: dt.datetime | None) -> dt.datetime:
    require(value is not None, field, _("Give the time."), code="required")
    require(
        timezone.is_aware(value) and value <= timezone.now() + CLOCK_SKEW,
        field,
        _("The time cannot be in the future."),
        code="future",
    )
    # Forms give minutes: a step typed as 14:14 follows one recorded at 14:14:35.
    require(
        after is None or value >= after.replace(second=0, microsecond=0),
        field,
        _("The time cannot be before the previous step (%(at)s).")
        % {"at": timezone.localtime(after).strftime("%Y-%m-%d %H:%M") if after else ""},
        code="before_previous",
    )
    return value


def _record_event(
    impound: Impound,
    *,
    kind: str,
    at: dt.datetime,
    user: User,
    handed_by: str = "",
    received_by: str = "",
    condition: list[str] | None = None,
    note: str = "",
    signature: str = "",
    photos: Sequence[UploadedFile] = (),
) -> CustodyEvent:
    """One link of the chain of custody and its photos (both append-only)."""
    event = CustodyEvent.objects.create(
        impound=impound,
        kind=kind,
        at=at,
        handed_by=handed_by[:200],
        received_by=received_by[:200],
        condition=condition or [],
        note=note,
        signature=signature,
        recorded_by=user,
    )
    for photo in photos:
        CustodyPhoto.objects.create(event=event, image=photo)
    return event


def _start(impound: Impound, action: str, user: User) -> Impound:
    """Lock the impound, check who acts and that its state allows ``action``; the fresh row.

    Court staff with the permission act on their court's impounds; a custodian's user only on
    the actions the custodian takes (intake, bays, hand-overs) and only for their own company's
    vehicles. Any other state is a conflict (409), and nothing is written."""
    locked = Impound.objects.select_for_update().select_related("case__court").get(pk=impound.pk)
    transition = rules.TRANSITIONS[action]
    permission = "vehicles.approve_tow" if action == "approve-tow" else "vehicles.change_impound"
    authorise(user, locked.case.court, permission)
    if is_custodian_user(user):
        member = (
            locked.custodian_id is not None and locked.custodian.members.filter(pk=user.pk).exists()
        )
        if not (transition.custodian_may and member):
            raise PermissionDenied(_("Your role may not do this."))
    if locked.state not in transition.sources:
        raise Conflict(
            _("%(action)s is not possible: the vehicle is %(state)s.")
            % {"action": transition.label, "state": locked.get_state_display()},
            code="illegal_transition",
        )
    return locked


def _lock_lot_with_room(lot: Lot, impound: Impound) -> Lot:
    """Lock the lot row (intakes into one lot queue here) and check that a bay is free.

    Counting the vehicles in custody is only safe while the lot row is locked: two intakes for
    the last free bay would otherwise both count one free bay and both succeed."""
    locked = Lot.objects.select_for_update().get(pk=lot.pk)
    occupied = (
        Impound.objects.filter(lot=locked, state=Impound.State.IN_CUSTODY)
        .exclude(pk=impound.pk)
        .count()
    )
    if occupied >= locked.capacity:
        raise Conflict(
            _("The lot %(lot)s is full (%(capacity)d vehicles).")
            % {"lot": locked.name, "capacity": locked.capacity},
            code="lot_full",
        )
    return locked


def _clean_bay(lot: Lot, bay: str, impound: Impound) -> str:
    bay = (bay or "").strip().upper()
    require(bool(bay), "bay", _("Give the bay."), code="required")
    require(len(bay) <= 20, "bay", _("A bay is at most 20 characters."))
    taken = (
        Impound.objects.filter(lot=lot, bay=bay, state=Impound.State.IN_CUSTODY)
        .exclude(pk=impound.pk)
        .exists()
    )
    require(
        not taken, "bay", _("Another vehicle is parked in bay %(bay)s.") % {"bay": bay}, "taken"
    )
    return bay


def _link_to_case(vehicle: Vehicle, case: EnforcementCase) -> None:
    """The vehicle must belong to the case: linked already, or its owner is a respondent."""
    if vehicle.cases.filter(pk=case.pk).exists():
        return
    owner_responds = CaseParty.objects.filter(
        case=case, party_id=vehicle.owner_id, role=CaseParty.Role.RESPONDENT
    ).exists()
    require(
        owner_responds,
        "case",
        _("The vehicle's owner is not a respondent of this case."),
        code="not_respondent",
    )
    vehicle.cases.add(case)


@recorded_write
def seize(
    *,
    vehicle: Vehicle,
    case: EnforcementCase,
    decision_number: str,
    seized_at: dt.datetime,
    place: str,
    officers: Iterable[User] = (),
    damage: Iterable[str] = (),
    condition_notes: str = "",
    keys_received: int = 0,
    documents_received: Iterable[str] = (),
    odometer: int | None = None,
    photos: Sequence[UploadedFile] = (),
    holder_name: str = "",
    user: User,
) -> Impound:
    """扣押: the vehicle is taken from its holder for a case; the first link of the chain."""
    authorise(user, case.court, "vehicles.add_impound")
    require(vehicle.court_id == case.court_id, "vehicle", _("The vehicle is another court's."))
    require(case.is_open, "case", _("The case is concluded."), code="case_closed")
    decision_number = _required_text(
        decision_number, "decision_number", 60, _("Give the seizure decision number.")
    )
    place = _required_text(place, "place", 300, _("Give the place of seizure."))
    _clean_time(seized_at, "seized_at", after=None)
    damage = _clean_condition(damage, "damage")
    documents = list(dict.fromkeys(documents_received or []))
    unknown = [code for code in documents if code not in rules.DOCUMENT_CODES]
    require(
        not unknown,
        "documents_received",
        _("Unknown document: %(codes)s.") % {"codes": ", ".join(unknown)},
    )
    require(0 <= keys_received <= 20, "keys_received", _("Between 0 and 20 keys."))
    require(
        odometer is None or 0 <= odometer <= 5_000_000, "odometer", _("Not a plausible reading.")
    )
    officers = list(dict.fromkeys(officers or [])) or [user]
    require(
        all(officer.court_id == case.court_id and officer.is_active for officer in officers),
        "officers",
        _("The officers must be active staff of the case's court."),
    )
    photos = _clean_photos(photos)
    Vehicle.objects.select_for_update().get(pk=vehicle.pk)  # seizures of one vehicle queue here
    _link_to_case(vehicle, case)
    if Impound.objects.filter(vehicle=vehicle, state__in=Impound.OPEN_STATES).exists():
        raise Conflict(_("The vehicle is already impounded."), code="already_impounded")
    impound = Impound.objects.create(
        vehicle=vehicle,
        case=case,
        decision_number=decision_number,
        seized_at=seized_at,
        seized_place=place,
        damage=damage,
        condition_notes=condition_notes or "",
        keys_received=keys_received,
        documents_received=documents,
        odometer_km=odometer,
        recorded_by=user,
    )
    impound.officers.set(officers)
    _record_event(
        impound,
        kind=CustodyEvent.Kind.SEIZED,
        at=seized_at,
        user=user,
        handed_by=(holder_name or "").strip() or str(vehicle.owner),
        received_by="、".join(str(officer) for officer in officers),
        condition=damage,
        note=condition_notes or "",
        photos=photos,
    )
    if settings.VEHICLES_TOW_NEEDS_APPROVAL:
        approvers = User.objects.filter(court=case.court, is_active=True).exclude(pk=user.pk)
        notify(
            [u for u in approvers if u.has_perm("vehicles.approve_tow") and not u.is_superuser],
            kind="vehicles.tow_approval",
            message=_("Vehicle %(vehicle)s seized for case %(case)s: towing awaits approval.")
            % {"vehicle": vehicle, "case": case.number},
            link=vehicle.get_absolute_url(),
        )
    return impound


@recorded_write
def approve_tow(
    *, impound: Impound, user: User, note: str = "", at: dt.datetime | None = None
) -> Impound:
    """拖移审批: a second person (not the recorder of the seizure) approves the tow.

    ``at`` is when the approval was given, for one given by telephone in the field and recorded
    afterwards (default: now); never before the seizure, and the tow never before it."""
    impound = _start(impound, "approve-tow", user)
    if not settings.VEHICLES_TOW_NEEDS_APPROVAL:
        raise Conflict(_("Towing needs no approval."), code="approval_not_needed")
    if impound.tow_approved_at is not None:
        raise Conflict(_("Towing is already approved."), code="already_approved")
    require(
        user.pk != impound.recorded_by_id,
        "user",
        _("The officer who recorded the seizure may not approve its towing."),
        code="four_eyes",
    )
    at = _clean_time(at or timezone.now(), "at", after=impound.seized_at)
    impound.tow_approved_by = user
    impound.tow_approved_at = at
    impound.save(update_fields=["tow_approved_by", "tow_approved_at"])
    _record_event(impound, kind=CustodyEvent.Kind.TOW_APPROVED, at=at, user=user, note=note or "")
    return impound


@recorded_write
def tow(
    *,
    impound: Impound,
    custodian: Custodian,
    towed_at: dt.datetime,
    driver: str,
    tow_from: str = "",
    tow_to: str = "",
    condition: Iterable[str] = (),
    note: str = "",
    photos: Sequence[UploadedFile] = (),
    signature: str = "",
    user: User,
) -> Impound:
    """拖移: the officers hand the vehicle to the custodian's tow driver."""
    impound = _start(impound, "tow", user)
    if settings.VEHICLES_TOW_NEEDS_APPROVAL and impound.tow_approved_at is None:
        raise Conflict(_("Towing must be approved first."), code="approval_required")
    require(
        custodian.court_id == impound.case.court_id and custodian.active,
        "custodian",
        _("Choose an active custodian of this court."),
    )
    _clean_time(towed_at, "towed_at", after=impound.tow_approved_at or impound.seized_at)
    day = timezone.localdate(towed_at)
    require(
        custodian.agreements.filter(valid_from__lte=day, valid_until__gte=day).exists(),
        "custodian",
        _("The custodian has no custody agreement valid on %(day)s.") % {"day": day},
        code="no_agreement",
    )
    driver = _required_text(driver, "driver", 100, _("Give the tow driver."))
    tow_from = (tow_from or "").strip() or impound.seized_place
    tow_to = (tow_to or "").strip()
    require(len(tow_from) <= 300 and len(tow_to) <= 300, "tow_to", _("At most 300 characters."))
    condition = _clean_condition(condition)
    signature = clean_signature(signature)
    photos = _clean_photos(photos)
    impound.state = Impound.State.TOWED
    impound.custodian = custodian
    impound.towed_at = towed_at
    impound.tow_driver = driver
    impound.tow_from = tow_from
    impound.tow_to = tow_to
    impound.save()
    _record_event(
        impound,
        kind=CustodyEvent.Kind.TOWED,
        at=towed_at,
        user=user,
        handed_by=str(user),
        received_by=f"{driver} ({custodian})",
        condition=condition,
        note=note or "",
        signature=signature,
        photos=photos,
    )
    return impound


@recorded_write
def take_into_custody(
    *,
    impound: Impound,
    lot: Lot,
    bay: str,
    intake_at: dt.datetime,
    custodian_signatory: str,
    signature: str,
    condition: Iterable[str] = (),
    note: str = "",
    photos: Sequence[UploadedFile] = (),
    user: User,
) -> Impound:
    """入库: the driver hands the vehicle to the lot; the custodian's signatory signs for it."""
    impound = _start(impound, "intake", user)
    require(
        lot.custodian_id == impound.custodian_id and lot.active,
        "lot",
        _("Choose an active lot of the custodian towing the vehicle."),
    )
    _clean_time(intake_at, "intake_at", after=impound.towed_at)
    signatory = _required_text(
        custodian_signatory, "custodian_signatory", 150, _("Give who signs for the custodian.")
    )
    signature = clean_signature(signature, required=True)
    condition = _clean_condition(condition)
    photos = _clean_photos(photos)
    lot = _lock_lot_with_room(lot, impound)
    bay = _clean_bay(lot, bay, impound)
    impound.state = Impound.State.IN_CUSTODY
    impound.lot = lot
    impound.bay = bay
    impound.intake_at = intake_at
    impound.save()
    _record_event(
        impound,
        kind=CustodyEvent.Kind.INTAKE,
        at=intake_at,
        user=user,
        handed_by=impound.tow_driver,
        received_by=f"{signatory} ({impound.custodian})",
        condition=condition,
        note=note or "",
        signature=signature,
        photos=photos,
    )
    if impound.case.judge_id:
        notify(
            [impound.case.judge],
            kind="vehicles.intake",
            message=_("Vehicle %(vehicle)s is in custody at %(lot)s, bay %(bay)s.")
            % {"vehicle": impound.vehicle, "lot": lot, "bay": bay},
            link=impound.get_absolute_url(),
        )
    return impound


@recorded_write
def move_bay(*, impound: Impound, lot: Lot, bay: str, note: str = "", user: User) -> Impound:
    """移位: another bay or another lot of the same custodian (its capacity checked again)."""
    impound = _start(impound, "move", user)
    require(
        lot.custodian_id == impound.custodian_id and lot.active,
        "lot",
        _("Choose an active lot of the custodian keeping the vehicle."),
    )
    before = f"{impound.lot.name} {impound.bay}"
    lot = _lock_lot_with_room(lot, impound)
    bay = _clean_bay(lot, bay, impound)
    require(
        (lot.pk, bay) != (impound.lot_id, impound.bay), "bay", _("The vehicle is already there.")
    )
    impound.lot = lot
    impound.bay = bay
    impound.save(update_fields=["lot", "bay"])
    _record_event(
        impound,
        kind=CustodyEvent.Kind.MOVED,
        at=timezone.now(),
        user=user,
        handed_by=str(impound.custodian),
        received_by=str(impound.custodian),
        note=(f"{before} → {lot.name} {bay}. {note or ''}").strip(),
    )
    return impound


@recorded_write
def decide_disposal(
    *,
    impound: Impound,
    disposal: str,
    reference: str,
    user: User,
    at: dt.datetime | None = None,
) -> Impound:
    """处置决定: the court decides to release the vehicle or to auction it; once.

    ``at`` is the decision's time when it is recorded afterwards (default: now); the hand-over
    that carries it out cannot come before it."""
    impound = _start(impound, "decide-disposal", user)
    if impound.disposal:
        raise Conflict(_("The disposal is already decided."), code="disposal_decided")
    require(disposal in Impound.Disposal.values, "disposal", _("Choose release or auction."))
    reference = _required_text(reference, "reference", 100, _("Give the decision's reference."))
    at = _clean_time(at or timezone.now(), "at", after=impound.seized_at)
    impound.disposal = disposal
    impound.disposal_reference = reference
    impound.disposal_decided_at = at
    impound.disposal_decided_by = user
    impound.save()
    _record_event(
        impound,
        kind=CustodyEvent.Kind.DISPOSAL_DECIDED,
        at=at,
        user=user,
        note=f"{impound.get_disposal_display()}: {reference}",
    )
    return impound


def _hand_over(
    impound: Impound,
    *,
    action: str,
    kind: str,
    at: dt.datetime,
    received_by_name: str,
    signature: str,
    condition: Iterable[str],
    note: str,
    photos: Sequence[UploadedFile],
    user: User,
    disposal: str | None,
    ends_custody: bool,
) -> Impound:
    """The end of custody: the vehicle handed to the owner, the auction or the buyer."""
    impound = _start(impound, action, user)
    if disposal is not None and impound.disposal != disposal:
        raise Conflict(
            _("The court has not decided this disposal (%(disposal)s).")
            % {"disposal": Impound.Disposal(disposal).label},
            code="no_disposal_decision",
        )
    previous = impound.intake_at or impound.towed_at or impound.seized_at
    if disposal is not None:  # carried out only after the decision
        previous = max(previous, impound.disposal_decided_at)
    _clean_time(at, "at", after=impound.ended_at or previous)
    received = _required_text(
        received_by_name, "received_by_name", 200, _("Give who receives the vehicle.")
    )
    signature = clean_signature(signature, required=True)
    condition = _clean_condition(condition)
    photos = _clean_photos(photos)
    handed_by = str(impound.custodian) if impound.state == Impound.State.IN_CUSTODY else str(user)
    impound.state = rules.TRANSITIONS[action].target
    impound.received_by_name = received
    if ends_custody:
        impound.ended_at = at
    impound.save()
    _record_event(
        impound,
        kind=kind,
        at=at,
        user=user,
        handed_by=handed_by,
        received_by=received,
        condition=condition,
        note=note or "",
        signature=signature,
        photos=photos,
    )
    return impound


def _hand_over_service(action: str, kind: str, disposal: str | None, ends_custody: bool, doc: str):
    """One of the three services that end custody, differing only in these facts."""

    @recorded_write
    def service(
        *,
        impound: Impound,
        at: dt.datetime,
        received_by_name: str,
        signature: str,
        condition: Iterable[str] = (),
        note: str = "",
        photos: Sequence[UploadedFile] = (),
        user: User,
    ) -> Impound:
        return _hand_over(
            impound,
            action=action,
            kind=kind,
            at=at,
            received_by_name=received_by_name,
            signature=signature,
            condition=condition,
            note=note,
            photos=photos,
            user=user,
            disposal=disposal,
            ends_custody=ends_custody,
        )

    service.__doc__ = doc
    return service


release = _hand_over_service(
    "release",
    CustodyEvent.Kind.RELEASED,
    Impound.Disposal.RELEASE,
    True,
    "返还: back to the owner (or their agent), once the court decided to release it.",
)
hand_to_auction = _hand_over_service(
    "to-auction",
    CustodyEvent.Kind.TO_AUCTION,
    Impound.Disposal.AUCTION,
    True,
    "移交拍卖: the vehicle leaves the lot for the auction (the custody fees stop here).",
)
deliver_to_buyer = _hand_over_service(
    "deliver",
    CustodyEvent.Kind.DELIVERED,
    None,
    False,
    "交付: the buyer at auction receives the vehicle; the last link of the chain.",
)


LIFECYCLE_SERVICES = {
    "approve-tow": approve_tow,
    "tow": tow,
    "intake": take_into_custody,
    "move": move_bay,
    "decide-disposal": decide_disposal,
    "release": release,
    "to-auction": hand_to_auction,
    "deliver": deliver_to_buyer,
}


# --- custodians, fees and stock checks ---
def _keep(user: User, court: Court, model: str, existing: object | None) -> None:
    authorise(user, court, f"vehicles.{'change' if existing else 'add'}_{model}")


@recorded_write
def save_custodian(
    *,
    user: User,
    court: Court,
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
    require(bool(name), "name", _("Give the custodian's name."), "required")
    credit_code = (credit_code or "").strip()
    if credit_code:
        try:
            credit_code = normalise_credit_code(credit_code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.error_list}) from exc
    clash = Custodian.objects.filter(court=court, name=name)
    if custodian is not None:
        require(custodian.court_id == court.pk, "name", _("This custodian is another court's."))
        clash = clash.exclude(pk=custodian.pk)
    require(not clash.exists(), "name", _("A custodian of this court has that name."), "duplicate")
    custodian = custodian or Custodian(court=court)
    custodian.name, custodian.credit_code, custodian.contact = name, credit_code, contact.strip()
    custodian.phone, custodian.address, custodian.active = phone.strip(), address.strip(), active
    custodian.save()
    return custodian


@recorded_write
def set_custodian_members(*, user: User, custodian: Custodian, members: list[User]) -> Custodian:
    """The company's staff who sign in to the custodian portal; each is given the custodian
    role (a member removed keeps the role, but sees nothing of a company they left)."""
    authorise(user, custodian.court, "vehicles.change_custodian")
    for member in members:
        require(
            member.court_id == custodian.court_id and member.is_active,
            "members",
            _("%(user)s is not an active account of this court.") % {"user": member},
            "other_court",
        )
        require(
            member.has_role(Role.CUSTODIAN) or not member.groups.exists(),
            "members",
            _("%(user)s is court staff; a custodian's users have an account of their own.")
            % {"user": member},
            "staff",
        )
    group = Group.objects.get(name=Role.CUSTODIAN.value)
    for member in members:
        member.groups.add(group)
    custodian.members.set(members)
    return custodian


def _check_rates(rates: dict[str, int]) -> dict[str, int]:
    errors = {}
    for vehicle_class in VehicleClass:
        fee = rates.get(vehicle_class.value)
        if fee is None:
            errors[f"rate_{vehicle_class.value}"] = ValidationError(
                _("Give the daily fee of this vehicle class."), code="required"
            )
        elif not isinstance(fee, int) or fee < 0:
            errors[f"rate_{vehicle_class.value}"] = ValidationError(
                _("A daily fee is an amount of zero or more."), code="invalid"
            )
    if errors:
        raise ValidationError(errors)
    return {vehicle_class.value: rates[vehicle_class.value] for vehicle_class in VehicleClass}


@recorded_write
def save_agreement(
    *,
    user: User,
    custodian: Custodian,
    number: str,
    valid_from: dt.date,
    valid_until: dt.date,
    towing_fee: int,
    rates: dict[str, int],
    signed_on: dt.date | None = None,
    agreement: CustodyAgreement | None = None,
) -> CustodyAgreement:
    """Create or edit an agreement with a daily fee for every vehicle class (a class without a
    rate would leave its vehicles' days unpriced). Agreements of one custodian never overlap:
    checked here for a clear message, and by the exclusion constraint for a race."""
    _keep(user, custodian.court, "custodyagreement", agreement)
    number = (number or "").strip()
    require(bool(number), "number", _("Give the agreement number."), "required")
    require(
        valid_until >= valid_from,
        "valid_until",
        _("The agreement cannot end before it starts."),
        "period",
    )
    require(towing_fee >= 0, "towing_fee", _("The towing fee cannot be negative."), "negative")
    rates = _check_rates(rates)
    overlapping = CustodyAgreement.objects.filter(
        custodian=custodian, valid_from__lte=valid_until, valid_until__gte=valid_from
    )
    if agreement is not None:
        overlapping = overlapping.exclude(pk=agreement.pk)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": ValidationError(
                    _("Agreement %(number)s covers %(start)s to %(end)s: the periods overlap.")
                    % {"number": clash.number, "start": clash.valid_from, "end": clash.valid_until},
                    code="overlap",
                )
            }
        )
    agreement = agreement or CustodyAgreement(custodian=custodian)
    agreement.number, agreement.valid_from, agreement.valid_until = number, valid_from, valid_until
    agreement.towing_fee, agreement.signed_on = towing_fee, signed_on
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError as exc:  # a concurrent agreement won the race
        raise ValidationError(
            {"valid_from": ValidationError(_("The periods overlap."), code="overlap")}
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


@recorded_write
def save_lot(
    *,
    user: User,
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
    require(bool(name), "name", _("Give the lot a name."), "required")
    require(bool(address), "address", _("Give the lot's address."), "required")
    require(capacity >= 1, "capacity", _("A lot holds at least one vehicle."), "min_value")
    clash = Lot.objects.filter(custodian=custodian, name=name)
    if lot is not None:
        require(lot.custodian_id == custodian.pk, "name", _("This lot is another custodian's."))
        clash = clash.exclude(pk=lot.pk)
        Lot.objects.select_for_update().filter(pk=lot.pk).first()  # against a concurrent intake
        occupancy = selectors.lot_occupancy(lot)
        require(
            capacity >= occupancy,
            "capacity",
            _("%(n)d vehicles are kept in this lot now: the capacity cannot be lower.")
            % {"n": occupancy},
            "below_occupancy",
        )
    require(not clash.exists(), "name", _("This custodian has a lot of that name."), "duplicate")
    lot = lot or Lot(custodian=custodian)
    lot.name, lot.address, lot.capacity, lot.active = name, address, capacity, active
    lot.save()
    return lot


@recorded_write
def issue_invoice(*, custodian: Custodian, month: dt.date, user: User) -> CustodyInvoice:
    """The custodian's invoice of a past month (月度结算): one line per vehicle kept any day of
    the month (its days that month × rate) or towed in it (the towing fee). Once per custodian
    and month — a second request is a 409, not a second bill."""
    authorise(user, custodian.court, "vehicles.add_custodyinvoice")
    first, last = fees.month_bounds(month)
    require(
        last < timezone.localdate(),
        "month",
        _("Only a month that has ended can be invoiced."),
        "not_ended",
    )
    Custodian.objects.select_for_update().filter(pk=custodian.pk).first()  # one issuer at a time
    if CustodyInvoice.objects.filter(custodian=custodian, month=first).exists():
        raise Conflict(
            _("%(custodian)s has been invoiced for %(month)s already.")
            % {"custodian": custodian, "month": f"{first:%Y-%m}"},
            code="already_invoiced",
        )
    terms = selectors.agreement_terms(custodian.pk)
    lines = []
    for impound in selectors.month_impounds(custodian, first, last):
        statement = selectors.month_statement(impound, first, last, terms)
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


@recorded_write
def post_fees_to_case(*, impound: Impound, through: dt.date, user: User) -> FeePosting:
    """Record the custody fees up to ``through`` as an enforcement cost (执行费用) of the case.

    A cost record, not a ledger transfer: the custodian is paid by whoever the judgment makes
    bear the cost, and the money never passes through the court's account (ADR 023). Postings
    are contiguous — each covers from the day after the last one (or the intake day) — so no
    day is charged twice; the towing fee goes with the first. Posting the same ``through``
    again returns the first posting.
    """
    authorise(user, impound.case.court, "vehicles.add_feeposting")
    Impound.objects.select_for_update().filter(pk=impound.pk).first()  # postings in turn
    same = FeePosting.objects.filter(impound=impound, through=through).first()
    if same is not None:
        return same
    intake_day = fees.local_day(impound.intake_at)
    require(
        intake_day is not None,
        "impound",
        _("The vehicle has not been taken into custody: there are no fees to post."),
        "not_in_custody",
    )
    last = FeePosting.objects.filter(impound=impound).order_by("-through").first()
    covers_from = last.through + fees.ONE_DAY if last else intake_day
    require(
        through <= timezone.localdate(),
        "through",
        _("Fees can be posted up to today at the latest."),
        "future",
    )
    require(
        through >= covers_from,
        "through",
        _("Fees are posted up to %(day)s already; choose a later day.")
        % {"day": covers_from - fees.ONE_DAY},
        "already_posted",
    )
    statement = selectors.impound_statement(
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


@dataclass(frozen=True)
class Found:
    """What the counter saw of one expected vehicle."""

    present: bool
    note: str = ""


@recorded_write
def record_stock_check(
    *,
    lot: Lot,
    checked_at: dt.datetime,
    found: dict[int, Found],
    unexpected_plates: list[str],
    notes: str,
    user: User,
) -> StockCheck:
    """A count of ``lot`` (盘点): the vehicles the records put there at ``checked_at`` against
    those found. An expected vehicle not in ``found`` counts as missing; a plate found but not
    expected is a discrepancy too. By court staff, or by the lot's own custodian's users."""
    court = lot.custodian.court
    authorise(user, court, "vehicles.add_stockcheck")
    if selectors.is_custodian_user(user) and not lot.custodian.members.filter(pk=user.pk).exists():
        raise PermissionDenied(_("This lot is another custodian's."))
    require(
        checked_at <= timezone.now(),
        "checked_at",
        _("A stock check cannot be in the future."),
        "future",
    )
    expected = list(selectors.in_custody_at(lot, checked_at))
    expected_ids = {impound.pk for impound in expected}
    strays = sorted(set(found) - expected_ids)
    require(
        not strays,
        "found",
        _("These vehicles are not expected in this lot: %(ids)s.")
        % {"ids": ", ".join(map(str, strays))},
        "not_expected",
    )
    plates = []
    for plate in unexpected_plates:
        plate = normalise_plate(plate or "")
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


def remind_stock_checks(now: dt.datetime | None = None) -> int:
    """Daily: tell the custodian's users and the court's section chiefs of each lot whose last
    count is ``VEHICLES_STOCK_CHECK_DAYS`` old (or never counted) — once per due period: again
    only after another period without a count. Safe to run twice (rows locked, stamped)."""
    now = now or timezone.now()
    period = dt.timedelta(days=settings.VEHICLES_STOCK_CHECK_DAYS)
    sent = 0
    for lot_id in Lot.objects.filter(active=True).values_list("pk", flat=True):
        with transaction.atomic():
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
            message = _("Stock check due: %(lot)s was last counted %(when)s.") % {
                "lot": lot,
                "when": f"{timezone.localtime(last_at):%Y-%m-%d}" if last_at else _("never"),
            }
            chiefs = staff_with_roles(lot.custodian.court, Role.SECTION_CHIEF)
            recipients = [*lot.custodian.members.all(), *chiefs]
            notify(recipients, kind="vehicles.stock_check_due", message=message,
                    link=f"/vehicles/lots/{lot.pk}/stock-check/")  # fmt: skip
            lot.stock_check_reminded_at = now
            lot.save(update_fields=["stock_check_reminded_at"])
            sent += 1
    return sent


def alert_long_custody(now: dt.datetime | None = None) -> int:
    """Daily: tell the case judge and the section chiefs, once, of each vehicle in custody
    longer than ``VEHICLES_CUSTODY_ALERT_DAYS`` with no disposal decision (a vehicle forgotten
    in a lot costs the debtor a day's fee every day)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.VEHICLES_CUSTODY_ALERT_DAYS)
    due = Impound.objects.filter(
        state=Impound.State.IN_CUSTODY, disposal="", intake_at__lte=since, overdue_alerted_at=None
    )
    sent = 0
    for impound_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            impound = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("vehicle", "case__court", "case__judge")
                .filter(pk=impound_id)
                .first()
            )
            if impound is None:  # decided meanwhile, or another worker holds it
                continue
            days = (now.date() - impound.intake_at.date()).days
            message = _(
                "%(vehicle)s (case %(case)s) has been in custody %(days)d days without a "
                "disposal decision."
            ) % {"vehicle": impound.vehicle, "case": impound.case, "days": days}
            chiefs = staff_with_roles(impound.case.court, Role.SECTION_CHIEF)
            recipients = [impound.case.judge, *chiefs]
            notify(recipients, kind="vehicles.long_custody", message=message,
                    link=impound.get_absolute_url())  # fmt: skip
            impound.overdue_alerted_at = now
            impound.save(update_fields=["overdue_alerted_at"])
            sent += 1
    return sent

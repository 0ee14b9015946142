"""Writes of the vehicles app: each in one transaction, checked, recorded in history."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.services import Conflict
from courtexec.authz import authorise, require
from courtexec.history import recorded_write
from courtexec.models import User
from courtexec.notifications import notify
from enforcement.models import CaseParty, EnforcementCase
from enforcement.validators import validate_image_upload
from vehicles import rules
from vehicles.models import (
    Custodian,
    CustodyEvent,
    CustodyPhoto,
    Impound,
    Lot,
    Vehicle,
)
from vehicles.selectors import is_custodian_user

# --- vehicles and surveillance ---

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
    require(
        after is None or value >= after,
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
def approve_tow(*, impound: Impound, user: User, note: str = "") -> Impound:
    """拖移审批: a second person (not the recorder of the seizure) approves the tow."""
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
    now = timezone.now()
    impound.tow_approved_by = user
    impound.tow_approved_at = now
    impound.save(update_fields=["tow_approved_by", "tow_approved_at"])
    _record_event(impound, kind=CustodyEvent.Kind.TOW_APPROVED, at=now, user=user, note=note or "")
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
    _clean_time(towed_at, "towed_at", after=impound.seized_at)
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
def decide_disposal(*, impound: Impound, disposal: str, reference: str, user: User) -> Impound:
    """处置决定: the court decides to release the vehicle or to auction it; once."""
    impound = _start(impound, "decide-disposal", user)
    if impound.disposal:
        raise Conflict(_("The disposal is already decided."), code="disposal_decided")
    require(disposal in Impound.Disposal.values, "disposal", _("Choose release or auction."))
    reference = _required_text(reference, "reference", 100, _("Give the decision's reference."))
    now = timezone.now()
    impound.disposal = disposal
    impound.disposal_reference = reference
    impound.disposal_decided_at = now
    impound.disposal_decided_by = user
    impound.save()
    _record_event(
        impound,
        kind=CustodyEvent.Kind.DISPOSAL_DECIDED,
        at=now,
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

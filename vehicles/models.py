"""扣押车辆: a debtor's vehicle from the wanted list (布控) to its release, auction or delivery.

An :class:`Impound` is one seizure of a vehicle and carries its current state and the facts of
each step; the :class:`CustodyEvent` rows are the chain of custody — who handed the vehicle to
whom, when and in what condition — and PostgreSQL refuses to change or delete them (a trigger,
whatever door a change comes through). Third-party custodians (保管单位) keep the vehicles under
custody agreements whose daily rates by vehicle class price each day of custody.

Money is in fen (integers), as in casefunds.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.history import tracked_history
from courtexec.models import Court
from enforcement.models import EnforcementCase, Party
from enforcement.validators import validate_image_upload

User = settings.AUTH_USER_MODEL


class VehicleClass(models.TextChoices):
    """The classes a custody agreement prices (小型/大型/摩托车/专项作业车)."""

    SMALL = "small", _("Small vehicle")  # 小型汽车
    LARGE = "large", _("Large vehicle")  # 大型汽车
    MOTORCYCLE = "motorcycle", _("Motorcycle")  # 摩托车
    SPECIAL = "special", _("Special-purpose vehicle")  # 专项作业车


class Vehicle(models.Model):
    """A vehicle known to the court: plate and VIN normalised and checked (see validators)."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    plate = models.CharField(_("number plate"), max_length=8, blank=True, db_index=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    vehicle_class = models.CharField(
        _("vehicle class"), max_length=12, choices=VehicleClass.choices, default=VehicleClass.SMALL
    )
    make_model = models.CharField(_("make and model"), max_length=100, blank=True)
    colour = models.CharField(_("colour"), max_length=30, blank=True)
    owner = models.ForeignKey(
        Party,
        verbose_name=_("registered owner"),
        on_delete=models.PROTECT,
        related_name="vehicles",
    )
    cases = models.ManyToManyField(
        EnforcementCase, verbose_name=_("cases"), related_name="vehicles", blank=True
    )
    registered_by = models.ForeignKey(
        User, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked_history(m2m_fields=[cases])

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["court", "plate", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "plate"],
                condition=~models.Q(plate=""),
                name="vehicles_plate_once_per_court",
            ),
            models.UniqueConstraint(
                fields=["court", "vin"],
                condition=~models.Q(vin=""),
                name="vehicles_vin_once_per_court",
            ),
            models.CheckConstraint(
                condition=~models.Q(plate="", vin=""), name="vehicles_plate_or_vin"
            ),
        ]

    def __str__(self) -> str:
        return self.plate or self.vin

    def get_absolute_url(self) -> str:
        return reverse("vehicles:vehicle", args=[self.pk])


class Surveillance(models.Model):
    """A vehicle on the wanted list (布控) for a case, for a period, with the reason."""

    court_lookup = "case__court"

    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="surveillances"
    )
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="vehicle_surveillances",
    )
    reason = models.CharField(_("reason"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_reason = models.CharField(_("why lifted"), max_length=300, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("surveillance")
        verbose_name_plural = _("surveillances")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="vehicles_surveillance_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} ({self.case})"


class Sighting(models.Model):
    """A report that a plate was seen somewhere, matched against the active surveillances."""

    class Source(models.TextChoices):
        STAFF = "staff", _("Court staff")
        POLICE = "police", _("Police liaison")
        PARTNER = "partner", _("Partner system")  # e.g. a traffic-camera platform

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    plate_as_reported = models.CharField(_("plate as reported"), max_length=40)
    plate = models.CharField(_("number plate"), max_length=40, db_index=True)
    place = models.CharField(_("place"), max_length=300)
    seen_at = models.DateTimeField(_("seen at"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reported_by = models.ForeignKey(
        User, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    matches = models.ManyToManyField(
        Surveillance, verbose_name=_("matched surveillances"), related_name="sightings", blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        ordering = ["-seen_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plate} {self.place}"


class Custodian(models.Model):
    """A third-party custody company (保管单位) a court contracts: tow, park, keep, deliver."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.ManyToManyField(
        User,
        verbose_name=_("custodian users"),
        related_name="custodians",
        blank=True,
        help_text=_("Staff of the company who sign in to the custodian portal."),
    )
    active = models.BooleanField(_("active"), default=True)
    history = tracked_history(m2m_fields=[members])

    class Meta:
        verbose_name = _("custodian")
        verbose_name_plural = _("custodians")
        ordering = ["court", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="vehicles_custodian_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CustodyAgreement(models.Model):
    """A custody agreement (保管协议): towing fee and daily rates by class for a validity period.

    A custodian's agreements with one court never overlap (exclusion constraint in migration
    0001), so every day of custody is priced by exactly one agreement.
    """

    court_lookup = "custodian__court"

    custodian = models.ForeignKey(
        Custodian, verbose_name=_("custodian"), on_delete=models.PROTECT, related_name="agreements"
    )
    number = models.CharField(_("agreement number"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    towing_fee = models.BigIntegerField(
        _("towing fee (fen)"), validators=[MinValueValidator(0)], default=0
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("custody agreement")
        verbose_name_plural = _("custody agreements")
        ordering = ["custodian", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="vehicles_agreement_period",
            ),
            models.CheckConstraint(
                condition=models.Q(towing_fee__gte=0), name="vehicles_towing_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.custodian} {self.number}"


class AgreementRate(models.Model):
    """The daily custody fee of one vehicle class under an agreement."""

    court_lookup = "agreement__custodian__court"

    agreement = models.ForeignKey(
        CustodyAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="rates",
    )
    vehicle_class = models.CharField(
        _("vehicle class"), max_length=12, choices=VehicleClass.choices
    )
    daily_fee = models.BigIntegerField(_("daily fee (fen)"), validators=[MinValueValidator(0)])
    history = tracked_history()

    class Meta:
        verbose_name = _("daily rate")
        verbose_name_plural = _("daily rates")
        ordering = ["agreement", "vehicle_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "vehicle_class"], name="vehicles_rate_once_per_class"
            ),
            models.CheckConstraint(
                condition=models.Q(daily_fee__gte=0), name="vehicles_daily_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.get_vehicle_class_display()}"


class Lot(models.Model):
    """A custodian's parking lot (停车场) with its capacity, enforced at intake."""

    court_lookup = "custodian__court"

    custodian = models.ForeignKey(
        Custodian, verbose_name=_("custodian"), on_delete=models.PROTECT, related_name="lots"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    active = models.BooleanField(_("active"), default=True)
    stock_check_reminded_at = models.DateTimeField(
        _("stock check reminder sent at"), null=True, blank=True, editable=False
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["custodian", "name"]
        constraints = [
            models.UniqueConstraint(fields=["custodian", "name"], name="vehicles_lot_name"),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="vehicles_lot_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.custodian} · {self.name}"


class Impound(models.Model):
    """One seizure of a vehicle (扣押) and where it stands: seized → towed → in custody →
    released, handed to auction or delivered to the buyer. Transitions live in services."""

    class State(models.TextChoices):
        SEIZED = "seized", _("Seized")  # 扣押
        TOWED = "towed", _("Towed")  # 拖移
        IN_CUSTODY = "in_custody", _("In custody")  # 入库
        RELEASED = "released", _("Released")  # 返还
        TO_AUCTION = "to_auction", _("Handed to auction")  # 移交拍卖
        DELIVERED = "delivered", _("Delivered to the buyer")  # 交付

    OPEN_STATES = (State.SEIZED, State.TOWED, State.IN_CUSTODY)

    class Disposal(models.TextChoices):
        RELEASE = "release", _("Release to the owner")  # 解除扣押, 返还
        AUCTION = "auction", _("Auction")  # 拍卖/变卖

    court_lookup = "case__court"

    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="impounds"
    )
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="impounds",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SEIZED, db_index=True
    )
    # 扣押 — the seizure
    decision_number = models.CharField(_("seizure decision number"), max_length=60)
    seized_at = models.DateTimeField(_("seized at"))
    seized_place = models.CharField(_("place of seizure"), max_length=300)
    officers = models.ManyToManyField(User, verbose_name=_("officers"), related_name="+")
    damage = models.JSONField(
        _("damage checklist"),
        default=list,
        blank=True,
        help_text=_("Codes of the damage found (see the condition checklist)."),
    )
    condition_notes = models.TextField(_("condition notes"), blank=True)
    keys_received = models.PositiveSmallIntegerField(_("keys received"), default=0)
    documents_received = models.JSONField(_("documents received"), default=list, blank=True)
    odometer_km = models.PositiveIntegerField(_("odometer (km)"), null=True, blank=True)
    # 拖移审批 / 拖移 — approval and tow
    tow_approved_by = models.ForeignKey(
        User,
        verbose_name=_("towing approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    tow_approved_at = models.DateTimeField(_("towing approved at"), null=True, blank=True)
    custodian = models.ForeignKey(
        Custodian,
        verbose_name=_("custodian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="impounds",
    )
    towed_at = models.DateTimeField(_("towed at"), null=True, blank=True)
    tow_driver = models.CharField(_("tow driver"), max_length=100, blank=True)
    tow_from = models.CharField(_("towed from"), max_length=300, blank=True)
    tow_to = models.CharField(_("towed to"), max_length=300, blank=True)
    # 入库 — intake
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="impounds",
    )
    bay = models.CharField(_("bay"), max_length=20, blank=True)
    intake_at = models.DateTimeField(_("taken into custody at"), null=True, blank=True)
    # 处置决定 — what is to become of the vehicle
    disposal = models.CharField(
        _("disposal decision"), max_length=10, choices=Disposal.choices, blank=True
    )
    disposal_reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    disposal_decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    disposal_decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # 返还 / 移交拍卖 / 交付 — the end of custody
    ended_at = models.DateTimeField(_("left custody at"), null=True, blank=True)
    received_by_name = models.CharField(_("received by"), max_length=200, blank=True)
    overdue_alerted_at = models.DateTimeField(
        _("long-custody alert sent at"), null=True, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("impound")
        verbose_name_plural = _("impounds")
        ordering = ["-seized_at", "-pk"]
        permissions = [("approve_tow", _("Can approve towing an impounded vehicle"))]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(state__in=["seized", "towed", "in_custody"]),
                name="vehicles_one_open_impound",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="in_custody") | models.Q(lot__isnull=False),
                name="vehicles_in_custody_has_lot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("vehicles:vehicle", args=[self.vehicle_id])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class CustodyEvent(models.Model):
    """One link of the chain of custody (保管链): who handed the vehicle to whom, when, in what
    condition. Append-only: a database trigger refuses updates and deletes."""

    class Kind(models.TextChoices):
        SEIZED = "seized", _("Seized from the holder")
        TOW_APPROVED = "tow_approved", _("Towing approved")
        TOWED = "towed", _("Handed to the tow driver")
        INTAKE = "intake", _("Taken into custody")
        MOVED = "moved", _("Moved to another bay or lot")
        STOCK_CHECKED = "stock_checked", _("Counted at a stock check")
        DISPOSAL_DECIDED = "disposal_decided", _("Disposal decided")
        RELEASED = "released", _("Released to the owner")
        TO_AUCTION = "to_auction", _("Handed to the auction")
        DELIVERED = "delivered", _("Delivered to the buyer")
        NOTE = "note", _("Note")

    court_lookup = "impound__case__court"

    impound = models.ForeignKey(
        Impound, verbose_name=_("impound"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    handed_by = models.CharField(_("handed over by"), max_length=200, blank=True)
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    condition = models.JSONField(_("condition"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    signature = models.TextField(
        _("signature"),
        blank=True,
        help_text=_("The receiving party's signature as drawn on the screen (PNG data URL)."),
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        ordering = ["impound", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.impound.vehicle} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def custody_photo_path(photo: CustodyPhoto, filename: str) -> str:
    """A random name: the phone's file name says nothing and a URL cannot be guessed."""
    extension = Path(filename).suffix.lower()[:5]
    return f"vehicles/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class CustodyPhoto(models.Model):
    """A photo taken at a custody event; served only through a checked view, append-only."""

    court_lookup = "event__impound__case__court"

    event = models.ForeignKey(
        CustodyEvent,
        verbose_name=_("custody event"),
        on_delete=models.PROTECT,
        related_name="photos",
    )
    image = models.ImageField(
        _("photo"), upload_to=custody_photo_path, validators=[validate_image_upload]
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("custody photo")
        verbose_name_plural = _("custody photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("vehicles:photo", args=[self.pk])


class StockCheck(models.Model):
    """A count of one lot (盘点): the vehicles the records expect against those found."""

    court_lookup = "lot__custodian__court"

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="stock_checks"
    )
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(
        User, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    expected = models.PositiveIntegerField(_("expected"))
    counted = models.PositiveIntegerField(_("counted"))
    unexpected_plates = models.JSONField(
        _("vehicles found but not expected"), default=list, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("stock check")
        verbose_name_plural = _("stock checks")
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.lot} {self.checked_at:%Y-%m-%d}"

    @property
    def discrepancies(self) -> int:
        return self.lines.filter(present=False).count() + len(self.unexpected_plates)


class StockCheckLine(models.Model):
    """One expected vehicle at a stock check: found in its bay or not."""

    court_lookup = "stock_check__lot__custodian__court"

    stock_check = models.ForeignKey(
        StockCheck, verbose_name=_("stock check"), on_delete=models.CASCADE, related_name="lines"
    )
    impound = models.ForeignKey(
        Impound, verbose_name=_("impound"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("present"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stock check line")
        verbose_name_plural = _("stock check lines")
        ordering = ["stock_check", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stock_check", "impound"], name="vehicles_check_line_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stock_check}: {self.impound.vehicle}"


class CustodyInvoice(models.Model):
    """A custodian's monthly invoice (月度结算单): fees of every vehicle kept in the month,
    issued once per custodian and month and immutable after that."""

    court_lookup = "custodian__court"

    custodian = models.ForeignKey(
        Custodian, verbose_name=_("custodian"), on_delete=models.PROTECT, related_name="invoices"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month invoiced."))
    total = models.BigIntegerField(_("total (fen)"))
    issued_by = models.ForeignKey(
        User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("custody invoice")
        verbose_name_plural = _("custody invoices")
        ordering = ["-month", "custodian"]
        constraints = [
            models.UniqueConstraint(
                fields=["custodian", "month"], name="vehicles_invoice_once_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.custodian} {self.month:%Y-%m}"


class CustodyInvoiceLine(models.Model):
    """One vehicle's fees in a monthly invoice: towing (if towed that month) plus days × rate."""

    court_lookup = "invoice__custodian__court"

    invoice = models.ForeignKey(
        CustodyInvoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="lines"
    )
    impound = models.ForeignKey(
        Impound, verbose_name=_("impound"), on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveIntegerField(_("days"))
    towing = models.BigIntegerField(_("towing (fen)"))
    custody = models.BigIntegerField(_("custody (fen)"))
    total = models.BigIntegerField(_("total (fen)"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "impound"], name="vehicles_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice}: {self.impound.vehicle}"


class FeePosting(models.Model):
    """Custody fees posted as an enforcement cost on the case (执行费用), for the days up to
    ``through``; postings of one impound never cover a day twice (each starts after the last)."""

    court_lookup = "case__court"

    impound = models.ForeignKey(
        Impound, verbose_name=_("impound"), on_delete=models.PROTECT, related_name="fee_postings"
    )
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="vehicle_costs",
    )
    covers_from = models.DateField(_("covers from"))
    through = models.DateField(_("covers through"))
    amount = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(0)])
    posted_by = models.ForeignKey(
        User, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("custody cost posted")
        verbose_name_plural = _("custody costs posted")
        ordering = ["impound", "through"]
        constraints = [
            models.UniqueConstraint(fields=["impound", "through"], name="vehicles_posting_once"),
            models.CheckConstraint(
                condition=models.Q(through__gte=models.F("covers_from")),
                name="vehicles_posting_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.impound.vehicle} → {self.through}"

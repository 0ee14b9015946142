"""Property investigation and control (网络执行查控): requests, searches, findings, freezes."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.history import tracked_history
from courtexec.models import Court
from debtors import rules
from enforcement.models import CaseParty, EnforcementCase, Party


class AssetClass(models.TextChoices):
    BANK_DEPOSIT = "bank_deposit", _("Bank deposits")  # 银行存款
    REAL_ESTATE = "real_estate", _("Real estate")  # 不动产
    VEHICLE = "vehicle", _("Vehicles")  # 车辆
    SECURITIES = "securities", _("Securities")  # 证券
    ONLINE_PAYMENT = "online_payment", _("Online payment funds")  # 网络资金（支付宝、财付通）
    HOUSING_FUND = "housing_fund", _("Housing provident fund")  # 住房公积金
    SHIP = "ship", _("Ships")  # 船舶


# Legal freeze/seizure period in years (BRIEF §3): deposits and other money held by an institution
# one year, movables two years, real estate and other property rights three years.
LEGAL_PERIOD_YEARS: dict[str, int] = {
    AssetClass.BANK_DEPOSIT: 1,
    AssetClass.ONLINE_PAYMENT: 1,
    AssetClass.HOUSING_FUND: 1,
    AssetClass.VEHICLE: 2,
    AssetClass.SHIP: 2,
    AssetClass.REAL_ESTATE: 3,
    AssetClass.SECURITIES: 3,
}


def legal_end(asset_class: str, start: dt.date) -> dt.date:
    """Last day (inclusive) of a freeze or seizure of ``asset_class`` that starts on ``start``."""
    return start + relativedelta(years=LEGAL_PERIOD_YEARS[asset_class]) - dt.timedelta(days=1)


class InvestigatorRotation(models.Model):
    """Who of the court's investigation group is on duty: members take turns of ``period_days``."""

    court_lookup = "court"

    court = models.OneToOneField(
        Court,
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        related_name="investigator_rotation",
    )
    period_days = models.PositiveSmallIntegerField(
        _("days per turn"), default=7, validators=[MinValueValidator(1)]
    )
    start_date = models.DateField(_("start date"))
    history = tracked_history()

    class Meta:
        verbose_name = _("investigator rotation")
        verbose_name_plural = _("investigator rotations")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_days__gte=1), name="rotation_period")
        ]

    def __str__(self) -> str:
        return str(self.court)

    def on_duty(self, at: dt.datetime | None = None):
        """The member on duty at ``at`` (local date), or ``None`` before the start or if empty."""
        day = timezone.localdate(at or timezone.now())
        members = [m.user for m in self.members.select_related("user").order_by("position")]
        if not members or day < self.start_date:
            return None
        turn = (day - self.start_date).days // self.period_days
        return members[turn % len(members)]


class RotationMember(models.Model):
    court_lookup = "rotation__court"

    rotation = models.ForeignKey(
        InvestigatorRotation,
        verbose_name=_("rotation"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    history = tracked_history()

    class Meta:
        verbose_name = _("rotation member")
        verbose_name_plural = _("rotation members")
        ordering = ["rotation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "position"], name="unique_rotation_slot"),
            models.UniqueConstraint(fields=["rotation", "user"], name="unique_rotation_member"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.user}"


class Search(models.Model):
    """One search of one party for one asset class; every case of the party reuses it a while."""

    court_lookup = "court"

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="searches"
    )
    asset_class = models.CharField(_("asset class"), max_length=20, choices=AssetClass.choices)
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now, db_index=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("performed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_number = models.CharField(_("case number of the order"), max_length=60)
    results = models.JSONField(_("results"), default=dict, blank=True)
    forced_reason = models.TextField(
        _("reason for a new search"),
        blank=True,
        help_text=_("Why a recent search of this party was not reused."),
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        ordering = ["-performed_at", "-pk"]
        indexes = [models.Index(fields=["court", "party", "asset_class", "-performed_at"])]

    def __str__(self) -> str:
        return f"{self.party} {self.get_asset_class_display()} {self.performed_at:%Y-%m-%d}"


class InvestigationRequest(models.Model):
    """A case asks the investigation group to search a respondent's property (查控申请)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        ASSIGNED = "assigned", _("Assigned")
        DONE = "done", _("Done")

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="investigation_requests",
    )
    respondent = models.ForeignKey(
        CaseParty, verbose_name=_("respondent"), on_delete=models.PROTECT, related_name="+"
    )
    asset_classes = ArrayField(
        models.CharField(max_length=20, choices=AssetClass.choices),
        verbose_name=_("asset classes"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    force_reason = models.TextField(
        _("reason for new searches"),
        blank=True,
        help_text=_("Given when recent searches of the party must not be reused."),
    )
    searches = models.ManyToManyField(
        Search, verbose_name=_("searches"), related_name="requests", blank=True
    )
    history = tracked_history(m2m_fields=[searches])

    class Meta:
        verbose_name = _("investigation request")
        verbose_name_plural = _("investigation requests")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.respondent.party}"

    def missing_classes(self) -> list[str]:
        done = {s.asset_class for s in self.searches.all()}
        return [c for c in self.asset_classes if c not in done]


class Finding(models.Model):
    """A piece of property a search found, and what became of it."""

    class Status(models.TextChoices):
        FOUND = "found", _("Found")
        FROZEN = "frozen", _("Frozen")
        SEIZED = "seized", _("Seized")
        DEDUCTED = "deducted", _("Deducted")
        RELEASED = "released", _("Released")

    court_lookup = "search__court"

    search = models.ForeignKey(
        Search, verbose_name=_("search"), on_delete=models.PROTECT, related_name="findings"
    )
    asset_class = models.CharField(_("asset class"), max_length=20, choices=AssetClass.choices)
    institution = models.CharField(_("institution"), max_length=200)
    identifier = models.CharField(
        _("identifier"), max_length=100, help_text=_("Account, certificate or plate number.")
    )
    value = models.BigIntegerField(_("balance or value (fen)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FOUND
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["search", "pk"]

    def __str__(self) -> str:
        return f"{self.institution} {self.identifier}"


class Freeze(models.Model):
    """A freeze (冻结) or seizure (查封/扣押) of a finding for one case, with its legal end."""

    class Kind(models.TextChoices):
        FREEZE = "freeze", _("Freeze")
        SEIZURE = "seizure", _("Seizure")

    court_lookup = "case__court"

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="freezes"
    )
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="freezes"
    )
    respondent = models.ForeignKey(
        CaseParty, verbose_name=_("respondent"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount frozen (fen)"), default=0)
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), db_index=True)
    bank_reference = models.CharField(_("institution's reference"), max_length=64, blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("freeze or seizure")
        verbose_name_plural = _("freezes and seizures")
        ordering = ["to_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_date__gte=models.F("from_date")), name="freeze_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.finding} → {self.to_date}"

    @property
    def expired(self) -> bool:
        return self.released_on is None and self.to_date < timezone.localdate()

    @property
    def active(self) -> bool:
        return self.released_on is None and not self.expired


class FreezeRenewal(models.Model):
    """A renewal (续冻/续封) before expiry: extends the freeze by its legal period."""

    court_lookup = "freeze__case__court"

    freeze = models.ForeignKey(
        Freeze, verbose_name=_("freeze"), on_delete=models.PROTECT, related_name="renewals"
    )
    previous_to = models.DateField(_("previous end"))
    new_to = models.DateField(_("new end"))
    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("renewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    renewed_at = models.DateTimeField(_("renewed at"), default=timezone.now)
    history = tracked_history()

    class Meta:
        verbose_name = _("freeze renewal")
        verbose_name_plural = _("freeze renewals")
        ordering = ["renewed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.freeze_id}: {self.previous_to} → {self.new_to}"


class RenewalReminder(models.Model):
    """A reminder raised once per freeze, lead time and end date (a renewal starts anew)."""

    court_lookup = "freeze__case__court"

    freeze = models.ForeignKey(
        Freeze, verbose_name=_("freeze"), on_delete=models.CASCADE, related_name="reminders"
    )
    lead_days = models.PositiveSmallIntegerField(_("days before expiry"))
    to_date = models.DateField(_("end date reminded of"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["freeze", "lead_days", "to_date"], name="unique_renewal_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.freeze_id} −{self.lead_days}d"


class Deduction(models.Model):
    """Money a bank deducted (扣划) from a frozen account into the case's sub-account."""

    court_lookup = "case__court"

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="deductions"
    )
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="deductions",
    )
    amount = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    bank_reference = models.CharField(_("bank's deduction reference"), max_length=64, unique=True)
    deposit = models.ForeignKey(
        "casefunds.Deposit", verbose_name=_("deposit"), on_delete=models.PROTECT, related_name="+"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    deducted_at = models.DateTimeField(_("deducted at"))
    history = tracked_history()

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["deducted_at", "pk"]

    def __str__(self) -> str:
        return self.bank_reference


# --- The dishonest-debtor list (失信被执行人名单) and consumption restriction (限制消费) ----------


class BlacklistEntry(models.Model):
    """One listing of a respondent of a case; the law lives in ``debtors.rules``."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        DELETED = "deleted", _("Deleted")
        CORRECTED = "corrected", _("Corrected")

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey(
        CaseParty,
        verbose_name=_("respondent"),
        on_delete=models.PROTECT,
        related_name="blacklist_entries",
    )
    grounds = ArrayField(
        models.PositiveSmallIntegerField(choices=rules.Ground.choices), verbose_name=_("grounds")
    )
    facts = models.TextField(_("facts"))
    decision_number = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decision date"))
    # The officer's assessment (Art. 3), required for ground 1.
    assessed_by = models.CharField(_("assessed by"), max_length=100, blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    security_given = models.BooleanField(_("security given"), default=False)
    frozen_property_value = models.DecimalField(
        _("value of property frozen"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assessment_note = models.TextField(_("assessment note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    ends_on = models.DateField(
        _("period ends on"), null=True, blank=True, help_text=_("Empty: listed until deleted.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    deletion_ground = models.CharField(
        _("deletion ground"), max_length=30, choices=rules.DeletionGround.choices, blank=True
    )
    deletion_ground_arose_on = models.DateField(
        _("deletion ground arose on"), null=True, blank=True
    )
    deletion_due_on = models.DateField(_("deletion due on"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("dishonest-debtor list entry")
        verbose_name_plural = _("dishonest-debtor list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "respondent"],
                condition=models.Q(status__in=["proposed", "approved", "published"]),
                name="one_live_blacklist_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.respondent}"

    @property
    def is_live(self) -> bool:
        return self.status in {self.Status.PROPOSED, self.Status.APPROVED, self.Status.PUBLISHED}


class BlacklistExtension(models.Model):
    court_lookup = "entry__case__court"

    entry = models.ForeignKey(
        BlacklistEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="extensions"
    )
    years = models.PositiveSmallIntegerField(_("years"))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("listing extension")
        verbose_name_plural = _("listing extensions")

    def __str__(self) -> str:
        return f"{self.entry} +{self.years}"


class DeletionTask(models.Model):
    """A deletion ground the daily job saw; the entry must be deleted by ``due_on`` (Art. 10)."""

    court_lookup = "entry__case__court"

    entry = models.ForeignKey(
        BlacklistEntry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="deletion_tasks",
    )
    ground = models.CharField(_("ground"), max_length=30, choices=rules.DeletionGround.choices)
    arisen_on = models.DateField(_("ground arose on"))
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deletion task")
        verbose_name_plural = _("deletion tasks")
        constraints = [
            models.UniqueConstraint(fields=["entry", "ground"], name="one_deletion_task_per_ground")
        ]

    def __str__(self) -> str:
        return f"{self.entry}: {self.ground}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return today > self.due_on and self.entry.status != BlacklistEntry.Status.DELETED


class CorrectionRequest(models.Model):
    """A request to correct an entry (Art. 11–12): reviewed in 15 days, corrected in 3 working."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    court_lookup = "entry__case__court"

    entry = models.ForeignKey(
        BlacklistEntry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    ground = models.CharField(_("ground"), max_length=30, choices=rules.CorrectionGround.choices)
    statement = models.TextField(_("statement"))
    received_on = models.DateField(_("received on"))
    review_due_on = models.DateField(_("review due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    correction_due_on = models.DateField(_("correction due on"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self) -> str:
        return f"{self.entry}: {self.ground}"


class RestrictionOrder(models.Model):
    """A consumption-restriction order (限制消费令) against a respondent of a case."""

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey(
        CaseParty,
        verbose_name=_("respondent"),
        on_delete=models.PROTECT,
        related_name="restriction_orders",
    )
    entry = models.OneToOneField(
        BlacklistEntry,
        verbose_name=_("list entry"),
        on_delete=models.PROTECT,
        related_name="restriction_order",
        null=True,
        blank=True,
    )
    items = ArrayField(
        models.CharField(max_length=30, choices=rules.RestrictedItem.choices),
        verbose_name=_("restricted items"),
    )
    bound_persons = models.JSONField(_("persons bound"), default=list)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    issued_on = models.DateField(_("issued on"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lifting_reason = models.CharField(
        _("lifting reason"), max_length=30, choices=rules.LiftingReason.choices, blank=True
    )
    lifting_note = models.TextField(_("lifting note"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("consumption-restriction order")
        verbose_name_plural = _("consumption-restriction orders")

    def __str__(self) -> str:
        return f"{self.case} {self.respondent}"

    @property
    def in_force(self) -> bool:
        return self.lifted_on is None


class RestrictionExemption(models.Model):
    """A request to spend on a restricted item for a necessary reason, decided by the court."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    court_lookup = "order__case__court"

    order = models.ForeignKey(
        RestrictionOrder,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="exemptions",
    )
    item = models.CharField(_("item"), max_length=30, choices=rules.RestrictedItem.choices)
    reason = models.TextField(_("reason"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    history = tracked_history()

    class Meta:
        verbose_name = _("restriction exemption")
        verbose_name_plural = _("restriction exemptions")

    def __str__(self) -> str:
        return f"{self.order}: {self.item}"


# --- Exposure (360°曝光) ----------------------------------------------------------------------


class ExposureRecord(models.Model):
    """Where and when a published entry was exposed (national database, newspaper, notice
    board, forum, big screen), until withdrawn; deleting or correcting the entry withdraws it."""

    class Channel(models.TextChoices):
        NATIONAL_DATABASE = "national_database", _("National dishonest-debtor database")
        NEWSPAPER = "newspaper", _("Newspaper")
        NOTICE_BOARD = "notice_board", _("Community or street notice board")
        FORUM = "forum", _("Local forum or website")
        BIG_SCREEN = "big_screen", _("Big screen")

    court_lookup = "entry__case__court"

    entry = models.ForeignKey(
        BlacklistEntry,
        verbose_name=_("list entry"),
        on_delete=models.PROTECT,
        related_name="exposures",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    outlet = models.CharField(
        _("outlet or place"),
        max_length=200,
        help_text=_("The newspaper, the notice board's address, the website or the screen."),
    )
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("Issue and page, web address, export batch …"),
    )
    published_on = models.DateField(_("published on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("withdrawal reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = tracked_history()

    class Meta:
        verbose_name = _("exposure record")
        verbose_name_plural = _("exposure records")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("published_on")),
                name="exposure_dates",
            ),
            models.UniqueConstraint(
                fields=["entry", "channel", "outlet"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="one_open_exposure_per_outlet",
            ),
        ]
        indexes = [
            models.Index(
                fields=["entry"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="open_exposures",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_channel_display()} · {self.outlet}"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_on is None


# --- Tips (举报线索) ------------------------------------------------------------------------------

TIP_PHONE = RegexValidator(
    r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
    _("Enter a mobile number (13800138000) or a landline with its area code (0571-85190000)."),
    code="phone",
)


def tip_photo_path(tip: Tip, filename: str) -> str:
    """A random name under MEDIA_ROOT: the file name says nothing and the URL is unguessable."""
    extension = Path(filename).suffix.lower()[:5]
    return f"tips/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Tip(models.Model):
    """A lead from the public (举报线索): where a debtor's property is. Checked within 5 days.

    Received → routed (to a case and its judge) → checked; or unroutable, until a chief or the
    investigation group assigns a case by hand. Only a hash of the sender's address is kept.
    """

    class Source(models.TextChoices):
        WEB = "web", _("Public web form")  # 网上举报
        HOTLINE = "hotline", _("Hotline call")  # 热线电话

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ROUTED = "routed", _("Routed")
        UNROUTABLE = "unroutable", _("Unroutable")
        CHECKED = "checked", _("Checked")

    class MatchBasis(models.TextChoices):
        ID_NUMBER = "id_number", _("Identity number")
        NAME = "name", _("Name (unambiguous)")
        MANUAL = "manual", _("Assigned by hand")

    class Outcome(models.TextChoices):
        PROPERTY_FOUND = "property_found", _("Property found")
        NOT_FOUND = "not_found", _("No property found")
        NOT_CREDIBLE = "not_credible", _("Not credible")
        DUPLICATE = "duplicate", _("Duplicate of an earlier lead")

    OPEN_STATUSES = (Status.RECEIVED, Status.ROUTED, Status.UNROUTABLE)

    court_lookup = "court"

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    debtor_name = models.CharField(_("debtor's name"), max_length=200)
    debtor_id_number = models.CharField(
        _("debtor's ID number or credit code"), max_length=18, blank=True
    )
    details = models.TextField(_("what property"))
    location = models.CharField(_("where"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[TIP_PHONE]
    )
    photo = models.ImageField(_("photo"), upload_to=tip_photo_path, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    client_fingerprint = models.CharField(
        _("sender fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("A keyed hash of the sender's address, for abuse limits; never the address."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    matched_party = models.ForeignKey(
        Party, verbose_name=_("matched party"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )  # fmt: skip
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="tips",
        null=True, blank=True,
    )  # fmt: skip
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    match_basis = models.CharField(
        _("matched by"), max_length=10, choices=MatchBasis.choices, blank=True
    )
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("routed by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    check_due_on = models.DateField(_("check due on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    investigation_request = models.ForeignKey(
        InvestigationRequest, verbose_name=_("investigation request"), on_delete=models.PROTECT,
        related_name="tips", null=True, blank=True,
    )  # fmt: skip
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="tips",
        null=True, blank=True,
    )  # fmt: skip
    freeze = models.ForeignKey(
        Freeze, verbose_name=_("freeze"), on_delete=models.PROTECT, related_name="tips",
        null=True, blank=True,
    )  # fmt: skip
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(_("overdue alert sent at"), null=True, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["court", "status", "check_due_on"]),
            models.Index(fields=["client_fingerprint", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="routed") | models.Q(case__isnull=False),
                name="routed_tip_has_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="checked") | ~models.Q(outcome=""),
                name="checked_tip_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.debtor_name}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Not checked and past its check date (BRIEF §1: a property lead within 5 days)."""
        return self.is_open and (today or timezone.localdate()) > self.check_due_on


# --- Re-searches after 终本 (figures slice) ----------------------------------------------------


class ResearchRun(models.Model):
    """One of the re-searches of a 终本 case's respondents: every 6 months for 5 years (BRIEF §1).

    Keyed by case and run number, so the daily job opens each run once however often it runs.
    A run's searches are done by the investigation group through the ordinary queue (ADR 016).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("With the investigation group")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed (a later run searched)")

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="research_runs",
    )
    number = models.PositiveSmallIntegerField(_("run number"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    requests = models.ManyToManyField(
        InvestigationRequest,
        verbose_name=_("investigation requests"),
        related_name="research_runs",
        blank=True,
    )
    completed_on = models.DateField(_("searched on"), null=True, blank=True)
    property_found = models.PositiveIntegerField(
        _("pieces of property found"), default=0, help_text=_("Findings with a balance or value.")
    )
    new_findings = models.PositiveIntegerField(
        _("new findings"), default=0, help_text=_("Property no earlier search of the party found.")
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("re-search after termination")
        verbose_name_plural = _("re-searches after termination")
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_research_run_per_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1) & models.Q(number__lte=10),
                name="research_run_number_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.case} #{self.number}"


# --- Public search (公开查询) ------------------------------------------------------------------


class PublicListing(models.Model):
    """The public search's read model: one row per published entry, nothing else.

    Kept by ``debtors.services.sync_public_listing`` in the transaction of every change to an
    entry or its party, so the public search reads one narrow table through two btree indexes
    (ADR 013). ``name_key`` and ``id_key`` use the "C" collation: its byte order lets a plain
    btree answer a prefix ``LIKE`` and the ``ORDER BY`` of the same index.
    """

    court_lookup = "entry__case__court"

    entry = models.OneToOneField(
        BlacklistEntry,
        verbose_name=_("entry"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="public_listing",
    )
    name_key = models.CharField(_("name (normalised)"), max_length=200, db_collation="C")
    id_key = models.CharField(
        _("identity number (normalised)"), max_length=18, db_collation="C", blank=True
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("public listing")
        verbose_name_plural = _("public listings")
        indexes = [
            models.Index(fields=["name_key", "entry"], name="public_listing_name"),
            models.Index(
                fields=["id_key", "entry"],
                name="public_listing_id",
                condition=~models.Q(id_key=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name_key

"""Enforcement cases (执行案件) and the people, decisions and work around them."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.history import tracked_history
from courtexec.models import Court
from enforcement.validators import validate_image_upload

MONEY = {"max_digits": 14, "decimal_places": 2}


class Party(models.Model):
    """A natural person or an organisation, one record per identity number across courts."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Natural person")  # 自然人
        ORGANISATION = "organisation", _("Organisation")  # 法人或其他组织

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    id_number = models.CharField(
        _("identity number"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        help_text=_(
            "18-digit resident ID for a person, unified social credit code for an organisation."
        ),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    registered_by = models.ForeignKey(
        Court, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    courts = models.ManyToManyField(
        Court,
        verbose_name=_("courts that know this party"),
        related_name="known_parties",
        blank=True,
        help_text=_("Courts that registered the party or have it in a case; they see it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def restrict_to_courts(cls, queryset: models.QuerySet, court_ids: set[int]) -> models.QuerySet:
        """A court sees the parties it registered, looked up or has in its own cases."""
        known = cls.courts.through.objects.filter(court_id__in=court_ids).values("party_id")
        return queryset.filter(pk__in=known)

    def clean(self) -> None:
        """The identity number must be valid for the kind of party, whichever door saved it."""
        from enforcement.validators import normalise_credit_code, normalise_resident_id

        if not self.id_number:
            self.id_number = None
            return
        normalise = (
            normalise_resident_id if self.kind == self.Kind.PERSON else normalise_credit_code
        )
        try:
            self.id_number = normalise(self.id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.error_list}) from exc

    @property
    def lacks_id(self) -> bool:
        """Parties without an identity number are allowed but flagged for follow-up."""
        return not self.id_number


class EnforcementCase(models.Model):
    """One enforcement case of one court, from filing (立案) to closure (结案)."""

    class TypeCode(models.TextChoices):
        FIRST = "执", _("First enforcement")  # 首次执行
        RESUMED = "执恢", _("Resumed enforcement")  # 恢复执行
        PRESERVATION = "执保", _("Preservation")  # 财产保全执行
        OBJECTION = "执异", _("Enforcement objection")  # 执行异议
        REVIEW = "执复", _("Enforcement review")  # 执行复议
        SUPERVISION = "执监", _("Enforcement supervision")  # 执行监督

    class Category(models.TextChoices):
        LIVELIHOOD = "livelihood", _("Livelihood")  # 民生
        FINANCIAL = "financial", _("Financial")  # 金融
        IP = "ip", _("Intellectual property")  # 知识产权
        OTHER = "other", _("Other")  # 其他

    class InstrumentKind(models.TextChoices):
        LITIGATION = "litigation", _("Judgment or ruling of a court")  # 诉讼文书
        NON_LITIGATION = (
            "non_litigation",
            _("Non-litigation instrument"),
        )  # 非诉文书（公证、仲裁等）

    class Status(models.TextChoices):
        FILED = "filed", _("Filed")  # 立案
        IN_PROGRESS = "in_progress", _("In progress")  # 执行中
        SUSPENDED = "suspended", _("Suspended")  # 中止
        CONCLUDED = "concluded", _("Concluded")  # 结案

    class ClosureMode(models.TextChoices):
        PERFORMED = "performed", _("Fully performed")  # 执行完毕
        TERMINATED_FOR_NOW = (
            "terminated_for_now",
            _("Terminated for now (终本)"),
        )  # 终结本次执行程序
        TERMINATED = "terminated", _("Enforcement terminated")  # 终结执行
        NOT_ENFORCED = "not_enforced", _("Not to be enforced")  # 不予执行
        WITHDRAWN = "withdrawn", _("Case withdrawn")  # 销案
        REJECTED = "rejected", _("Application rejected")  # 驳回申请

    class Flag(models.TextChoices):
        """Why a case goes before the joint meeting of bureau and section chiefs (联席会议)."""

        MAJOR = "major", _("Major")  # 重大
        DIFFICULT = "difficult", _("Difficult")  # 疑难
        HIGH_IMPACT = "high_impact", _("High social impact")  # 有较大社会影响
        STABILITY_RISK = "stability_risk", _("Stability risk")  # 可能引发不稳定因素
        LARGE_DISPOSAL = "large_disposal", _("Large asset disposal")  # 大标的资产处置

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField(_("case number"), max_length=60, unique=True)
    is_legacy_number = models.BooleanField(_("legacy number"), default=False)
    year = models.PositiveSmallIntegerField(_("year"))
    type_code = models.CharField(_("type"), max_length=4, choices=TypeCode.choices)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    instrument_number = models.CharField(_("instrument number"), max_length=100)
    instrument_effective_on = models.DateField(_("instrument effective on"))
    instrument_kind = models.CharField(
        _("instrument kind"), max_length=20, choices=InstrumentKind.choices
    )
    amount_to_enforce = models.DecimalField(
        _("amount to enforce (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    amount_performed = models.DecimalField(
        _("amount performed (yuan)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    filed_on = models.DateField(_("filed on"))
    due_on = models.DateField(
        _("due on"), help_text=_("Filing date plus the time limit and any approved extension.")
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("judge"),
        on_delete=models.PROTECT,
        related_name="judged_cases",
    )
    assistants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assistants"),
        blank=True,
        related_name="assisted_cases",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.FILED
    )
    flags = ArrayField(
        models.CharField(max_length=20, choices=Flag.choices),
        verbose_name=_("joint-meeting flags"),
        default=list,
        blank=True,
    )
    # Steps the 终本 rule checks (SPC 2016); dates are when each was done.
    execution_notice_sent_on = models.DateField(
        _("execution notice sent on"), null=True, blank=True
    )
    asset_report_ordered_on = models.DateField(_("asset report ordered on"), null=True, blank=True)
    property_investigation_done_on = models.DateField(
        _("property investigation completed on"), null=True, blank=True
    )
    consumption_restriction_on = models.DateField(
        _("consumption restriction issued on"), null=True, blank=True
    )
    blacklisted_on = models.DateField(_("dishonest-debtor listing on"), null=True, blank=True)
    no_blacklist_grounds = models.BooleanField(
        _("no grounds for blacklisting"),
        default=False,
        help_text=_(
            "Recorded when the respondent shows none of the grounds for the dishonest-debtor list."
        ),
    )
    debtor_search_done_on = models.DateField(
        _("missing debtor searched / obstruction punished on"), null=True, blank=True
    )
    closure_mode = models.CharField(
        _("closure mode"), max_length=30, choices=ClosureMode.choices, blank=True
    )
    closure_reason = models.TextField(_("closure reason"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    resumed_from = models.ForeignKey(
        "self",
        verbose_name=_("resumed from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resumptions",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked_history(m2m_fields=[assistants])

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "type_code", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="unique_case_sequence",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_performed__gte=0) & models.Q(amount_to_enforce__gte=0),
                name="case_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="concluded") | ~models.Q(closure_mode=""),
                name="concluded_case_has_closure_mode",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status", "due_on"]),
            models.Index(fields=["judge", "status"]),
        ]
        permissions = [
            ("buy_tickets", _("Can record tickets bought centrally (统一购票)")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_to_enforce - self.amount_performed, Decimal("0"))

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CONCLUDED


class CaseNumberCounter(models.Model):
    """The last sequence issued per court, type code and year; locked while numbering."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    type_code = models.CharField(max_length=4, choices=EnforcementCase.TypeCode.choices)
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["court", "type_code", "year"], name="unique_case_counter"
            )
        ]

    def __str__(self) -> str:
        return f"({self.year}){self.court.code}{self.type_code}: {self.last_sequence}"


class CaseParty(models.Model):
    """A party's role in one case; the applicant's payee account is confirmed at filing."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")  # 申请执行人
        RESPONDENT = "respondent", _("Respondent")  # 被执行人
        THIRD_PARTY = "third_party", _("Third party")  # 第三人

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="parties"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="case_links"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    payee_bank = models.CharField(_("payee bank"), max_length=100, blank=True)
    payee_account_name = models.CharField(_("payee account name"), max_length=200, blank=True)
    payee_account_number = models.CharField(_("payee account number"), max_length=34, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("case party")
        verbose_name_plural = _("case parties")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party", "role"], name="unique_party_role_in_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.party}"


class RequestForDecision(models.Model):
    """Who asked and when; who decided and when (extensions, trips)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        abstract = True


class DeadlineExtension(RequestForDecision):
    """A judge's request to extend the time limit; the court president decides (≤ 3 months)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="extensions"
    )
    months = models.PositiveSmallIntegerField(_("months"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.case} +{self.months}"


class Consultation(models.Model):
    """A consultation (会诊) on a case open for more than three months."""

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), related_name="+"
    )
    findings = models.TextField(_("findings"))
    next_steps = models.TextField(_("next steps"))
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_on}"


class ConsultationReminder(models.Model):
    """Opened by the daily job for a case due a consultation; closed by the consultation held."""

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="consultation_reminders",
    )
    due_since = models.DateField(_("due since"))
    resolved_by = models.OneToOneField(
        Consultation,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("consultation reminder")
        verbose_name_plural = _("consultation reminders")
        ordering = ["due_since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(resolved_by__isnull=True),
                name="one_open_consultation_reminder_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} ({self.due_since})"


class DeadlineWarning(models.Model):
    """The judge was told that a time limit is near or past (执行期限预警): one row per case, due
    date and stage, so the daily job tells once, and again after an extension moves the date."""

    court_lookup = "case__court"

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")  # 临近期限
        OVERDUE = "overdue", _("Overdue")  # 超期

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="deadline_warnings",
    )
    due_on = models.DateField(_("due on"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    warned_at = models.DateTimeField(_("warned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline warning")
        verbose_name_plural = _("deadline warnings")
        ordering = ["-warned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "due_on", "stage"], name="one_deadline_warning_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_stage_display()} {self.due_on}"


class JointMeeting(models.Model):
    """A joint meeting of bureau and section chiefs (局长、科长联席会议)."""

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chaired by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="+"
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.court.code} {self.held_on}"


class MeetingDecision(models.Model):
    """One case on a joint meeting's agenda: the discussion, the decision and the vote."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("On the agenda")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    court_lookup = "case__court"

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )
    matter = models.CharField(_("matter"), max_length=300)
    discussion = models.TextField(_("discussion"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    approved_amount = models.DecimalField(
        _("approved disposal amount (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("The largest asset disposal this decision allows."),
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    history = tracked_history()

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case", "matter"], name="unique_meeting_matter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.matter}"


class AssetDisposal(models.Model):
    """An order to dispose of seized assets (auction, sale); large ones need a meeting decision."""

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="disposals"
    )
    description = models.CharField(_("assets"), max_length=300)
    amount = models.DecimalField(
        _("estimated value (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    authorised_by = models.ForeignKey(
        MeetingDecision,
        verbose_name=_("authorised by meeting decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposals",
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("asset disposal")
        verbose_name_plural = _("asset disposals")
        ordering = ["-ordered_at"]

    def __str__(self) -> str:
        return f"{self.case}: {self.description}"


class Objection(models.Model):
    """An objection (执行异议) against an enforcement act, reviewed within 15 days."""

    class Ruling(models.TextChoices):
        PENDING = "pending", _("Under review")
        SUSTAINED = "sustained", _("Sustained")  # 异议成立
        DISMISSED = "dismissed", _("Dismissed")  # 驳回异议

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="objections"
    )
    objector_party = models.ForeignKey(
        Party,
        verbose_name=_("objecting party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    objector_name = models.CharField(
        _("objector"), max_length=200, help_text=_("A party to the case or an outsider (案外人).")
    )
    contested_act = models.TextField(_("contested enforcement act"))
    filed_on = models.DateField(_("filed on"))
    review_due_on = models.DateField(_("review due on"))
    ruling = models.CharField(
        _("ruling"), max_length=20, choices=Ruling.choices, default=Ruling.PENDING
    )
    ruling_reason = models.TextField(_("reasons"), blank=True)
    ruled_on = models.DateField(_("ruled on"), null=True, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.objector_name}"


class CoerciveMeasure(models.Model):
    """Judicial detention, a fine, or a transfer to the police for refusal to perform."""

    class Kind(models.TextChoices):
        DETENTION = "detention", _("Judicial detention")  # 司法拘留
        FINE = "fine", _("Fine")  # 罚款
        POLICE_TRANSFER = (
            "police_transfer",
            _("Transfer to police (Criminal Law Art. 313)"),
        )  # 移送公安

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.ForeignKey(
        Party, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )
    detention_days = models.PositiveSmallIntegerField(_("detention days"), null=True, blank=True)
    fine_amount = models.DecimalField(_("fine (yuan)"), **MONEY, null=True, blank=True)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by (president)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    family_notified_at = models.DateTimeField(_("family notified at"), null=True, blank=True)
    review_requested_on = models.DateField(
        _("higher-court review requested on"), null=True, blank=True
    )
    review_decided_on = models.DateField(_("higher-court review decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("coercive measure")
        verbose_name_plural = _("coercive measures")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="detention")
                | models.Q(detention_days__gte=1, detention_days__lte=15),
                name="detention_at_most_15_days",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="fine")
                | models.Q(fine_amount__gt=0, fine_amount__lte=1_000_000),
                name="fine_within_legal_maximum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()}"


class FieldAction(models.Model):
    """One step of field work recorded from a phone (办案轨迹全程留痕)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")  # 走访
        SEARCH = "search", _("Search")  # 搜查
        SEIZURE = "seizure", _("Seizure")  # 查封扣押
        SERVICE = "service", _("Service of documents")  # 送达
        INTERVIEW = "interview", _("Interview")  # 询问

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="field_actions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=300)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    participants = models.CharField(_("participants"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("field action")
        verbose_name_plural = _("field actions")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="latitude_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="longitude_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


def field_photo_path(photo: FieldPhoto, filename: str) -> str:
    """A random name: the officer's file name says nothing and a URL cannot be guessed."""
    extension = Path(filename).suffix.lower()[:5]
    return f"field/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class FieldPhoto(models.Model):
    """A photo of a field action, served only through a court-checked view (never /media/)."""

    court_lookup = "action__case__court"

    action = models.ForeignKey(
        FieldAction, verbose_name=_("field action"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("photo"), upload_to=field_photo_path, validators=[validate_image_upload]
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("field photo")
        verbose_name_plural = _("field photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("enforcement:field-photo", args=[self.pk])


class TravelRequest(RequestForDecision):
    """An out-of-town trip (外出办案): requested, approved by the chief, ticketed centrally."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        TICKETED = "ticketed", _("Tickets bought")

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="travel_requests",
    )
    destination = models.CharField(_("destination"), max_length=200)
    purpose = models.TextField(_("purpose"))
    depart_on = models.DateField(_("departs on"))
    return_on = models.DateField(_("returns on"))
    travellers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("travellers"), related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("travel request")
        verbose_name_plural = _("travel requests")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(return_on__gte=models.F("depart_on")),
                name="return_after_departure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.destination}"


class Ticket(models.Model):
    """A ticket bought centrally by a designated clerk, never by the traveller."""

    class Mode(models.TextChoices):
        TRAIN = "train", _("Train")
        FLIGHT = "flight", _("Flight")
        BUS = "bus", _("Coach")
        OTHER = "other", _("Other")

    court_lookup = "request__case__court"

    request = models.ForeignKey(
        TravelRequest,
        verbose_name=_("travel request"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    traveller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traveller"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    reference = models.CharField(_("ticket or booking number"), max_length=60)
    travel_on = models.DateField(_("travel date"))
    price = models.DecimalField(
        _("price (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    bought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bought by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    bought_at = models.DateTimeField(_("bought at"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["travel_on", "pk"]

    def __str__(self) -> str:
        return self.reference


class Campaign(models.Model):
    """A special enforcement campaign (专项执行活动); its figures are computed, never typed."""

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    categories = ArrayField(
        models.CharField(max_length=20, choices=EnforcementCase.Category.choices),
        verbose_name=_("target categories"),
    )
    description = models.TextField(_("description"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

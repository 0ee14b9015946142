"""Case funds (执行案款): a double-entry ledger in integer fen, and the records around it.

The ledger follows TigerBeetle's rules. Money sits on *accounts*; it moves only by *transfers*,
each a set of *postings* (signed fen: positive debits, negative credits) that sum to zero.
Transfers and postings are append-only; corrections are reversing transfers. PostgreSQL enforces
all of it (see migration 0001): a deferred constraint trigger refuses an unbalanced transfer, a
trigger refuses UPDATE/DELETE of postings and transfers, another keeps each account's cached
totals, and a CHECK refuses any liability account whose posted credits fall below its posted
plus pending debits.

Two-phase movements (payouts): a *pending* transfer reserves the money (pending debit); a
*post* transfer naming it moves it; a *void* transfer naming it gives the reservation back.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.history import tracked_history
from courtexec.models import Court
from courtexec.roles import Role
from enforcement.models import CaseParty, EnforcementCase

FEN_PER_YUAN = 100


def yuan(fen: int) -> Decimal:
    """Fen as a yuan ``Decimal`` with two places (for display and the API)."""
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def body_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class CourtAccount(models.Model):
    """The court's dedicated enforcement bank account (执行款专户) and its virtual numbering."""

    court = models.OneToOneField(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="funds_account"
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    account_name = models.CharField(_("account name"), max_length=200, blank=True)
    account_number = models.CharField(_("account number"), max_length=34, blank=True)
    virtual_prefix = models.CharField(
        _("virtual account prefix"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{6,12}$", _("Use 6 to 12 digits."))],
        help_text=_("Digits the bank routes to this account; sub-account numbers start with it."),
    )
    last_serial = models.PositiveIntegerField(_("last serial issued"), default=0)
    history = tracked_history()

    class Meta:
        verbose_name = _("court enforcement account")
        verbose_name_plural = _("court enforcement accounts")

    def __str__(self) -> str:
        return f"{self.court} {self.bank_name} {self.account_number}".strip()


class Account(models.Model):
    """A ledger account. Only the bank account is an asset; every other kind is money owed."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Enforcement bank account")  # 执行款专户（资产）
        SUSPENSE = "suspense", _("Suspense (unattributed)")  # 暂收款（待认领）
        CASE = "case", _("Case sub-account")  # 案款虚拟子账户
        FEES = "fees", _("Litigation fees held")  # 诉讼费
        RELIEF = "relief", _("Judicial relief fund")  # 司法救助金
        ESCROW = "escrow", _("Escrow")  # 提存

    court_lookup = "court"

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_accounts",
    )
    payer = models.OneToOneField(
        CaseParty,
        verbose_name=_("payer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_account",
    )
    virtual_number = models.CharField(
        _("virtual account number"), max_length=34, unique=True, null=True, blank=True
    )
    # Cached totals in fen, kept by the posting trigger (never written by Python).
    debits_posted = models.BigIntegerField(default=0, editable=False)
    credits_posted = models.BigIntegerField(default=0, editable=False)
    debits_pending = models.BigIntegerField(default=0, editable=False)
    credits_pending = models.BigIntegerField(default=0, editable=False)
    # When money last arrived on an empty account: the idle-money clock (沉淀起算).
    funded_since = models.DateTimeField(_("holding money since"), null=True, editable=False)
    # When the next idle-money tier falls due; the daily scan reads only rows past it.
    next_alert_at = models.DateTimeField(null=True, editable=False)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["court", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "kind"],
                condition=~models.Q(kind="case"),
                name="one_court_account_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="case", case__isnull=False, payer__isnull=False)
                | (
                    ~models.Q(kind="case")
                    & models.Q(case__isnull=True, payer__isnull=True, virtual_number__isnull=True)
                ),
                name="case_account_has_case_and_payer",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    debits_posted__gte=0,
                    credits_posted__gte=0,
                    debits_pending__gte=0,
                    credits_pending__gte=0,
                ),
                name="account_totals_not_negative",
            ),
            # TigerBeetle's debits_must_not_exceed_credits, counting reservations.
            models.CheckConstraint(
                condition=models.Q(kind="bank")
                | models.Q(
                    credits_posted__gte=models.F("debits_posted") + models.F("debits_pending")
                ),
                name="owed_account_not_overdrawn",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_alert_at"],
                condition=models.Q(next_alert_at__isnull=False),
                name="account_idle_alert_due",
            ),
            models.Index(fields=["case", "kind"]),
        ]

    def __str__(self) -> str:
        if self.virtual_number:
            return self.virtual_number
        return f"{self.court.code} {self.get_kind_display()}"

    @property
    def balance(self) -> int:
        """Fen held (owed accounts) or in the bank (the bank account), posted only."""
        if self.kind == self.Kind.BANK:
            return self.debits_posted - self.credits_posted
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        """Fen that may still be promised: the balance less reservations."""
        return self.balance - self.debits_pending


class Transfer(models.Model):
    """One movement of money; append-only, its postings sum to zero."""

    class Code(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")  # 到账
        ASSIGNMENT = "assignment", _("Suspense assigned to a case")  # 暂收款认领
        PAYOUT = "payout", _("Payout")  # 发放
        RETURN = "return", _("Payout returned by the bank")  # 退汇
        FEE_PAYMENT = "fee_payment", _("Litigation fee paid")  # 诉讼费缴纳
        FEE_REFUND = "fee_refund", _("Litigation fee refund")  # 诉讼费退费
        RELIEF_ALLOCATION = "relief_allocation", _("Judicial relief allocated")  # 司法救助金拨付
        ESCROW = "escrow", _("Escrow")  # 提存
        REVERSAL = "reversal", _("Reversal")  # 冲正

    class Phase(models.TextChoices):
        POSTED = "posted", _("Posted")
        PENDING = "pending", _("Pending (reserved)")
        POST_PENDING = "post_pending", _("Posts a reservation")
        VOID_PENDING = "void_pending", _("Voids a reservation")

    court_lookup = "court"

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    code = models.CharField(_("reason code"), max_length=20, choices=Code.choices)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices)
    pending = models.OneToOneField(
        "self",
        verbose_name=_("reservation resolved"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolution",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
    )
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    phase__in=["post_pending", "void_pending"], pending__isnull=False
                )
                | (~models.Q(phase__in=["post_pending", "void_pending"]) & models.Q(pending=None)),
                name="resolution_names_its_reservation",
            ),
            models.CheckConstraint(
                condition=~models.Q(code="reversal") | ~models.Q(reverses=None),
                name="reversal_names_what_it_reverses",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_code_display()}"


class Posting(models.Model):
    """One leg of a transfer: signed fen on one account (+ debit, − credit). Append-only."""

    transfer = models.ForeignKey(
        Transfer, verbose_name=_("transfer"), on_delete=models.PROTECT, related_name="postings"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="postings"
    )
    amount = models.BigIntegerField(_("amount (fen)"))

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="posting_not_zero"),
            models.UniqueConstraint(fields=["transfer", "account"], name="one_leg_per_account"),
        ]
        indexes = [models.Index(fields=["account", "transfer"])]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount:+d}"


class Channel(models.Model):
    """Where money comes in: a bank's notice feed, Alipay, the cashier's counter."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank notices")  # 银行到账通知
        ALIPAY = "alipay", _("Alipay")  # 支付宝
        COUNTER = "counter", _("Counter (cash or card)")  # 柜台
        DEDUCTION = "deduction", _("Online deduction")  # 网络扣划

    court_lookup = "court"

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="fund_channels"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Named in the bank's requests.")
    )
    name = models.CharField(_("name"), max_length=100)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("Shared HMAC-SHA256 secret of a bank channel."),
    )
    app_id = models.CharField(_("Alipay app id"), max_length=40, blank=True)
    public_key = models.TextField(
        _("Alipay public key (PEM)"),
        blank=True,
        help_text=_("Verifies RSA2 notification signatures."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = tracked_history(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("payment channel")
        verbose_name_plural = _("payment channels")
        ordering = ["court", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["app_id"], condition=~models.Q(app_id=""), name="unique_alipay_app"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Deposit(models.Model):
    """Money that arrived, once per channel reference, on a case sub-account or in suspense."""

    class Status(models.TextChoices):
        CREDITED = "credited", _("Credited to a case")  # 已入案款子账户
        SUSPENSE = "suspense", _("Suspense")  # 暂收待认领
        ASSIGNED = "assigned", _("Assigned from suspense")  # 已认领

    court_lookup = "court"

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="deposits"
    )
    reference = models.CharField(_("bank reference"), max_length=64)
    body_digest = models.CharField(max_length=64, editable=False)
    virtual_account = models.CharField(_("virtual account given"), max_length=64, blank=True)
    amount = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    payer_name = models.CharField(_("payer name"), max_length=200, blank=True)
    payer_account = models.CharField(_("payer account"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("paid at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    suspense_reason = models.CharField(_("why in suspense"), max_length=200, blank=True)
    account = models.ForeignKey(
        Account,
        verbose_name=_("credited to"),
        on_delete=models.PROTECT,
        related_name="deposits",
    )
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
    )
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="deposit", editable=False
    )
    assignment_transfer = models.OneToOneField(
        Transfer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_deposit",
        editable=False,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    assignment_reason = models.TextField(_("reason for the assignment"), blank=True)
    # Counter receipts: the two officers who took and counted the money (双人经办).
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"], name="one_deposit_per_reference"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="credited") | models.Q(case__isnull=False),
                name="credited_deposit_has_case",
            ),
            models.CheckConstraint(
                condition=models.Q(received_by__isnull=True)
                | ~models.Q(received_by=models.F("witnessed_by")),
                name="counter_receipt_two_officers",
            ),
        ]
        indexes = [models.Index(fields=["court", "status", "received_at"])]
        permissions = [("assign_deposit", _("Can assign suspense money to a case"))]

    def __str__(self) -> str:
        return f"{self.channel.code}:{self.reference}"

    @property
    def amount_yuan(self) -> Decimal:
        return yuan(self.amount)


class LitigationFee(models.Model):
    """A litigation or execution fee paid on a case (诉讼费/申请执行费)."""

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="fees"
    )
    payer = models.ForeignKey(
        CaseParty, verbose_name=_("payer"), on_delete=models.PROTECT, related_name="fees_paid"
    )
    amount = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    paid_at = models.DateTimeField(_("paid at"), default=timezone.now)
    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True)
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="fee", editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("litigation fee")
        verbose_name_plural = _("litigation fees")
        ordering = ["-paid_at"]

    def __str__(self) -> str:
        return f"{self.receipt_number} ¥{yuan(self.amount)}"


class Payout(models.Model):
    """Money paid out of one account to one payee, through the approval chain (发放).

    draft → approved (reserved) → reviewed → submitting → submitted → paid | failed | returned;
    a draft or approved payout can be rejected. Sending happens at most once (see ``tasks``).
    """

    class Kind(models.TextChoices):
        APPLICANT = "applicant", _("To the applicant")  # 发放申请执行人
        FEE_REFUND = "fee_refund", _("Litigation fee refund")  # 诉讼费退费
        RELIEF = "relief", _("Judicial relief")  # 司法救助金

    class Status(models.TextChoices):
        DRAFT = "draft", _("Proposed")  # 承办人申请
        APPROVED = "approved", _("Approved (reserved)")  # 局长审批
        REVIEWED = "reviewed", _("Reviewed by finance")  # 财务复核
        SUBMITTING = "submitting", _("Sending to the bank")  # 提交中
        SUBMITTED = "submitted", _("With the bank")  # 银行处理中
        PAID = "paid", _("Paid")  # 已发放
        FAILED = "failed", _("Failed")  # 失败
        RETURNED = "returned", _("Returned by the bank")  # 退汇
        REJECTED = "rejected", _("Rejected")  # 退回

    OPEN = ("draft", "approved", "reviewed", "submitting", "submitted")
    # States a payout passes through, with the moment it entered each.
    STEP_FIELDS = {
        "draft": "created_at",
        "approved": "approved_at",
        "reviewed": "reviewed_at",
        "submitting": "submitting_at",
        "submitted": "submitted_at",
    }

    court_lookup = "court"

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.ForeignKey(
        Account, verbose_name=_("paid from"), on_delete=models.PROTECT, related_name="payouts"
    )
    fee = models.ForeignKey(
        LitigationFee,
        verbose_name=_("fee refunded"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
    )
    payee_name = models.CharField(_("payee"), max_length=200)
    payee_bank = models.CharField(_("payee bank"), max_length=100)
    payee_account = models.CharField(_("payee account number"), max_length=34)
    payee_phone = models.CharField(_("payee phone"), max_length=20, blank=True)
    amount = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    request_digest = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    submitting_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("accepted by the bank at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    failure_reason = models.CharField(_("failure or rejection reason"), max_length=300, blank=True)
    reservation = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    return_transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A fee is refunded once: only a failed or rejected refund lets another be made.
            models.UniqueConstraint(
                fields=["fee"],
                condition=models.Q(fee__isnull=False)
                & ~models.Q(status__in=["failed", "rejected"]),
                name="fee_refunded_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="fee_refund") | models.Q(fee__isnull=False),
                name="fee_refund_names_its_fee",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("proposed_by")),
                name="payout_not_approved_by_proposer",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status"]),
            models.Index(
                fields=["submitting_at"],
                condition=models.Q(status="submitting"),
                name="payout_submitting",
            ),
        ]
        permissions = [
            ("approve_payout", _("Can approve payouts (局长审批)")),
            ("review_payout", _("Can review payouts for the bank (财务复核)")),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.payee_name} ¥{yuan(self.amount)}"

    @property
    def amount_yuan(self) -> Decimal:
        return yuan(self.amount)

    @property
    def entered_state_at(self):
        field = self.STEP_FIELDS.get(self.status)
        return getattr(self, field) if field else None


class PayoutDispatch(models.Model):
    """Outbox row: written with the finance review, picked up by the relay that sends payouts.

    A broker outage loses nothing: the row waits in the database until a relay run sees it.
    """

    payout = models.OneToOneField(Payout, on_delete=models.PROTECT, related_name="dispatch")
    due_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(sent_at=None), name="dispatch_due")
        ]

    def __str__(self) -> str:
        return f"dispatch {self.payout_id}"


class Hold(models.Model):
    """A deferral (暂缓发放) or an escrow (提存) of a case sub-account's money, with reason."""

    class Kind(models.TextChoices):
        DEFERRAL = "deferral", _("Deferral")  # 暂缓发放
        ESCROW = "escrow", _("Escrow")  # 提存

    class Reason(models.TextChoices):
        SEVERAL_CREDITORS = "several_creditors", _("Distribution among several creditors")
        FROZEN_ELSEWHERE = "frozen_elsewhere", _("Funds frozen in another case")
        PAYEE_NOT_COLLECTING = "payee_not_collecting", _("Payee not collecting")
        CASE_STAYED = "case_stayed", _("Case stayed")
        PAYEE_REFUSES = "payee_refuses", _("Payee refuses the money")
        PAYEE_MISSING = "payee_missing", _("Payee cannot be found")
        PAYEE_DIED = "payee_died", _("Payee has died")

    DEFERRAL_REASONS = (
        "several_creditors",
        "frozen_elsewhere",
        "payee_not_collecting",
        "case_stayed",
    )
    ESCROW_REASONS = ("payee_refuses", "payee_missing", "payee_died")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    court_lookup = "account__court"

    account = models.ForeignKey(
        Account, verbose_name=_("sub-account"), on_delete=models.PROTECT, related_name="holds"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    details = models.TextField(_("details"))
    until = models.DateField(_("deferred until"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (fen)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("deferral or escrow")
        verbose_name_plural = _("deferrals and escrows")
        ordering = ["-requested_at"]
        permissions = [("decide_hold", _("Can decide deferrals and escrows"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.account}"


class IdleTier(models.Model):
    """A tier of the idle-money warning (款项沉淀分级预警): days held and who is told."""

    days = models.PositiveSmallIntegerField(_("days held"), unique=True)
    label = models.CharField(_("label"), max_length=50)
    colour = models.CharField(
        _("colour"),
        max_length=10,
        default="warning",
        choices=[
            ("info", _("Blue")),
            ("warning", _("Yellow")),
            ("orange", _("Orange")),
            ("danger", _("Red")),
        ],
    )
    notify_roles = ArrayField(
        models.CharField(max_length=40, choices=Role.choices),
        verbose_name=_("notify roles"),
        blank=True,
        help_text=_("Staff of the court in these roles are told, besides the case judge."),
    )
    notify_judge = models.BooleanField(_("notify the case judge"), default=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("idle-money tier")
        verbose_name_plural = _("idle-money tiers")
        ordering = ["days"]

    def __str__(self) -> str:
        return f"{self.label} ({self.days})"


class FundsAlert(models.Model):
    """An idle-money tier reached, or a payout step past its time limit (黄灯).

    Each is raised once per episode (the account's ``funded_since``; the payout's state) and
    cleared when the money is paid out or the payout moves on.
    """

    class Kind(models.TextChoices):
        IDLE = "idle", _("Idle money")  # 款项沉淀
        STEP = "step", _("Payout step overdue")  # 发放环节超时

    court_lookup = "account__court"

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="alerts"
    )
    tier = models.ForeignKey(
        IdleTier, verbose_name=_("tier"), on_delete=models.PROTECT, null=True, blank=True
    )
    episode_start = models.DateTimeField(_("holding since"), null=True, blank=True)
    payout = models.ForeignKey(
        Payout,
        verbose_name=_("payout"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    payout_status = models.CharField(_("payout step"), max_length=12, blank=True)
    amount = models.BigIntegerField(_("amount when raised (fen)"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("funds alert")
        verbose_name_plural = _("funds alerts")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "tier", "episode_start"],
                condition=models.Q(kind="idle"),
                name="idle_tier_once_per_episode",
            ),
            models.UniqueConstraint(
                fields=["payout", "payout_status"],
                condition=models.Q(kind="step"),
                name="step_alert_once_per_state",
            ),
        ]
        indexes = [
            models.Index(
                fields=["account"], condition=models.Q(cleared_at=None), name="open_funds_alerts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.account}"


class StatementImport(models.Model):
    """A daily bank statement (CSV) checked against the deposits on record."""

    court_lookup = "channel__court"

    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT)
    file_name = models.CharField(_("file"), max_length=200)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT
    )
    lines = models.PositiveIntegerField(_("lines"), default=0)
    matched = models.PositiveIntegerField(_("already on record"), default=0)
    posted = models.PositiveIntegerField(_("missing deposits posted"), default=0)
    mismatches = models.JSONField(_("mismatches"), default=list)

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name


class SandboxBankInstruction(models.Model):
    """What the sandbox bank received: one row per payment key, with every call counted.

    Stands in for the bank's own books in demo and tests: the exactly-once tests read it.
    """

    key = models.CharField(max_length=100, unique=True)
    payee_account = models.CharField(max_length=34)
    payee_name = models.CharField(max_length=200)
    amount = models.BigIntegerField()
    memo = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=10)
    reference = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    calls = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("sandbox bank instruction")
        verbose_name_plural = _("sandbox bank instructions")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.key

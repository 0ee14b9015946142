"""Serializers of the case-funds API.

Amounts go in and out as strings of yuan with two decimals ("1234.56"); the models keep integer
fen. :class:`YuanField` converts with ``services.parse_yuan`` (so a float, a third decimal or a
huge exponent is a 400, never a rounding) and ``models.yuan``. As in the enforcement API, these
serializers only check a request's shape and are never saved: the services write.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casefunds import services
from casefunds.models import (
    Account,
    Channel,
    Deposit,
    FundsAlert,
    Hold,
    IdleTier,
    LitigationFee,
    Payout,
    Posting,
    StatementImport,
    Transfer,
    yuan,
)
from courtexec.visibility import restrict
from enforcement.api.serializers import VisiblePrimaryKeyField, case_field, staff_field
from enforcement.models import CaseParty

YUAN_SCHEMA = {
    "type": "string",
    "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$",
    "example": "1234.56",
    "description": "Yuan as a string with at most two decimals (元，精确到分).",
}


@extend_schema_field(YUAN_SCHEMA)
class YuanField(serializers.Field):
    """Fen inside, a yuan string outside. Only strings are accepted: a JSON number may
    already have lost its fen in the client's floating point."""

    default_error_messages = {"type": _('Give the amount as a string of yuan, e.g. "1234.56".')}

    def to_internal_value(self, data) -> int:
        if not isinstance(data, str):
            self.fail("type")
        try:
            return services.parse_yuan(data, self.field_name or "amount")
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                [m for messages in exc.message_dict.values() for m in messages]
            ) from None

    def to_representation(self, value: int) -> str:
        return str(yuan(value))


def visible(model, **filters):
    """A ``VisiblePrimaryKeyField`` over ``model`` records of the user's courts (and filters)."""
    return lambda **kwargs: VisiblePrimaryKeyField(
        queryset=model.objects.filter(**filters),
        visible=lambda user: restrict(model.objects.filter(**filters), user),
        **kwargs,
    )


sub_account_field = visible(Account, kind=Account.Kind.CASE)
account_field = visible(Account)
channel_field = visible(Channel, is_active=True)
case_party_field = visible(CaseParty)


# --- Accounts ---------------------------------------------------------------------------------


class AccountSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    payer_name = serializers.CharField(source="payer.party.name", read_only=True, default=None)
    balance = YuanField(read_only=True, help_text=_("Posted money held."))
    available = YuanField(read_only=True, help_text=_("Balance less money reserved for payouts."))
    pending = YuanField(
        source="debits_pending", read_only=True, help_text=_("Reserved by approved payouts.")
    )

    class Meta:
        model = Account
        fields = [
            "id",
            "kind",
            "kind_display",
            "court",
            "case",
            "case_number",
            "payer",
            "payer_name",
            "virtual_number",
            "balance",
            "available",
            "pending",
            "funded_since",
            "opened_at",
        ]
        read_only_fields = fields


class StatementLineSerializer(serializers.Serializer):
    """One posting of an account's statement (对账单), newest first."""

    transfer = serializers.IntegerField(source="transfer_id")
    at = serializers.DateTimeField(source="transfer.created_at")
    code = serializers.CharField(source="transfer.code")
    phase = serializers.CharField(source="transfer.phase")
    memo = serializers.CharField(source="transfer.memo")
    amount = serializers.SerializerMethodField(
        help_text=_("Yuan in (positive) or out (negative) of what the account holds.")
    )
    running_balance = serializers.SerializerMethodField(
        help_text=_("Posted balance after this line; a reservation does not change it.")
    )

    def get_amount(self, posting) -> str:
        return str(yuan(posting.effect))

    def get_running_balance(self, posting) -> str:
        return str(yuan(posting.running_balance))


# --- Deposits ---------------------------------------------------------------------------------


class DepositSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    channel_code = serializers.CharField(source="channel.code", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    amount = YuanField(read_only=True)
    overdue = serializers.SerializerMethodField(
        help_text=_("In suspense for longer than FUNDS_SUSPENSE_MAX_DAYS days.")
    )

    class Meta:
        model = Deposit
        fields = [
            "id",
            "reference",
            "channel",
            "channel_code",
            "status",
            "status_display",
            "amount",
            "virtual_account",
            "case",
            "case_number",
            "account",
            "payer_name",
            "payer_account",
            "paid_at",
            "received_at",
            "suspense_reason",
            "overdue",
            "assigned_by",
            "assigned_at",
            "assignment_reason",
            "received_by",
            "witnessed_by",
        ]
        read_only_fields = fields

    def get_overdue(self, deposit: Deposit) -> bool:
        limit = timezone.now() - dt.timedelta(days=settings.FUNDS_SUSPENSE_MAX_DAYS)
        return deposit.status == Deposit.Status.SUSPENSE and deposit.received_at < limit


@extend_schema_field({"type": "string", "enum": ["credited", "suspense"]})
class NoticeStatusField(serializers.CharField):
    """A notice's deposit is credited or in suspense (an inline enum: the choice set is named
    once, on ``Deposit``)."""


class BankReceiptSerializer(DepositSerializer):
    """What the bank is told about its notice: no staff ids, no account ids."""

    status = NoticeStatusField(read_only=True)

    class Meta(DepositSerializer.Meta):
        fields = [
            "id",
            "reference",
            "status",
            "amount",
            "virtual_account",
            "case",
            "case_number",
            "suspense_reason",
            "received_at",
        ]
        read_only_fields = fields


class BankNoticeSerializer(serializers.Serializer):
    """The bank's notice (documentation only: the view checks the signature of the raw body,
    then ``services.parse_notice`` checks the fields)."""

    bank_reference = serializers.CharField(max_length=64)
    virtual_account = serializers.CharField(max_length=64, allow_blank=True)
    amount = YuanField()
    payer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    payer_account = serializers.CharField(max_length=64, required=False, allow_blank=True)
    paid_at = serializers.DateTimeField(help_text=_("ISO 8601 with its offset."))


class AlipayNotifySerializer(serializers.Serializer):
    """Alipay's asynchronous notification (documentation only; form-encoded)."""

    app_id = serializers.CharField()
    trade_no = serializers.CharField()
    out_trade_no = serializers.CharField(help_text=_("<virtual account>-<suffix>"))
    trade_status = serializers.CharField()
    total_amount = serializers.CharField()
    buyer_logon_id = serializers.CharField(required=False)
    gmt_payment = serializers.CharField(
        required=False, help_text=_("YYYY-MM-DD HH:MM:SS, Asia/Shanghai")
    )
    notify_id = serializers.CharField(required=False)
    sign_type = serializers.CharField()
    sign = serializers.CharField()


class AssignDepositSerializer(serializers.Serializer):
    case_account = sub_account_field()
    reason = serializers.CharField(max_length=2000)


class CounterReceiptSerializer(serializers.Serializer):
    channel = channel_field()
    case_account = sub_account_field()
    amount = YuanField()
    payer_name = serializers.CharField(max_length=200)
    second_officer = staff_field(help_text=_("The second finance officer who counted (双人经办)."))


# --- Payouts ----------------------------------------------------------------------------------


class PayoutSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    amount = YuanField(read_only=True)

    class Meta:
        model = Payout
        fields = [
            "id",
            "case",
            "case_number",
            "kind",
            "kind_display",
            "source",
            "fee",
            "amount",
            "payee_name",
            "payee_bank",
            "payee_account",
            "purpose",
            "status",
            "status_display",
            "proposed_by",
            "created_at",
            "approved_by",
            "approved_at",
            "reviewed_by",
            "reviewed_at",
            "submitted_at",
            "finished_at",
            "bank_reference",
            "failure_reason",
        ]
        read_only_fields = fields


class ProposePayoutSerializer(serializers.Serializer):
    case = case_field()
    kind = serializers.ChoiceField(
        choices=[Payout.Kind.APPLICANT, Payout.Kind.RELIEF],
        help_text=_("Fee refunds are declared on the fee (fees/{id}/refund/)."),
    )
    amount = YuanField()
    payee_party = case_party_field(help_text=_("The applicant (case party id) to pay."))
    source = sub_account_field(
        required=False, allow_null=True, help_text=_("The case sub-account (not for relief).")
    )
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CaseOnlySerializer(serializers.Serializer):
    case = case_field()


# --- Fees, holds ------------------------------------------------------------------------------


class FeeSerializer(serializers.ModelSerializer):
    case_party = case_party_field(source="payer", write_only=True)
    payer_name = serializers.CharField(source="payer.party.name", read_only=True)
    amount = YuanField()

    class Meta:
        model = LitigationFee
        fields = [
            "id",
            "case",
            "case_party",
            "payer",
            "payer_name",
            "amount",
            "receipt_number",
            "paid_at",
            "recorded_by",
        ]
        read_only_fields = ["id", "case", "payer", "paid_at", "recorded_by"]
        extra_kwargs = {"receipt_number": {"validators": []}}  # the service says "recorded"


class FeeRefundSerializer(serializers.Serializer):
    amount = YuanField()
    payee_name = serializers.CharField(max_length=200)
    payee_bank = serializers.CharField(max_length=100)
    payee_account = serializers.CharField(max_length=34)
    reason = serializers.CharField(max_length=200)


class HoldSerializer(serializers.ModelSerializer):
    account = sub_account_field()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    amount = YuanField(required=False, allow_null=True, help_text=_("Escrow only."))

    class Meta:
        model = Hold
        fields = [
            "id",
            "account",
            "kind",
            "kind_display",
            "reason",
            "reason_display",
            "details",
            "until",
            "amount",
            "status",
            "status_display",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ]
        extra_kwargs = {"until": {"help_text": _("Deferral only: the day it ends.")}}


class DecideHoldSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


# --- Alerts, tiers, statements ----------------------------------------------------------------


class IdleTierSerializer(serializers.ModelSerializer):
    class Meta:
        model = IdleTier
        fields = ["id", "days", "label", "colour", "notify_roles", "notify_judge"]
        read_only_fields = fields


class FundsAlertSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    case = serializers.IntegerField(source="account.case_id", read_only=True, allow_null=True)
    amount = YuanField(read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = FundsAlert
        fields = [
            "id",
            "kind",
            "kind_display",
            "account",
            "case",
            "tier",
            "episode_start",
            "payout",
            "payout_status",
            "amount",
            "raised_at",
            "cleared_at",
            "is_open",
        ]
        read_only_fields = fields

    def get_is_open(self, alert: FundsAlert) -> bool:
        return alert.cleared_at is None


class ScanResultSerializer(serializers.Serializer):
    raised = serializers.IntegerField()
    cleared = serializers.IntegerField()
    step_raised = serializers.IntegerField()
    step_cleared = serializers.IntegerField()


class StatementImportSerializer(serializers.ModelSerializer):
    channel = channel_field()
    file = serializers.FileField(write_only=True, allow_empty_file=False)

    class Meta:
        model = StatementImport
        fields = [
            "id",
            "channel",
            "file",
            "file_name",
            "imported_at",
            "imported_by",
            "lines",
            "matched",
            "posted",
            "mismatches",
        ]
        read_only_fields = [
            "id",
            "file_name",
            "imported_at",
            "imported_by",
            "lines",
            "matched",
            "posted",
            "mismatches",
        ]


# --- Ledger transfers -------------------------------------------------------------------------

SIGNED_YUAN_SCHEMA = {
    **YUAN_SCHEMA,
    "pattern": r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$",
    "example": "-1234.56",
    "description": "Signed yuan as a string: + debit, − credit (借正贷负).",
}


@extend_schema_field(SIGNED_YUAN_SCHEMA)
class SignedYuanField(YuanField):
    """A posting's signed fen as yuan (read only)."""


class PostingSerializer(serializers.ModelSerializer):
    account_kind = serializers.CharField(source="account.kind", read_only=True)
    virtual_number = serializers.CharField(
        source="account.virtual_number", read_only=True, allow_null=True
    )
    amount = SignedYuanField(read_only=True)

    class Meta:
        model = Posting
        fields = ["account", "account_kind", "virtual_number", "amount"]
        read_only_fields = fields


class TransferSerializer(serializers.ModelSerializer):
    """A ledger transfer with its postings (they sum to zero) and the reversal correcting it."""

    code_display = serializers.CharField(source="get_code_display", read_only=True)
    phase_display = serializers.CharField(source="get_phase_display", read_only=True)
    postings = PostingSerializer(many=True, read_only=True)
    reversed_by = serializers.SerializerMethodField(
        help_text=_("The reversing transfer (冲正) that corrects this one, if any.")
    )

    class Meta:
        model = Transfer
        fields = [
            "id",
            "court",
            "code",
            "code_display",
            "phase",
            "phase_display",
            "memo",
            "created_at",
            "created_by",
            "pending",
            "reverses",
            "reversed_by",
            "postings",
        ]
        read_only_fields = fields

    def get_reversed_by(self, transfer: Transfer) -> int | None:
        reversal = getattr(transfer, "reversal", None)  # selected or prefetched: no query
        return reversal.pk if reversal is not None else None


class ReliefSerializer(serializers.Serializer):
    amount = YuanField()
    memo = serializers.CharField(
        max_length=500, help_text=_("The relief decision's number and whom it is for.")
    )


# --- Reports ----------------------------------------------------------------------------------


class IdleTierRowSerializer(serializers.Serializer):
    tier = serializers.IntegerField(source="tier.pk")
    days = serializers.IntegerField(source="tier.days")
    label = serializers.CharField(source="tier.label")
    colour = serializers.CharField(source="tier.colour")
    accounts = serializers.IntegerField(
        help_text=_("Case sub-accounts whose highest open idle alert is this tier.")
    )
    amount = YuanField(help_text=_("The money those sub-accounts hold now."))


class AgeBucketSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    accounts = serializers.IntegerField()
    amount = YuanField()


class IdleBoardSerializer(serializers.Serializer):
    """The idle-money board (款项沉淀): the same figures as the board page."""

    tiers = IdleTierRowSerializer(many=True)
    ages = AgeBucketSerializer(
        many=True, help_text=_("Sub-accounts holding money, by how long they have held it.")
    )
    open_alerts = serializers.IntegerField()
    held_total = YuanField()


class JournalSerializer(serializers.Serializer):
    """The day's transfers (court time) and the money into and out of the bank account."""

    day = serializers.DateField()
    money_in = YuanField(help_text=_("Posted into the court's bank account."))
    money_out = YuanField(help_text=_("Posted out of the court's bank account."))
    transfers = TransferSerializer(many=True)


FIRST_DAY = dt.date(1900, 1, 1)


class JournalQuerySerializer(serializers.Serializer):
    day = serializers.DateField(
        required=False, help_text=_("YYYY-MM-DD, Asia/Shanghai; today when left out.")
    )

    def validate_day(self, day: dt.date) -> dt.date:
        if not FIRST_DAY <= day < dt.date.max:
            raise serializers.ValidationError(_("Give a day from 1900-01-01 on."))
        return day


class TimingBucketSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class TimingSerializer(serializers.Serializer):
    """Days from arrival to payout of paid applicant payouts finished since ``since``."""

    since = serializers.DateTimeField()
    count = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True, help_text=_("Days."))
    p90 = serializers.FloatField(allow_null=True, help_text=_("Days."))
    within_30 = serializers.FloatField(
        allow_null=True, help_text=_("Share (0 to 1) paid within 30 days of arrival.")
    )
    buckets = TimingBucketSerializer(many=True)

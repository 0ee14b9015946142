"""Admin for case funds: a window on the ledger, never a way round it.

* The ledger and its records (accounts, transfers, postings, deposits, payouts, fees, alerts,
  statement imports) are read-only: money moves only through ``casefunds.services``.
* Decisions allowed here are actions that call the services (approve payouts, decide
  deferrals and escrows, run the idle-money scan); a refusal is a message, not an error.
* Configuration is editable: payment channels (the signing secret is write-only and shown
  masked), the court's enforcement account (its virtual prefix is fixed once numbers have been
  issued) and the idle-money tiers (saving one re-times every holding account's next alert).
* Every list is narrowed to the courts the user may see, as in the rest of CourtExec.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casefunds import services
from casefunds.models import (
    Account,
    Channel,
    CourtAccount,
    Deposit,
    FundsAlert,
    Hold,
    IdleTier,
    LitigationFee,
    Payout,
    PayoutDispatch,
    Posting,
    SandboxBankInstruction,
    StatementImport,
    Transfer,
    yuan,
)
from courtexec.visibility import visible_court_ids
from enforcement.admin import EnforcementAdmin, RelatedOnly, UntrackedAdmin, _run_service

MASK = "••••••••"


def _money(fen: int | None) -> str:
    return "" if fen is None else f"{yuan(fen):,}"


class ScanIdleMoneyMixin:
    """The daily idle-money scan (services.scan_idle_money), run now from admin."""

    def has_scan_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_superuser
            or user.has_perm("casefunds.approve_payout")
            or user.has_perm("casefunds.review_payout")
        )

    @admin.action(description=_("Run the idle-money scan now"), permissions=["scan"])
    def run_idle_scan(self, request, queryset) -> None:
        result = services.scan_idle_money()
        self.message_user(
            request,
            gettext("Idle scan: %(raised)d raised, %(cleared)d cleared, %(step)d steps overdue.")
            % {"raised": result.raised, "cleared": result.cleared, "step": result.step_raised},
            messages.SUCCESS,
        )


class LedgerAdmin(UntrackedAdmin):
    """Append-only ledger rows: to look at, never to add, change or delete."""

    view_only = True


class ThroughCourtAdmin(LedgerAdmin):
    """Rows reaching their court through another record (``court_path``)."""

    court_path = ""

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        ids = visible_court_ids(request.user)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.court_path}__in": ids})


# --- Configuration -------------------------------------------------------------------------------


@admin.register(CourtAccount)
class CourtAccountAdmin(EnforcementAdmin):
    list_display = ["court", "bank_name", "account_name", "account_number", "virtual_prefix",
                    "last_serial"]  # fmt: skip
    search_fields = ["court__name", "court__code", "account_number", "virtual_prefix"]
    list_select_related = ["court"]
    editable_fields = ("bank_name", "account_name", "account_number", "virtual_prefix")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.last_serial > 0 and "virtual_prefix" not in readonly:
            readonly.append("virtual_prefix")  # numbers already issued carry it
        return readonly


class ChannelForm(forms.ModelForm):
    """The signing secret is write-only: never shown, kept unless a new one is typed."""

    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current secret."),
    )

    class Meta:
        model = Channel
        fields = ["court", "kind", "code", "name", "secret", "app_id", "public_key", "is_active"]

    def clean_secret(self):
        value = self.cleaned_data.get("secret") or ""
        if not value and self.instance.pk:
            return Channel.objects.values_list("secret", flat=True).get(pk=self.instance.pk)
        return value


@admin.register(Channel)
class ChannelAdmin(EnforcementAdmin):
    form = ChannelForm
    list_display = ["name", "code", "kind", "court", "masked_secret", "is_active"]
    list_filter = ["kind", "is_active", ("court", RelatedOnly)]
    search_fields = ["name", "code", "app_id"]
    list_select_related = ["court"]
    fields = ["court", "kind", "code", "name", "secret", "app_id", "public_key", "is_active"]

    @admin.display(description=_("signing secret"))
    def masked_secret(self, obj: Channel) -> str:
        return MASK if obj.secret else "—"

    def has_add_permission(self, request, obj=None) -> bool:
        return admin.ModelAdmin.has_add_permission(self, request)

    def get_readonly_fields(self, request, obj=None):
        return ["court", "code"] if obj is not None else []


@admin.register(IdleTier)
class IdleTierAdmin(SimpleHistoryAdmin):
    """The tiers are the same for every court; saving one re-times the pending alerts."""

    list_display = ["days", "label", "colour", "notify_roles", "notify_judge"]
    ordering = ["days"]

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # alerts raised at a tier keep pointing at it

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        count = services.retime_idle_alerts()
        self.message_user(
            request,
            ngettext("%d holding account re-timed.", "%d holding accounts re-timed.", count)
            % count,
            messages.INFO,
        )


# --- The ledger ---------------------------------------------------------------------------------


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ["account", "amount_yuan"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("amount (yuan, + debit / − credit)"))
    def amount_yuan(self, obj: Posting) -> str:
        return _money(obj.amount)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account__court")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(LedgerAdmin):
    list_display = ["__str__", "kind", "court", "case", "balance_yuan", "available_yuan",
                    "funded_since"]  # fmt: skip
    list_filter = ["kind", ("court", RelatedOnly)]
    search_fields = ["virtual_number", "case__number", "payer__party__name"]
    list_select_related = ["court", "case"]
    extra_readonly = ("balance_yuan", "available_yuan")

    @admin.display(description=_("balance (yuan)"))
    def balance_yuan(self, obj: Account) -> str:
        return _money(obj.balance)

    @admin.display(description=_("not yet promised (yuan)"))
    def available_yuan(self, obj: Account) -> str:
        return _money(obj.available)


@admin.register(Transfer)
class TransferAdmin(LedgerAdmin):
    list_display = ["pk", "code", "phase", "court", "memo", "created_at", "created_by"]
    list_filter = ["code", "phase", ("court", RelatedOnly)]
    search_fields = ["memo"]
    date_hierarchy = "created_at"
    list_select_related = ["court", "created_by"]
    inlines = [PostingInline]


@admin.register(Posting)
class PostingAdmin(ThroughCourtAdmin):
    court_path = "transfer__court_id"
    list_display = ["transfer", "account", "amount"]
    list_select_related = ["transfer", "account__court"]
    search_fields = ["account__virtual_number"]


@admin.register(Deposit)
class DepositAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["reference", "channel", "amount_yuan", "payer_name", "status", "case",
                    "received_at"]  # fmt: skip
    list_filter = ["status", ("channel", RelatedOnly), ("court", RelatedOnly)]
    search_fields = ["reference", "payer_name", "virtual_account", "case__number"]
    date_hierarchy = "received_at"
    list_select_related = ["channel", "case"]
    extra_readonly = ("amount_yuan",)

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def amount_yuan(self, obj: Deposit) -> str:
        return _money(obj.amount)


@admin.register(LitigationFee)
class LitigationFeeAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["receipt_number", "case", "payer", "amount", "paid_at", "recorded_by"]
    search_fields = ["receipt_number", "case__number"]
    list_select_related = ["case", "payer__party", "recorded_by"]


@admin.register(Payout)
class PayoutAdmin(ScanIdleMoneyMixin, EnforcementAdmin):
    view_only = True
    list_display = ["case", "payee_name", "amount_yuan", "kind", "status", "created_at",
                    "proposed_by", "approved_by", "reviewed_by"]  # fmt: skip
    list_filter = ["status", "kind", ("court", RelatedOnly)]
    search_fields = ["case__number", "payee_name", "payee_account", "idempotency_key"]
    date_hierarchy = "created_at"
    list_select_related = ["case", "proposed_by", "approved_by", "reviewed_by"]
    actions = ["approve"]
    extra_readonly = ("amount_yuan",)

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def amount_yuan(self, obj: Payout) -> str:
        return _money(obj.amount)

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("casefunds.approve_payout")

    @admin.action(description=_("Approve the selected payouts (bureau chief)"),
                  permissions=["approve"])  # fmt: skip
    def approve(self, request, queryset) -> None:
        def call(payout):
            try:
                return services.approve_payout(payout=payout, user=request.user)
            except services.Conflict as exc:
                raise PermissionDenied(exc.message) from exc

        _run_service(
            self,
            request,
            queryset.select_related("case", "source"),
            call,
            lambda n: ngettext("%d payout approved.", "%d payouts approved.", n) % n,
        )


@admin.register(PayoutDispatch)
class PayoutDispatchAdmin(ThroughCourtAdmin):
    court_path = "payout__court_id"
    list_display = ["payout", "due_at", "sent_at"]
    list_select_related = ["payout__case"]


@admin.register(Hold)
class HoldAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["account", "kind", "reason", "status", "until", "amount", "requested_by",
                    "requested_at", "decided_by"]  # fmt: skip
    list_filter = ["kind", "status", "reason"]
    search_fields = ["account__virtual_number", "account__case__number", "details"]
    list_select_related = ["account", "requested_by", "decided_by"]
    actions = ["approve", "refuse"]

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("casefunds.decide_hold")

    def _decide(self, request, queryset, approve: bool) -> None:
        def call(hold):
            try:
                return services.decide_hold(hold=hold, approve=approve, user=request.user)
            except services.Conflict as exc:
                raise PermissionDenied(exc.message) from exc

        _run_service(
            self,
            request,
            queryset.select_related("account__court"),
            call,
            lambda n: ngettext("%d request decided.", "%d requests decided.", n) % n,
        )

    @admin.action(description=_("Approve the selected requests (bureau chief)"),
                  permissions=["decide"])  # fmt: skip
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Refuse the selected requests (bureau chief)"),
                  permissions=["decide"])  # fmt: skip
    def refuse(self, request, queryset) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(FundsAlert)
class FundsAlertAdmin(ScanIdleMoneyMixin, LedgerAdmin):
    list_display = ["kind", "account", "tier", "payout_status", "amount", "raised_at",
                    "cleared_at"]  # fmt: skip
    list_filter = ["kind", "tier", ("cleared_at", admin.EmptyFieldListFilter)]
    search_fields = ["account__virtual_number", "account__case__number"]
    date_hierarchy = "raised_at"
    list_select_related = ["account", "tier"]
    actions = ["run_idle_scan"]


@admin.register(StatementImport)
class StatementImportAdmin(LedgerAdmin):
    list_display = ["file_name", "channel", "imported_at", "imported_by", "lines", "matched",
                    "posted"]  # fmt: skip
    list_filter = [("channel", RelatedOnly)]
    search_fields = ["file_name"]
    list_select_related = ["channel", "imported_by"]


@admin.register(SandboxBankInstruction)
class SandboxBankInstructionAdmin(admin.ModelAdmin):
    """The sandbox bank's own book (demo and tests): every court's, for administrators."""

    list_display = ["key", "payee_name", "amount", "outcome", "calls", "received_at"]
    search_fields = ["key", "payee_name", "reference"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if visible_court_ids(request.user) is None else queryset.none()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

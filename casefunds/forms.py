"""Forms of the case-funds pages: the shape of the input only; the rules are the services'.

Money is typed in yuan and handed to the services in fen (:class:`YuanField`); a service's
``ValidationError`` is put back beside its field with ``enforcement.forms.apply_service_errors``.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from casefunds import selectors, services, virtual_accounts
from casefunds.models import Account, Channel, Hold
from courtexec.models import User
from courtexec.roles import Role
from enforcement.forms import BootstrapForm, DateInput, court_staff
from enforcement.models import CaseParty


class YuanField(forms.CharField):
    """An amount in yuan (at most two decimals), cleaned to integer fen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Amount (yuan)"))
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "20"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return services.parse_yuan(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["amount"]) from None


def sub_account_label(account: Account) -> str:
    payer = account.payer.party.name if account.payer_id else ""
    return f"{virtual_accounts.grouped(account.virtual_number or '')} {payer}".strip()


class SubAccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Account) -> str:
        return sub_account_label(obj)


class ApplicantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CaseParty) -> str:
        return f"{obj.party.name} · {obj.payee_bank} {obj.payee_account_number}"


class AccountChooserInput(forms.TextInput):
    """A typed virtual number or case number, with search-as-you-type suggestions (htmx).

    Typing asks ``casefunds:account-search`` for matching sub-accounts of the user's court; the
    list appears below the field and a click fills it (``static/js/account_chooser.js``).
    Without JavaScript the typed text is posted as before."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        field_id = widget_attrs.get("id") or f"id_{name}"
        widget_attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("casefunds:account-search") + f"?field={name}",
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": f"#{field_id}-choices",
                "hx-sync": "this:replace",
                "aria-controls": f"{field_id}-choices",
                "data-account-chooser": "",
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        field_id = (attrs or {}).get("id") or f"id_{name}"
        return html + format_html(
            '<div class="list-group account-choices mt-1" id="{}-choices" aria-live="polite" '
            'data-fills="{}"></div>',
            field_id,
            field_id,
        )


def chooser_field() -> forms.CharField:
    return forms.CharField(
        label=_("Virtual account or case number"),
        max_length=64,
        help_text=_("Type digits of the virtual number, a case number or the payer's name."),
        widget=AccountChooserInput(),
    )


def find_case_account(user, text: str) -> Account:
    """A case sub-account the user may see, by virtual number (spaces allowed) or case number.

    A case number matches when the case has exactly one sub-account; otherwise the person is
    asked for the virtual number."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Give a virtual account number or a case number."))
    accounts = selectors.visible_case_accounts(user)
    number = virtual_accounts.clean(text)
    if number.isdigit():
        found = accounts.filter(virtual_number=number).first()
        if found is not None:
            return found
    matches = list(accounts.filter(case__number=text)[:2])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValidationError(
            _("Case %(number)s has several sub-accounts: give the virtual account number.")
            % {"number": text}
        )
    raise ValidationError(_("No sub-account of your court has this number."))


class PayoutForm(BootstrapForm):
    """The judge proposes a payout to an applicant (承办人申请); the key makes a resubmission
    (double click, reload) answer the first proposal instead of making a second."""

    prefix = "payout"
    service_fields = {"payee_party": "payee_party", "source": "source"}

    source = SubAccountChoiceField(label=_("Paid from"), queryset=Account.objects.none())
    payee_party = ApplicantChoiceField(label=_("Payee"), queryset=CaseParty.objects.none())
    amount = YuanField()
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def setup(self) -> None:
        self.fields["source"].queryset = Account.objects.filter(
            case=self.case, kind=Account.Kind.CASE
        ).select_related("payer__party")
        applicants = (
            CaseParty.objects.filter(case=self.case, role=CaseParty.Role.APPLICANT)
            .exclude(payee_account_number="")
            .select_related("party")
        )
        self.fields["payee_party"].queryset = applicants
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class HoldForm(BootstrapForm):
    """Ask to defer a payout or to escrow the money; the bureau chief decides."""

    prefix = "hold"

    account = SubAccountChoiceField(label=_("Sub-account"), queryset=Account.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Hold.Kind.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=Hold.Reason.choices)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(
        label=_("Deferred until (deferral)"), required=False, widget=DateInput()
    )
    amount = YuanField(label=_("Amount to escrow (yuan, escrow)"), required=False)

    def setup(self) -> None:
        self.fields["account"].queryset = Account.objects.filter(
            case=self.case, kind=Account.Kind.CASE
        ).select_related("payer__party")


class AssignForm(BootstrapForm):
    """Attribute a suspense deposit to a case sub-account (认领), with the reason."""

    target = chooser_field()
    reason = forms.CharField(label=_("Reason"), max_length=300)
    service_fields = {"case_account": "target"}

    def clean_target(self):
        self.account = find_case_account(self.user, self.cleaned_data["target"])
        return self.cleaned_data["target"]


class CounterReceiptForm(BootstrapForm):
    """Cash or card at the counter, counted by two finance officers (双人经办)."""

    prefix = "counter"
    service_fields = {"case_account": "target"}

    channel = forms.ModelChoiceField(label=_("Counter"), queryset=Channel.objects.none())
    target = chooser_field()
    amount = YuanField()
    payer_name = forms.CharField(label=_("Payer"), max_length=200)
    second_officer = forms.ModelChoiceField(label=_("Second officer"), queryset=User.objects.none())

    def setup(self) -> None:
        court = self.user.court
        self.fields["channel"].queryset = Channel.objects.filter(
            court=court, kind=Channel.Kind.COUNTER, is_active=True
        )
        self.fields["second_officer"].queryset = (
            court_staff(court)
            .filter(groups__name=Role.FINANCE.value)
            .exclude(pk=self.user.pk)
            .distinct()
        )

    def clean_target(self):
        self.account = find_case_account(self.user, self.cleaned_data["target"])
        return self.cleaned_data["target"]


class StatementForm(BootstrapForm):
    """A day's bank statement (CSV, UTF-8) to check against the deposits on record."""

    prefix = "statement"
    service_fields = {"file": "file"}

    channel = forms.ModelChoiceField(label=_("Bank channel"), queryset=Channel.objects.none())
    file = forms.FileField(
        label=_("Statement (CSV)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv"})
    )

    def setup(self) -> None:
        self.fields["channel"].queryset = Channel.objects.filter(
            Q(court=self.user.court), kind=Channel.Kind.BANK, is_active=True
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.text = services.decode_statement(upload)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["file"]) from None
        return upload


class FeeForm(BootstrapForm):
    """Finance records a litigation or execution fee paid by a party of the case."""

    prefix = "fee"
    service_fields = {"case_party": "payer"}

    payer = forms.ModelChoiceField(label=_("Paid by"), queryset=CaseParty.objects.none())
    amount = YuanField()
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)

    def setup(self) -> None:
        self.fields["payer"].queryset = (
            CaseParty.objects.filter(case=self.case).select_related("party").order_by("pk")
        )
        self.fields["payer"].label_from_instance = lambda cp: (
            f"{cp.party.name} · {cp.get_role_display()}"
        )


class FeeRefundForm(BootstrapForm):
    """A refund of a fee is due: the payee's account and the reason (e.g. withdrawn)."""

    service_fields = {"payee": "payee_account", "fee": None}

    amount = YuanField(label=_("Refund (yuan)"))
    payee_name = forms.CharField(label=_("Payee"), max_length=200)
    payee_bank = forms.CharField(label=_("Payee bank"), max_length=100)
    payee_account = forms.CharField(label=_("Payee account number"), max_length=34)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReliefForm(BootstrapForm):
    """Judicial relief money granted to the court has arrived (司法救助金)."""

    prefix = "relief"

    amount = YuanField()
    memo = forms.CharField(
        label=_("Relief decision"),
        max_length=500,
        help_text=_("The decision's number and whom it is for."),
    )

"""Case-funds pages: thin views over selectors and services.

As in ``enforcement.views``: every record is looked up through the visibility helper (another
court's record is a 404), every write is one service call, a service's ``ValidationError`` comes
back beside its form field, ``PermissionDenied`` is a 403 and :class:`services.Conflict` (the
record moved on meanwhile) a message. A successful POST redirects with a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from casefunds import exports, notices, selectors, services
from casefunds.forms import (
    AssignForm,
    CounterReceiptForm,
    FeeForm,
    FeeRefundForm,
    HoldForm,
    PayoutForm,
    ReasonForm,
    ReliefForm,
    StatementForm,
    sub_account_label,
)
from casefunds.models import (
    Account,
    Deposit,
    Hold,
    IdleTier,
    LitigationFee,
    Payout,
    Transfer,
    yuan,
)
from courtexec.roles import Role
from courtexec.visibility import restrict
from enforcement import selectors as case_selectors
from enforcement.forms import DecisionForm, apply_service_errors
from enforcement.models import EnforcementCase

VIEW = "casefunds.view_deposit"
WORKBENCH_ROLES = (Role.FINANCE, Role.BUREAU_CHIEF, Role.SECTION_CHIEF, Role.PRESIDENT)


def _money(fen: int) -> str:
    return f"¥{yuan(fen):,}"


def _case_or_404(request: HttpRequest, pk: int) -> EnforcementCase:
    try:
        return case_selectors.visible_cases(request.user).get(pk=pk)
    except EnforcementCase.DoesNotExist as exc:
        raise Http404 from exc


def funds_tab_url(case: EnforcementCase) -> str:
    return reverse("enforcement:case-detail", args=[case.pk]) + "?tab=funds#funds"


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _refusal(request: HttpRequest, exc: Exception) -> None:
    """A service's ValidationError or Conflict, shown as a message."""
    if isinstance(exc, services.Conflict):
        messages.error(request, exc.message)
    else:
        for message in exc.messages:
            messages.error(request, message)


def _flags(user) -> dict[str, bool]:
    return {
        "can_propose": user.has_perm("casefunds.add_payout"),
        "can_approve": user.has_perm("casefunds.approve_payout"),
        "can_review": user.has_perm("casefunds.review_payout"),
        "can_hold": user.has_perm("casefunds.add_hold"),
        "can_decide_hold": user.has_perm("casefunds.decide_hold"),
        "can_assign": user.has_perm("casefunds.assign_deposit"),
        "can_receive": user.has_perm("casefunds.add_deposit"),
        "can_import": user.has_perm("casefunds.add_statementimport"),
        "can_record_fee": user.has_perm("casefunds.add_litigationfee"),
        "can_book": user.has_perm("casefunds.add_transfer"),
        "can_scan": user.is_superuser
        or user.has_perm("casefunds.approve_payout")
        or user.has_perm("casefunds.review_payout"),
    }


def _uses_workbench(user) -> bool:
    return user.is_superuser or any(user.has_role(role) for role in WORKBENCH_ROLES)


# --- The funds tab of a case ---------------------------------------------------------------------


def _render_case(
    request: HttpRequest, case: EnforcementCase, bound: dict | None = None, *, full: bool = False
) -> HttpResponse:
    """The case's funds: the partial for the tab (htmx), or a page of its own (errors, no JS)."""
    user = request.user
    bound = bound or {}
    funds = selectors.case_funds(user, case)
    flags = _flags(user)
    own_court = user.is_superuser or user.court_id == case.court_id
    for payout in funds.payouts:
        if payout.status in (Payout.Status.DRAFT, Payout.Status.APPROVED):
            key = f"reject-{payout.pk}"
            payout.reject_form = bound.get(key) or ReasonForm(prefix=key, case=case, user=user)
    for hold in funds.holds:
        if hold.status == Hold.Status.REQUESTED:
            key = f"hold-{hold.pk}"
            hold.form = bound.get(key) or DecisionForm(prefix=key, case=case, user=user)
    refunds: dict[int, list[Payout]] = {}
    for payout in funds.payouts:
        if payout.fee_id:
            refunds.setdefault(payout.fee_id, []).append(payout)
    for fee in funds.fees:
        fee.refund_list = refunds.get(fee.pk, [])
        key = f"refund-{fee.pk}"
        fee.reversed_by = getattr(fee.transfer, "reversal", None)  # booked in error
        refunded = fee.reversed_by is not None or any(
            p.status not in ("failed", "rejected") for p in fee.refund_list
        )
        payer = fee.payer  # the refund goes back to who paid, to the account they gave
        initial = {
            "payee_name": payer.payee_account_name or payer.party.name,
            "payee_bank": payer.payee_bank,
            "payee_account": payer.payee_account_number,
        }
        fee.refund_form = bound.get(key) or (
            None if refunded else FeeRefundForm(prefix=key, initial=initial, case=case, user=user)
        )
    context = {
        "case": case,
        "funds": funds,
        "fee_form": (bound.get("fee") or FeeForm(case=case, user=user))
        if flags["can_record_fee"]
        else None,
        "payout_form": bound.get("payout") or PayoutForm(case=case, user=user),
        "hold_form": bound.get("hold") or HoldForm(case=case, user=user),
        "own_court": own_court,
        "open_payouts": Payout.OPEN,
        **flags,
    }
    partial = request.htmx and not full
    template = "casefunds/_case_funds.html" if partial else "casefunds/case_funds.html"
    return render(request, template, context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def case_funds(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _case_or_404(request, pk))


def _case_form(
    request: HttpRequest,
    case: EnforcementCase,
    form,
    perform: Callable[[dict], Any],
    success: Callable[[Any], str],
) -> HttpResponse:
    if form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except services.Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success(result))
            return redirect(funds_tab_url(case))
    return _render_case(request, case, bound={form.prefix: form}, full=True)


@login_required
@require_POST
def payout_propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = PayoutForm(request.POST, case=case, user=request.user)

    def perform(data: dict) -> tuple[Payout, bool]:
        return services.propose_payout(
            case=case,
            kind=Payout.Kind.APPLICANT,
            amount=data["amount"],
            idempotency_key=data["idempotency_key"],
            user=request.user,
            payee_party=data["payee_party"],
            source=data["source"],
            purpose=data["purpose"],
        )

    return _case_form(
        request,
        case,
        form,
        perform,
        lambda result: (
            (
                _("Payout of %(amount)s proposed; the bureau chief approves.")
                if result[1]
                else _("This payout was already proposed (%(amount)s).")
            )
            % {"amount": _money(result[0].amount)}
        ),
    )


@login_required
@require_POST
def payout_everything(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: everything received and not yet promised, to the applicant (一站式发放)."""
    case = _case_or_404(request, pk)
    try:
        payouts = services.propose_everything_received(case=case, user=request.user)
    except (ValidationError, services.Conflict) as exc:
        _refusal(request, exc)
    else:
        total = sum(p.amount for p in payouts)
        messages.success(
            request,
            ngettext(
                "%(count)d payout of %(amount)s proposed.",
                "%(count)d payouts totalling %(amount)s proposed.",
                len(payouts),
            )
            % {"count": len(payouts), "amount": _money(total)},
        )
    return redirect(funds_tab_url(case))


def _payout_or_404(request: HttpRequest, pk: int) -> Payout:
    return get_object_or_404(
        restrict(Payout.objects.select_related("case", "source"), request.user), pk=pk
    )


def _payout_step(request: HttpRequest, pk: int, call: Callable[[Payout], Payout], done: str):
    payout = _payout_or_404(request, pk)
    try:
        call(payout)
    except (ValidationError, services.Conflict) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, done % {"amount": _money(payout.amount), "case": payout.case})
    return redirect(_next_or(request, funds_tab_url(payout.case)))


@login_required
@require_POST
def payout_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _payout_step(
        request,
        pk,
        lambda p: services.approve_payout(payout=p, user=request.user),
        _("Payout of %(amount)s on %(case)s approved; the money is reserved."),
    )


@login_required
@require_POST
def payout_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _payout_step(
        request,
        pk,
        lambda p: services.review_payout(payout=p, user=request.user),
        _("Payout of %(amount)s on %(case)s reviewed and released to the bank."),
    )


@login_required
@require_POST
def payout_reject(request: HttpRequest, pk: int) -> HttpResponse:
    payout = _payout_or_404(request, pk)
    form = ReasonForm(request.POST, prefix=f"reject-{payout.pk}", user=request.user)
    reason = request.POST.get(f"reject-{payout.pk}-reason", "")
    if not form.is_valid():
        messages.error(request, _("Give the reason for sending it back."))
        return redirect(_next_or(request, funds_tab_url(payout.case)))
    return _payout_step(
        request,
        pk,
        lambda p: services.reject_payout(payout=p, reason=reason, user=request.user),
        _("Payout of %(amount)s on %(case)s sent back."),
    )


@login_required
@require_POST
def hold_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = HoldForm(request.POST, case=case, user=request.user)
    return _case_form(
        request,
        case,
        form,
        lambda d: services.request_hold(
            account=d["account"],
            kind=d["kind"],
            reason=d["reason"],
            details=d["details"],
            user=request.user,
            until=d["until"],
            amount=d["amount"],
        ),
        lambda hold: (
            _("%(kind)s requested; the bureau chief decides.") % {"kind": hold.get_kind_display()}
        ),
    )


@login_required
@require_POST
def hold_decide(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(
        restrict(Hold.objects.select_related("account__case"), request.user), pk=pk
    )
    case = _case_or_404(request, hold.account.case_id)
    form = DecisionForm(request.POST, prefix=f"hold-{hold.pk}", case=case, user=request.user)
    return _case_form(
        request,
        case,
        form,
        lambda d: services.decide_hold(
            hold=hold, approve=d["decision"] == "approve", user=request.user
        ),
        lambda h: (
            _("%(kind)s %(status)s.")
            % {"kind": h.get_kind_display(), "status": h.get_status_display()}
        ),
    )


@login_required
@require_POST
def fee_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Finance records a litigation fee paid by a party of the case (诉讼费缴纳)."""
    case = _case_or_404(request, pk)
    if not request.user.has_perm("casefunds.add_litigationfee"):
        raise PermissionDenied
    form = FeeForm(request.POST, case=case, user=request.user)
    return _case_form(
        request,
        case,
        form,
        lambda d: services.record_fee(
            case_party=d["payer"],
            amount=d["amount"],
            receipt_number=d["receipt_number"],
            user=request.user,
        ),
        lambda fee: (
            _("Fee of %(amount)s recorded (receipt %(receipt)s).")
            % {"amount": _money(fee.amount), "receipt": fee.receipt_number}
        ),
    )


@login_required
@require_POST
def fee_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """A refund of a fee is due (诉讼费退费): proposed as a payout from the fee account."""
    fee = get_object_or_404(restrict(LitigationFee.objects.all(), request.user), pk=pk)
    case = _case_or_404(request, fee.case_id)
    if not request.user.has_perm("casefunds.add_payout"):
        raise PermissionDenied
    form = FeeRefundForm(request.POST, prefix=f"refund-{fee.pk}", case=case, user=request.user)
    return _case_form(
        request,
        case,
        form,
        lambda d: services.declare_fee_refund(
            fee=fee,
            amount=d["amount"],
            refund_payee=services.Payee(
                name=d["payee_name"].strip(),
                bank=d["payee_bank"].strip(),
                account=d["payee_account"].strip(),
            ),
            reason=d["reason"],
            user=request.user,
        ),
        lambda payout: (
            _("Refund of %(amount)s proposed; the bureau chief approves.")
            % {"amount": _money(payout.amount)}
        ),
    )


# --- Sub-accounts: statement, Excel, payment notice ---------------------------------------------


def _account_or_404(request: HttpRequest, pk: int, *, case_only: bool = False) -> Account:
    accounts = selectors.visible_accounts(request.user)
    if case_only:
        accounts = accounts.filter(kind=Account.Kind.CASE)
    return get_object_or_404(accounts, pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def account_statement(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_or_404(request, pk)
    return render(
        request,
        "casefunds/statement.html",
        {"account": account, "statement": selectors.account_statement(account)},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def account_statement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_or_404(request, pk)
    return exports.statement_response(account, selectors.account_statement(account))


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def payment_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The payment notice (缴款通知书) for one payer's sub-account, ready to print."""
    account = _account_or_404(request, pk, case_only=True)
    notice = notices.payment_notice(account)
    return render(request, "casefunds/notice.html", {"account": account, "notice": notice})


# --- The finance workbench ----------------------------------------------------------------------


def _render_workbench(request: HttpRequest, bound: dict | None = None) -> HttpResponse:
    user = request.user
    bound = bound or {}
    flags = _flags(user)
    suspense = selectors.suspense_items(user)
    if flags["can_assign"]:
        for deposit in suspense:
            key = f"assign-{deposit.pk}"
            deposit.form = bound.get(key) or AssignForm(prefix=key, user=user)
    approvals = selectors.approval_queue(user) if flags["can_approve"] else []
    reviews = selectors.review_queue(user) if flags["can_review"] else []
    for payout in [*approvals, *reviews]:
        key = f"reject-{payout.pk}"
        payout.reject_form = ReasonForm(prefix=key, user=user)
    has_court = user.court_id is not None
    bookings = selectors.recent_bookings(user) if flags["can_book"] else []
    for transfer in bookings:
        transfer.reversed_by = getattr(transfer, "reversal", None)
        transfer.fee_paid = getattr(transfer, "fee", None)
        key = f"reverse-{transfer.pk}"
        transfer.reverse_form = bound.get(key) or (
            None if transfer.reversed_by else ReasonForm(prefix=key, user=user)
        )
    shown = {f"reverse-{transfer.pk}" for transfer in bookings}
    for key, form in bound.items():  # a correction refused for a booking not listed here
        if key.startswith("reverse-") and key not in shown:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    imports = selectors.recent_imports(user)
    shown_import = None
    wanted = request.GET.get("import")
    if wanted and wanted.isdigit():
        shown_import = next((i for i in imports if i.pk == int(wanted)), None)
    context = {
        "suspense": suspense,
        "suspense_days": settings.FUNDS_SUSPENSE_MAX_DAYS,
        "approvals": approvals,
        "reviews": reviews,
        "bank_results": selectors.bank_results(user),
        "imports": imports,
        "shown_import": shown_import,
        "counter_form": (bound.get("counter") or CounterReceiptForm(user=user))
        if flags["can_receive"] and has_court
        else None,
        "statement_form": (bound.get("statement") or StatementForm(user=user))
        if flags["can_import"] and has_court
        else None,
        "relief_form": (bound.get("relief") or ReliefForm(user=user))
        if flags["can_book"] and has_court
        else None,
        "bookings": bookings,
        "here": reverse("casefunds:workbench"),
        **flags,
    }
    return render(request, "casefunds/workbench.html", context)


def _workbench_user(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    if not _uses_workbench(request.user):
        raise PermissionDenied(_("The funds workbench is for finance officers and chiefs."))


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    """Finance and chiefs: queues and tools. Judges and clerks land on the idle-money board."""
    if not _uses_workbench(request.user):
        return redirect("casefunds:idle")
    return _render_workbench(request)


def _workbench_form(request, form, perform, success, next_url=None) -> HttpResponse:
    if form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except services.Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success(result))
            return redirect(next_url(result) if next_url else "casefunds:workbench")
    return _render_workbench(request, {form.prefix: form})


@login_required
@require_POST
def suspense_assign(request: HttpRequest, pk: int) -> HttpResponse:
    _workbench_user(request)
    deposit = get_object_or_404(
        restrict(Deposit.objects.select_related("court", "account"), request.user), pk=pk
    )
    form = AssignForm(request.POST, prefix=f"assign-{deposit.pk}", user=request.user)
    return _workbench_form(
        request,
        form,
        lambda d: services.assign_suspense(
            deposit=deposit, case_account=form.account, reason=d["reason"], user=request.user
        ),
        lambda d: (
            _("%(amount)s assigned to %(case)s.") % {"amount": _money(d.amount), "case": d.case}
        ),
    )


@login_required
@require_POST
def counter_receipt(request: HttpRequest) -> HttpResponse:
    _workbench_user(request)
    if request.user.court_id is None:
        raise PermissionDenied
    form = CounterReceiptForm(request.POST, user=request.user)
    return _workbench_form(
        request,
        form,
        lambda d: services.record_counter_receipt(
            channel=d["channel"],
            case_account=form.account,
            amount=d["amount"],
            payer_name=d["payer_name"],
            user=request.user,
            second_officer=d["second_officer"],
        ),
        lambda d: (
            _("%(amount)s received at the counter for %(case)s (%(reference)s).")
            % {"amount": _money(d.amount), "case": d.case, "reference": d.reference}
        ),
    )


@login_required
@require_POST
def statement_import(request: HttpRequest) -> HttpResponse:
    _workbench_user(request)
    if request.user.court_id is None:
        raise PermissionDenied
    form = StatementForm(request.POST, request.FILES, user=request.user)
    return _workbench_form(
        request,
        form,
        lambda d: services.import_statement(
            channel=d["channel"], text=form.text, file_name=d["file"].name, user=request.user
        ),
        lambda imp: (
            _(
                "Statement checked: %(lines)d lines, %(matched)d on record, %(posted)d posted, "
                "%(mismatches)d mismatches."
            )
            % {
                "lines": imp.lines,
                "matched": imp.matched,
                "posted": imp.posted,
                "mismatches": len(imp.mismatches),
            }
        ),
        next_url=lambda imp: reverse("casefunds:workbench") + f"?import={imp.pk}#imports",
    )


@login_required
@require_POST
def relief_allocate(request: HttpRequest) -> HttpResponse:
    """Judicial relief money granted to the court has arrived (司法救助金拨付)."""
    _workbench_user(request)
    if request.user.court_id is None or not request.user.has_perm("casefunds.add_transfer"):
        raise PermissionDenied
    form = ReliefForm(request.POST, user=request.user)
    return _workbench_form(
        request,
        form,
        lambda d: services.allocate_relief(
            court=request.user.court, amount=d["amount"], memo=d["memo"], user=request.user
        ),
        lambda t: (
            _("Judicial relief of %(amount)s booked.")
            % {"amount": _money(form.cleaned_data["amount"])}
        ),
        next_url=lambda t: reverse("casefunds:workbench") + "#bookings",
    )


@login_required
@require_POST
def transfer_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a fee payment or relief allocation booked in error (冲正), with the reason."""
    _workbench_user(request)
    if not request.user.has_perm("casefunds.add_transfer"):
        raise PermissionDenied
    transfer = get_object_or_404(restrict(Transfer.objects.all(), request.user), pk=pk)
    form = ReasonForm(request.POST, prefix=f"reverse-{transfer.pk}", user=request.user)
    return _workbench_form(
        request,
        form,
        lambda d: services.reverse_transfer(
            transfer=transfer, reason=d["reason"], user=request.user
        ),
        lambda r: (
            _("Booking #%(original)s corrected by reversal #%(reversal)s.")
            % {"original": transfer.pk, "reversal": r.pk}
        ),
        next_url=lambda r: reverse("casefunds:workbench") + "#bookings",
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def account_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type for the suspense and counter forms: sub-accounts of the user's own
    court by virtual-number digits, case number or payer name (``?q=``, or the value of the
    field named by ``?field=`` as htmx sends it)."""
    flags = _flags(request.user)
    if not (flags["can_assign"] or flags["can_receive"]):
        raise PermissionDenied
    text = request.GET.get("q")
    field = request.GET.get("field", "")
    if text is None and field:
        text = request.GET.get(field, "")
    text = (text or "")[:64]
    accounts = selectors.search_case_accounts(request.user, text)
    return render(
        request,
        "casefunds/_account_choices.html",
        {
            "choices": [(a, sub_account_label(a)) for a in accounts],
            "query": text.strip(),
            "fills": f"id_{field}" if field else "",
        },
    )


@login_required
@require_POST
def idle_scan(request: HttpRequest) -> HttpResponse:
    _workbench_user(request)
    if not _flags(request.user)["can_scan"]:
        raise PermissionDenied
    result = services.scan_idle_money()
    messages.success(
        request,
        _(
            "Idle scan done: %(raised)d alerts raised, %(cleared)d cleared; "
            "%(step)d payout steps overdue."
        )
        % {"raised": result.raised, "cleared": result.cleared, "step": result.step_raised},
    )
    return redirect(_next_or(request, reverse("casefunds:workbench")))


# --- Boards and reports -------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def idle(request: HttpRequest) -> HttpResponse:
    board = selectors.idle_board(request.user)
    chart = {
        "labels": [row.tier.label for row in board.tiers],
        "values": [row.accounts for row in board.tiers],
    }
    ages_chart = {
        "labels": [bucket.label for bucket in board.ages],
        "values": [float(yuan(bucket.amount)) for bucket in board.ages],
    }
    return render(
        request,
        "casefunds/idle.html",
        {"board": board, "chart": chart, "ages_chart": ages_chart, **_flags(request.user)},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    tier = None
    if request.GET.get("tier", "").isdigit():
        tier = IdleTier.objects.filter(pk=int(request.GET["tier"])).first()
    page = Paginator(selectors.open_alerts(request.user, tier), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "casefunds/alerts.html", {"page": page, "tier": tier})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    day = parse_date(request.GET.get("day") or "") or today
    return render(
        request,
        "casefunds/journal.html",
        {
            "journal": selectors.daily_journal(request.user, day),
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1) if day < today else None,
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def timing(request: HttpRequest) -> HttpResponse:
    """How long money waits between arrival and payout (paid payouts of the last year)."""
    since = timezone.now() - dt.timedelta(days=365)
    result = selectors.arrival_to_payout(request.user, since=since)
    chart = {
        "labels": [label for _key, label, _n in result.buckets],
        "values": [n for _key, _label, n in result.buckets],
    }
    return render(request, "casefunds/timing.html", {"timing": result, "chart": chart})

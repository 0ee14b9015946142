"""Custody pages (保管): the overview of custodians and lots with an occupancy chart, a vehicle's
fee statement (printable, Excel) and cost postings, monthly invoices, the stock check of a lot
(phone-sized) and the fees panel of the vehicle page. Thin: reads ``selectors``, writes through
``services``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from casefunds.models import yuan
from casefunds.services import Conflict
from enforcement.exports import MONEY_FORMAT, append_header, xlsx_response
from enforcement.forms import apply_service_errors
from vehicles import fees, selectors, services
from vehicles.forms_fees import InvoiceForm, PostingForm, StockCheckForm
from vehicles.models import Impound, Vehicle
from vehicles.views import vehicle_panel


def _need(request: HttpRequest, permission: str) -> None:
    if not (request.user.is_superuser or request.user.has_perm(permission)):
        raise PermissionDenied


def _xlsx(filename: str, title: str, columns: list[tuple[str, int]], rows: list[list], money):
    """A statement or an invoice as a sheet; the ``money`` columns (1-based) hold yuan."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    append_header(sheet, columns)
    for row in rows:
        sheet.append(row)
        for index in money:
            sheet.cell(row=sheet.max_row, column=index).number_format = MONEY_FORMAT
    return xlsx_response(book, filename)


@vehicle_panel("vehicles/fees/_panel.html", order=30)
def fees_panel(request: HttpRequest, vehicle: Vehicle) -> dict:
    """Fees to date of each custody of the vehicle, and the costs posted on the case."""
    impounds = selectors.visible_impounds(request.user).filter(
        vehicle=vehicle, intake_at__isnull=False
    )
    postings = selectors.visible_postings(request.user)
    return {
        "fee_rows": [
            (impound, selectors.impound_statement(impound), postings.filter(impound=impound))
            for impound in impounds
        ]
    }


@login_required
@require_GET
def custody_overview(request: HttpRequest) -> HttpResponse:
    _need(request, "vehicles.view_lot")
    if selectors.is_custodian_user(request.user):
        raise PermissionDenied  # staff page; custodians have their portal
    overview = selectors.custody_overview(request.user)
    lots = [lot for row in overview for lot in row.lots]
    chart = {
        "labels": [str(lot) for lot in lots],
        "occupancy": [lot.occupancy for lot in lots],
        "free": [max(lot.capacity - lot.occupancy, 0) for lot in lots],
        "occupied_label": _("In custody"),
        "free_label": _("Free bays"),
    }
    context = {
        "overview": overview,
        "chart": chart,
        "long_custody": selectors.long_custody(request.user)[:100],
        "alert_days": settings.VEHICLES_CUSTODY_ALERT_DAYS,
        "month": timezone.localdate().replace(day=1),
    }
    return render(request, "vehicles/fees/overview.html", context)


def _impound_or_404(request: HttpRequest, impound_id: int) -> Impound:
    return get_object_or_404(selectors.visible_impounds(request.user), pk=impound_id)


@login_required
@require_GET
def statement(request: HttpRequest, impound_id: int) -> HttpResponse:
    _need(request, "vehicles.view_impound")
    impound = _impound_or_404(request, impound_id)
    result = selectors.impound_statement(impound)
    postings = selectors.visible_postings(request.user).filter(impound=impound)
    if request.GET.get("format") == "xlsx":
        rows = [[line.number, line.first_day, line.last_day, line.days, yuan(line.rate),
                 yuan(line.amount)] for line in result.lines]  # fmt: skip
        rows.append([_("Towing"), None, None, None, None, yuan(result.towing)])
        rows.append([_("Total"), None, None, result.days, None, yuan(result.total)])
        columns = [(_("Agreement"), 18), (_("From"), 12), (_("To"), 12), (_("Days"), 8),
                   (_("Daily fee"), 12), (_("Amount"), 14)]  # fmt: skip
        return _xlsx(f"保管费用-{impound.vehicle}.xlsx", _("Statement"), columns, rows, (5, 6))
    context = {
        "impound": impound,
        "statement": result,
        "postings": postings,
        "may_post": request.user.has_perm("vehicles.add_feeposting")
        and not selectors.is_custodian_user(request.user),
        "posting_form": PostingForm(initial={"through": timezone.localdate()}, user=request.user),
    }
    return render(request, "vehicles/fees/statement.html", context)


@login_required
@require_POST
def post_fees(request: HttpRequest, impound_id: int) -> HttpResponse:
    impound = _impound_or_404(request, impound_id)
    form = PostingForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            posting = services.post_fees_to_case(
                impound=impound, through=form.cleaned_data["through"], user=request.user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("¥%(amount)s posted as a cost of case %(case)s.")
                % {"amount": fees.yuan(posting.amount), "case": impound.case},
            )
            return redirect("vehicles:statement", impound_id=impound.pk)
    context = {
        "impound": impound,
        "statement": selectors.impound_statement(impound),
        "postings": selectors.visible_postings(request.user).filter(impound=impound),
        "may_post": True,
        "posting_form": form,
    }
    return render(request, "vehicles/fees/statement.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_list(request: HttpRequest) -> HttpResponse:
    _need(request, "vehicles.view_custodyinvoice")
    may_issue = request.user.has_perm("vehicles.add_custodyinvoice")
    form = InvoiceForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        _need(request, "vehicles.add_custodyinvoice")
        if form.is_valid():
            try:
                invoice = services.issue_invoice(user=request.user, **form.cleaned_data)
            except Conflict as exc:
                form.add_error("month", exc.message)
                status = 409
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            else:
                return redirect("vehicles:invoice", pk=invoice.pk)
        else:
            status = 400
    invoices = selectors.visible_invoices(request.user)
    custodian = request.GET.get("custodian", "")
    if custodian.isdigit():
        invoices = invoices.filter(custodian_id=int(custodian))
    context = {"invoices": invoices[:200], "form": form, "may_issue": may_issue}
    return render(request, "vehicles/fees/invoices.html", context, status=status)


@login_required
@require_GET
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "vehicles.view_custodyinvoice")
    invoice = get_object_or_404(selectors.visible_invoices(request.user), pk=pk)
    lines = invoice.lines.select_related("impound__vehicle", "impound__case")
    if request.GET.get("format") == "xlsx":
        rows = [[str(line.impound.vehicle), str(line.impound.case), line.days, yuan(line.towing),
                 yuan(line.custody), yuan(line.total)] for line in lines]  # fmt: skip
        rows.append([_("Total"), None, None, None, None, yuan(invoice.total)])
        columns = [(_("Vehicle"), 12), (_("Case"), 26), (_("Days"), 8), (_("Towing"), 12),
                   (_("Custody"), 12), (_("Total"), 14)]  # fmt: skip
        filename = f"保管结算单-{invoice.custodian}-{invoice.month:%Y-%m}.xlsx"
        return _xlsx(filename, _("Invoice"), columns, rows, (4, 5, 6))
    return render(request, "vehicles/fees/invoice.html", {"invoice": invoice, "lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def stock_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Count a lot on a phone: a checkbox per vehicle the records expect, and the history."""
    _need(request, "vehicles.view_stockcheck")
    lot = get_object_or_404(selectors.visible_lots(request.user), pk=pk)
    expected = selectors.in_custody_at(lot, timezone.now())
    form = StockCheckForm(request.POST or None, expected=expected, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_stock_check(
                    lot=lot,
                    checked_at=form.cleaned_data["checked_at"],
                    found=form.found(),
                    unexpected_plates=form.plates(),
                    notes=form.cleaned_data["notes"],
                    user=request.user,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The stock check is recorded."))
                return redirect("vehicles:stock-check", pk=lot.pk)
        status = 400
    checks = (
        selectors.visible_stock_checks(request.user)
        .filter(lot=lot)
        .prefetch_related("lines__impound__vehicle")[:50]
    )
    context = {
        "lot": lot,
        "form": form,
        "checks": checks,
        "may_check": request.user.has_perm("vehicles.add_stockcheck"),
        "due_on": selectors.stock_check_due_on(lot.last_checked_at),
        "today": timezone.localdate(),
    }
    return render(request, "vehicles/fees/stock_check.html", context, status=status)

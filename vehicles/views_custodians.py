"""Staff pages keeping the custodians (保管单位), their custody agreements (保管协议) and lots
(停车场). Thin: reads ``selectors`` (another court's custodian is a 404), writes through
``services`` (whose field errors go back on the form: an overlapping agreement, a capacity
below occupancy)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casefunds.models import yuan
from enforcement.forms import apply_service_errors
from vehicles import selectors, services
from vehicles.forms_custodians import AgreementForm, CustodianForm, LotForm
from vehicles.models import Custodian, CustodyAgreement, Lot, VehicleClass


def _need(request: HttpRequest, *permissions: str) -> None:
    """Staff only (custodians have their portal), with every permission named."""
    user = request.user
    if selectors.is_custodian_user(user):
        raise PermissionDenied
    if not (user.is_superuser or all(user.has_perm(name) for name in permissions)):
        raise PermissionDenied


def _custodian_or_404(request: HttpRequest, pk: int) -> Custodian:
    return get_object_or_404(selectors.visible_custodians(request.user), pk=pk)


def _current(agreements, today) -> CustodyAgreement | None:
    return next((a for a in agreements if a.valid_from <= today <= a.valid_until), None)


def _may(user, action: str, model: str) -> bool:
    return user.is_superuser or user.has_perm(f"vehicles.{action}_{model}")


def _back(custodian: Custodian) -> str:
    return reverse("vehicles:custodian", args=[custodian.pk])


def _submit(request, form, save, title: str, back: str) -> HttpResponse:
    """The form page: a valid post runs ``save`` (a service call returning the record saved);
    its field errors go back on the form (400), success returns to the custodian's page."""
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = save()
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(record)s is saved.") % {"record": saved})
            custodian = saved if isinstance(saved, Custodian) else saved.custodian
            return redirect("vehicles:custodian", pk=custodian.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "cancel": back}
    return render(request, "vehicles/custodians/form.html", context, status=status)


@login_required
@require_GET
def custodian_list(request: HttpRequest) -> HttpResponse:
    _need(request, "vehicles.view_custodian")
    today = timezone.localdate()
    custodians = list(
        selectors.visible_custodians(request.user)
        .prefetch_related("agreements")
        .order_by("-active", "name")
    )
    lots: dict[int, list] = {}
    for lot in selectors.visible_lots(request.user).order_by("name"):
        lots.setdefault(lot.custodian_id, []).append(lot)
    rows = [
        (custodian, lots.get(custodian.pk, []), _current(custodian.agreements.all(), today))
        for custodian in custodians
    ]
    context = {"rows": rows, "may_add": _may(request.user, "add", "custodian")}
    return render(request, "vehicles/custodians/list.html", context)


def _custodian_saver(request, form: CustodianForm, custodian: Custodian | None):
    def save() -> Custodian:
        data = dict(form.cleaned_data)
        members = list(data.pop("members"))
        saved = services.save_custodian(
            user=request.user, court=form.court, custodian=custodian, **data
        )
        return services.set_custodian_members(user=request.user, custodian=saved, members=members)

    return save


@login_required
@require_http_methods(["GET", "POST"])
def custodian_new(request: HttpRequest) -> HttpResponse:
    _need(request, "vehicles.add_custodian", "vehicles.change_custodian")
    if request.user.court_id is None:
        raise PermissionDenied
    form = CustodianForm(request.POST or None, user=request.user, court=request.user.court)
    save = _custodian_saver(request, form, None)
    return _submit(request, form, save, _("New custodian"), reverse("vehicles:custodians"))


@login_required
@require_http_methods(["GET", "POST"])
def custodian_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "vehicles.change_custodian")
    custodian = _custodian_or_404(request, pk)
    initial = {
        "name": custodian.name,
        "credit_code": custodian.credit_code,
        "contact": custodian.contact,
        "phone": custodian.phone,
        "address": custodian.address,
        "active": custodian.active,
        "members": list(custodian.members.all()),
    }
    form = CustodianForm(
        request.POST or None,
        user=request.user,
        court=custodian.court,
        custodian=custodian,
        initial=initial,
    )
    title = _("Edit custodian %(name)s") % {"name": custodian}
    save = _custodian_saver(request, form, custodian)
    return _submit(request, form, save, title, _back(custodian))


@login_required
@require_GET
def custodian_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "vehicles.view_custodian")
    custodian = _custodian_or_404(request, pk)
    today = timezone.localdate()
    agreements = list(
        selectors.visible_agreements(request.user)
        .filter(custodian=custodian)
        .order_by("-valid_from")
    )
    agreement_rows = []
    for agreement in agreements:
        fees = {rate.vehicle_class: rate.daily_fee for rate in agreement.rates.all()}
        rates = [yuan(fees[vc.value]) if vc.value in fees else None for vc in VehicleClass]
        current = agreement.valid_from <= today <= agreement.valid_until
        agreement_rows.append((agreement, rates, current))
    context = {
        "custodian": custodian,
        "members": custodian.members.order_by("display_name", "username"),
        "agreement_rows": agreement_rows,
        "classes": VehicleClass,
        "lots": selectors.visible_lots(request.user).filter(custodian=custodian).order_by("name"),
        "may_edit": _may(request.user, "change", "custodian"),
        "may_add_agreement": _may(request.user, "add", "custodyagreement"),
        "may_edit_agreement": _may(request.user, "change", "custodyagreement"),
        "may_add_lot": _may(request.user, "add", "lot"),
        "may_edit_lot": _may(request.user, "change", "lot"),
    }
    return render(request, "vehicles/custodians/detail.html", context)


def _agreement_page(request, custodian: Custodian, agreement: CustodyAgreement | None):
    initial = AgreementForm.initial_of(agreement) if agreement else {}
    form = AgreementForm(request.POST or None, user=request.user, initial=initial)
    if agreement is None:
        title = _("New agreement with %(name)s") % {"name": custodian}
    else:
        title = _("Edit agreement %(number)s") % {"number": agreement.number}

    def save() -> CustodyAgreement:
        return services.save_agreement(
            user=request.user, custodian=custodian, agreement=agreement, **form.service_arguments()
        )

    return _submit(request, form, save, title, _back(custodian))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "vehicles.add_custodyagreement")
    return _agreement_page(request, _custodian_or_404(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int, agreement_id: int) -> HttpResponse:
    _need(request, "vehicles.change_custodyagreement")
    custodian = _custodian_or_404(request, pk)
    agreement = get_object_or_404(
        selectors.visible_agreements(request.user).filter(custodian=custodian), pk=agreement_id
    )
    return _agreement_page(request, custodian, agreement)


def _lot_page(request, custodian: Custodian, lot: Lot | None = None):
    fields = ("name", "address", "capacity", "active")
    initial = {name: getattr(lot, name) for name in fields} if lot else {}
    form = LotForm(request.POST or None, user=request.user, initial=initial)
    if lot is None:
        title = _("New lot of %(name)s") % {"name": custodian}
    else:
        title = _("Edit lot %(name)s") % {"name": lot.name}

    def save() -> Lot:
        return services.save_lot(
            user=request.user, custodian=custodian, lot=lot, **form.cleaned_data
        )

    return _submit(request, form, save, title, _back(custodian))


@login_required
@require_http_methods(["GET", "POST"])
def lot_new(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "vehicles.add_lot")
    return _lot_page(request, _custodian_or_404(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def lot_edit(request: HttpRequest, pk: int, lot_id: int) -> HttpResponse:
    _need(request, "vehicles.change_lot")
    custodian = _custodian_or_404(request, pk)
    lot = get_object_or_404(
        selectors.visible_lots(request.user).filter(custodian=custodian), pk=lot_id
    )
    return _lot_page(request, custodian, lot)

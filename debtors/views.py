"""Staff pages of the debtors section: the case file's property, blacklist and restriction tabs,
the printable restriction order, and the boards (investigation queue, expiring freezes,
deletions due).

Views stay thin: cases come from ``enforcement.selectors.case_detail`` (another court's case is a
404), reads from ``debtors.selectors``, every write from one service of ``debtors.services``.
A service's ``ValidationError`` comes back as form errors (HTTP 400 with the tab shown again),
``PermissionDenied`` as a 403; a success redirects to the tab of the case file.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from courtexec.roles import Role
from debtors import forms, rules, selectors, services
from debtors.models import (
    AssetClass,
    BlacklistEntry,
    CorrectionRequest,
    Finding,
    Freeze,
    RestrictionExemption,
    RestrictionOrder,
)
from enforcement import selectors as case_selectors
from enforcement.forms import BootstrapForm, apply_service_errors, stray_errors
from enforcement.models import EnforcementCase

# The case file's tabs this app serves, and who may open them.
TABS: dict[str, tuple[Any, str]] = {
    "property": (gettext_lazy("Property"), "debtors.view_freeze"),  # 财产查控
    "blacklist": (gettext_lazy("Blacklist"), "debtors.view_blacklistentry"),  # 失信名单
    "restriction": (gettext_lazy("Restriction"), "debtors.view_restrictionorder"),  # 限制消费
}
PAGE_SIZE = 50


# --- Helpers ----------------------------------------------------------------------------------


def _case(request: HttpRequest, pk: int, tab: str) -> EnforcementCase:
    if not request.user.has_perm(TABS[tab][1]):
        raise PermissionDenied(_("Your role may not do this."))
    try:
        return case_selectors.case_detail(request.user, pk)
    except EnforcementCase.DoesNotExist as exc:
        raise Http404 from exc


def tab_url(case: EnforcementCase, tab: str) -> str:
    return f"{reverse('enforcement:case-detail', args=[case.pk])}?tab={tab}#{tab}"


def _fen(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


def _property_context(case: EnforcementCase, form: Callable, user) -> dict:
    requests = selectors.case_investigation_requests(case)
    findings = selectors.case_findings(case)
    freezes = selectors.case_freezes(case)
    for item in requests:
        item.class_labels = [AssetClass(c).label for c in item.asset_classes]
    for finding in findings:
        if finding.status == Finding.Status.FOUND and case.is_open:
            finding.form = form(forms.FreezeForm, f"freeze-{finding.pk}")
    for freeze in freezes:
        if freeze.released_on is None:
            freeze.renew_form = form(forms.ConfirmForm, f"renew-{freeze.pk}")
            freeze.release_form = form(forms.ConfirmForm, f"release-{freeze.pk}")
            if freeze.active and freeze.finding.asset_class == AssetClass.BANK_DEPOSIT:
                freeze.deduct_form = form(forms.DeductForm, f"deduct-{freeze.pk}")
        freeze.deductions_here = list(freeze.finding.deductions.all())
    return {
        "requests": requests,
        "findings": findings,
        "freezes": freezes,
        "has_expired": any(f.expired for f in freezes),
        "request_form": form(forms.InvestigationRequestForm),
        "reuse_days": settings.DEBTORS_SEARCH_REUSE_DAYS,
    }


def _blacklist_context(case: EnforcementCase, form: Callable, user) -> dict:
    entries = selectors.case_listings(case)
    today = timezone.localdate()
    S = BlacklistEntry.Status
    for entry in entries:
        entry.ground_labels = [rules.Ground(g).label for g in entry.grounds]
        entry.overdue_tasks = [t for t in entry.deletion_tasks.all() if t.due_on < today]
        if entry.status == S.PROPOSED:
            entry.approve_form = form(forms.ConfirmForm, f"approve-{entry.pk}")
        if entry.status in (S.APPROVED, S.PUBLISHED):
            entry.serve_form = form(forms.ServiceForm, f"serve-{entry.pk}")
        if entry.status == S.APPROVED:
            entry.publish_form = form(forms.ConfirmForm, f"publish-{entry.pk}")
        if entry.is_live:
            if rules.may_extend(entry.grounds):
                entry.extend_form = form(forms.ExtensionForm, f"extend-{entry.pk}")
            entry.delete_form = form(forms.DeletionForm, f"delete-{entry.pk}")
            entry.correction_form = form(forms.CorrectionForm, f"correction-{entry.pk}")
        for correction in entry.correction_requests.all():
            if correction.status == CorrectionRequest.Status.PENDING:
                correction.form = form(forms.CorrectionReviewForm, f"review-{correction.pk}")
            elif (
                correction.status == CorrectionRequest.Status.UPHELD
                and correction.corrected_at is None
                and entry.is_live
            ):
                correction.form = form(forms.ConfirmForm, f"carry-{correction.pk}")
            correction.overdue = (
                correction.status == CorrectionRequest.Status.PENDING
                and correction.review_due_on < today
            )
    return {"entries": entries, "listing_form": form(forms.ListingForm)}


def _restriction_context(case: EnforcementCase, form: Callable, user) -> dict:
    orders = selectors.case_restrictions(case)
    roles = dict(rules.BoundRole.choices)
    for order in orders:
        order.item_labels = [rules.RestrictedItem(i).label for i in order.items]
        order.bound = [(roles.get(p["role"], p["role"]), p["name"]) for p in order.bound_persons]
        if order.in_force:
            order.lift_form = form(forms.LiftForm, f"lift-{order.pk}")
            order.exemption_form = form(forms.ExemptionForm, f"exemption-{order.pk}")
        for exemption in order.exemptions.all():
            if exemption.status == RestrictionExemption.Status.PENDING:
                exemption.form = form(forms.DecisionForm, f"decide-{exemption.pk}")
    return {"orders": orders, "restriction_form": form(forms.RestrictionForm)}


CONTEXTS = {
    "property": _property_context,
    "blacklist": _blacklist_context,
    "restriction": _restriction_context,
}


def _render_tab(
    request: HttpRequest,
    case: EnforcementCase,
    tab: str,
    *,
    bound: dict[str, BootstrapForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """One tab: the partial for htmx (the case file loads it), else a page of its own."""
    user = request.user
    bound = bound or {}
    shown: set[str] = set()

    def form(form_class, key: str | None = None, **kwargs):
        key = key or form_class.prefix
        shown.add(key)
        return bound.get(key) or form_class(prefix=key, case=case, user=user, **kwargs)

    context = {
        "case": case,
        "tab": tab,
        "tab_title": TABS[tab][0],
        "today": timezone.localdate(),
        **CONTEXTS[tab](case, form, user),
    }
    context["stray_errors"] = stray_errors(bound, shown)
    template = f"debtors/_tab_{tab}.html" if request.htmx else "debtors/case_tab.html"
    return render(request, template, context, status=status)


def _act(
    request: HttpRequest,
    case: EnforcementCase,
    tab: str,
    form: BootstrapForm,
    perform: Callable[[dict], Any],
    success: str,
) -> HttpResponse:
    """Validate ``form``, call the service, and go back to the tab; or show it with errors."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except rules.RuleError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, success)
            return redirect(tab_url(case, tab))
    return _render_tab(request, case, tab, bound={form.prefix: form}, status=400)


def _form(form_class, request: HttpRequest, case: EnforcementCase, key: str | None = None):
    return form_class(request.POST, prefix=key or form_class.prefix, case=case, user=request.user)


# --- The case file's tabs -----------------------------------------------------------------------


@login_required
@require_GET
def case_tab(request: HttpRequest, pk: int, tab: str) -> HttpResponse:
    if tab not in TABS:
        raise Http404
    return _render_tab(request, _case(request, pk, tab), tab)


# --- Property actions ---------------------------------------------------------------------------


@login_required
@require_POST
def investigation_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "property")
    form = _form(forms.InvestigationRequestForm, request, case)
    return _act(
        request,
        case,
        "property",
        form,
        lambda d: services.request_investigation(
            case=case,
            respondent=d["respondent"],
            asset_classes=d["asset_classes"],
            force_reason=d["force_reason"],
            user=request.user,
        ),
        _("The investigation was requested."),
    )


def _finding(case: EnforcementCase, pk: int) -> Finding:
    return get_object_or_404(
        Finding.objects.filter(search__requests__case=case).distinct().select_related("search"),
        pk=pk,
    )


def _freeze(case: EnforcementCase, pk: int) -> Freeze:
    return get_object_or_404(case.freezes.select_related("finding", "case__court"), pk=pk)


@login_required
@require_POST
def freeze_create(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    case = _case(request, pk, "property")
    finding = _finding(case, finding_pk)
    form = _form(forms.FreezeForm, request, case, f"freeze-{finding.pk}")
    return _act(
        request,
        case,
        "property",
        form,
        lambda d: services.freeze(
            finding=finding,
            case=case,
            kind=d["kind"],
            amount=_fen(d["amount"]),
            from_date=d["from_date"],
            user=request.user,
        ),
        _("The property is frozen or seized."),
    )


@login_required
@require_POST
def freeze_renew(request: HttpRequest, pk: int, freeze_pk: int) -> HttpResponse:
    case = _case(request, pk, "property")
    freeze = _freeze(case, freeze_pk)
    form = _form(forms.ConfirmForm, request, case, f"renew-{freeze.pk}")
    return _act(
        request,
        case,
        "property",
        form,
        lambda d: services.renew_freeze(freeze=freeze, user=request.user),
        _("The freeze is renewed."),
    )


@login_required
@require_POST
def freeze_release(request: HttpRequest, pk: int, freeze_pk: int) -> HttpResponse:
    case = _case(request, pk, "property")
    freeze = _freeze(case, freeze_pk)
    form = _form(forms.ConfirmForm, request, case, f"release-{freeze.pk}")
    return _act(
        request,
        case,
        "property",
        form,
        lambda d: services.release_freeze(freeze=freeze, user=request.user),
        _("The freeze is released."),
    )


@login_required
@require_POST
def freeze_deduct(request: HttpRequest, pk: int, freeze_pk: int) -> HttpResponse:
    case = _case(request, pk, "property")
    freeze = _freeze(case, freeze_pk)
    form = _form(forms.DeductForm, request, case, f"deduct-{freeze.pk}")
    return _act(
        request,
        case,
        "property",
        form,
        lambda d: services.deduct(freeze=freeze, amount=_fen(d["amount"]), user=request.user),
        _("The money was deducted into the case's account."),
    )


# --- Blacklist actions --------------------------------------------------------------------------


def _entry(case: EnforcementCase, pk: int) -> BlacklistEntry:
    return get_object_or_404(BlacklistEntry.objects.filter(case=case), pk=pk)


@login_required
@require_POST
def listing_propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "blacklist")
    form = _form(forms.ListingForm, request, case)
    return _act(
        request,
        case,
        "blacklist",
        form,
        lambda d: services.propose_listing(
            case=case,
            respondent=d["respondent"],
            grounds=d["grounds"],
            facts=d["facts"],
            decision_number=d["decision_number"],
            decided_on=d["decided_on"],
            assessment=form.assessment(),
            applicant_request=d["applicant_request"],
            user=request.user,
        ),
        _("The listing is proposed."),
    )


LISTING_ACTIONS: dict[str, tuple[type[BootstrapForm], Callable, Any]] = {
    "approve": (
        forms.ConfirmForm,
        lambda entry, d, user: services.approve_listing(entry=entry, user=user),
        gettext_lazy("The listing is approved."),
    ),
    "serve": (
        forms.ServiceForm,
        lambda entry, d, user: services.record_listing_service(
            entry=entry, served_on=d["served_on"], user=user
        ),
        gettext_lazy("The service of the decision is recorded."),
    ),
    "publish": (
        forms.ConfirmForm,
        lambda entry, d, user: services.publish_listing(entry=entry, user=user),
        gettext_lazy("The listing is published."),
    ),
    "extend": (
        forms.ExtensionForm,
        lambda entry, d, user: services.extend_listing(
            entry=entry, years=d["years"], reason=d["reason"], user=user
        ),
        gettext_lazy("The listing period is extended."),
    ),
    "delete": (
        forms.DeletionForm,
        lambda entry, d, user: services.delete_listing(
            entry=entry, ground=d["ground"], arose_on=d["arose_on"], user=user
        ),
        gettext_lazy("The entry is deleted from the list."),
    ),
    "correction": (
        forms.CorrectionForm,
        lambda entry, d, user: services.request_correction(
            entry=entry,
            ground=d["ground"],
            statement=d["statement"],
            received_on=d["received_on"],
            user=user,
        ),
        gettext_lazy("The correction request is registered."),
    ),
}


@login_required
@require_POST
def listing_action(request: HttpRequest, pk: int, entry_pk: int, action: str) -> HttpResponse:
    if action not in LISTING_ACTIONS:
        raise Http404
    case = _case(request, pk, "blacklist")
    entry = _entry(case, entry_pk)
    form_class, perform, success = LISTING_ACTIONS[action]
    form = _form(form_class, request, case, f"{action}-{entry.pk}")
    return _act(
        request,
        case,
        "blacklist",
        form,
        lambda d: perform(entry, d, request.user),
        str(success),
    )


@login_required
@require_POST
def correction_review(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    case = _case(request, pk, "blacklist")
    correction = get_object_or_404(
        CorrectionRequest.objects.filter(entry__case=case), pk=request_pk
    )
    form = _form(forms.CorrectionReviewForm, request, case, f"review-{correction.pk}")
    return _act(
        request,
        case,
        "blacklist",
        form,
        lambda d: services.review_correction(
            request=correction, upheld=d["upheld"], reviewed_on=d["reviewed_on"], user=request.user
        ),
        _("The correction request is reviewed."),
    )


@login_required
@require_POST
def correction_carry_out(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    case = _case(request, pk, "blacklist")
    correction = get_object_or_404(
        CorrectionRequest.objects.filter(entry__case=case), pk=request_pk
    )
    form = _form(forms.ConfirmForm, request, case, f"carry-{correction.pk}")
    return _act(
        request,
        case,
        "blacklist",
        form,
        lambda d: services.correct_entry(request=correction, user=request.user),
        _("The entry is corrected."),
    )


# --- Restriction actions ------------------------------------------------------------------------


def _order(case: EnforcementCase, pk: int) -> RestrictionOrder:
    return get_object_or_404(RestrictionOrder.objects.filter(case=case), pk=pk)


@login_required
@require_POST
def restriction_issue(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "restriction")
    form = _form(forms.RestrictionForm, request, case)
    return _act(
        request,
        case,
        "restriction",
        form,
        lambda d: services.issue_restriction(
            case=case, respondent=d["respondent"], user=request.user, **form.names()
        ),
        _("The consumption-restriction order is issued."),
    )


@login_required
@require_POST
def restriction_lift(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    case = _case(request, pk, "restriction")
    order = _order(case, order_pk)
    form = _form(forms.LiftForm, request, case, f"lift-{order.pk}")
    return _act(
        request,
        case,
        "restriction",
        form,
        lambda d: services.lift_restriction(
            order=order, reason=d["reason"], note=d["note"], user=request.user
        ),
        _("The order is lifted."),
    )


@login_required
@require_POST
def exemption_create(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    case = _case(request, pk, "restriction")
    order = _order(case, order_pk)
    form = _form(forms.ExemptionForm, request, case, f"exemption-{order.pk}")
    return _act(
        request,
        case,
        "restriction",
        form,
        lambda d: services.request_exemption(
            order=order,
            item=d["item"],
            reason=d["reason"],
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
            user=request.user,
        ),
        _("The exemption request is recorded."),
    )


@login_required
@require_POST
def exemption_decide(request: HttpRequest, pk: int, exemption_pk: int) -> HttpResponse:
    case = _case(request, pk, "restriction")
    exemption = get_object_or_404(
        RestrictionExemption.objects.filter(order__case=case), pk=exemption_pk
    )
    form = _form(forms.DecisionForm, request, case, f"decide-{exemption.pk}")
    return _act(
        request,
        case,
        "restriction",
        form,
        lambda d: services.decide_exemption(
            exemption=exemption, approve=d["approve"], user=request.user
        ),
        _("The exemption request is decided."),
    )


@login_required
@permission_required("debtors.view_restrictionorder", raise_exception=True)
@require_GET
def restriction_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable consumption-restriction order (限制消费令)."""
    try:
        order = selectors.restriction_order(request.user, pk)
    except RestrictionOrder.DoesNotExist as exc:
        raise Http404 from exc
    roles = dict(rules.BoundRole.choices)
    context = {
        "order": order,
        "case": order.case,
        "party": order.respondent.party,
        "items": [rules.RestrictedItem(i).legal_text for i in order.items],
        "bound": [(roles.get(p["role"], p["role"]), p["name"]) for p in order.bound_persons],
    }
    return render(request, "debtors/restriction_print.html", context)


# --- Boards -------------------------------------------------------------------------------------


@login_required
@permission_required("debtors.view_freeze", raise_exception=True)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The section's home: the three boards with their counts and who is on duty."""
    user = request.user
    today = timezone.localdate()
    expiring = selectors.expiring_board(user)
    context = {
        "queue_count": selectors.queue_board(user).count(),
        "expiring_count": expiring.count(),
        "expired_count": expiring.filter(to_date__lt=today).count(),
        "deletion_count": selectors.deletion_board(user).count(),
        "overdue_count": selectors.deletion_board(user, overdue_only=True).count(),
        "on_duty": selectors.on_duty_by_court(user),
        "can_see_deletions": user.has_perm("debtors.view_deletiontask"),
    }
    if user.has_perm("debtors.view_tip"):
        context["open_tip_count"], context["overdue_tip_count"] = selectors.open_tip_counts(user)
    return render(request, "debtors/home.html", context)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    """The filters of a board, for its pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@permission_required("debtors.view_investigationrequest", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The court-wide investigation queue; the group takes requests and performs searches."""
    user = request.user
    page = _page(request, selectors.queue_board(user))
    context = {
        "page": page,
        "on_duty": selectors.on_duty_by_court(user),
        "is_investigator": user.is_superuser or user.has_role(Role.INVESTIGATOR),
    }
    return render(request, "debtors/queue.html", context)


def _queue_action(request: HttpRequest, pk: int, perform: Callable, success: str) -> HttpResponse:
    item = get_object_or_404(selectors.queue_board(request.user), pk=pk)
    try:
        perform(item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("debtors:queue")
    messages.success(request, success)
    return redirect("debtors:queue")


@login_required
@require_POST
def request_take(request: HttpRequest, pk: int) -> HttpResponse:
    return _queue_action(
        request,
        pk,
        lambda item: services.take_request(request=item, user=request.user),
        _("You took the request."),
    )


@login_required
@require_POST
def request_perform(request: HttpRequest, pk: int) -> HttpResponse:
    return _queue_action(
        request,
        pk,
        lambda item: services.perform_searches(request=item, user=request.user),
        _("The searches are done; the findings are on the case's property tab."),
    )


@login_required
@permission_required("debtors.view_freeze", raise_exception=True)
@require_GET
def expiring(request: HttpRequest) -> HttpResponse:
    """Freezes ending within the renewal lead time, and expired ones in red; htmx filters."""
    filters = forms.ExpiringFilterForm(request.GET or None)
    options: dict[str, Any] = {}
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        options = {
            "within_days": data["within"],
            "asset_class": data["asset_class"],
            "kind": data["kind"],
            "expired_only": data["expired"],
        }
    elif filters.is_bound:
        return render(
            request, "debtors/expiring.html", {"filters": filters, "page": None}, status=400
        )
    page = _page(request, selectors.expiring_board(request.user, **options))
    context = {
        "filters": filters,
        "page": page,
        "today": timezone.localdate(),
        "horizon": selectors.renewal_horizon_days()
        if options.get("within_days") is None
        else options["within_days"],
        "query": _query_without_page(request),
    }
    template = "debtors/_expiring_table.html" if request.htmx else "debtors/expiring.html"
    return render(request, template, context)


@login_required
@permission_required("debtors.view_deletiontask", raise_exception=True)
@require_GET
def deletions(request: HttpRequest) -> HttpResponse:
    """Deletion tasks of entries still listed, soonest due first; overdue ones in red."""
    overdue_only = request.GET.get("overdue") == "1"
    page = _page(request, selectors.deletion_board(request.user, overdue_only=overdue_only))
    context = {
        "page": page,
        "today": timezone.localdate(),
        "overdue_only": overdue_only,
        "query": _query_without_page(request),
    }
    template = "debtors/_deletions_table.html" if request.htmx else "debtors/deletions.html"
    return render(request, template, context)

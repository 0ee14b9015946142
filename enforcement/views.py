"""Pages of enforcement cases: the list, filing, the case file and its tabs, field work on the
phone, joint meetings and campaigns.

Views stay thin. Every case is looked up through ``selectors.visible_cases`` (another court's
case is a 404), every write goes through one service in its own transaction, a service's
``ValidationError`` comes back as form errors and ``PermissionDenied`` as a 403. A successful
POST redirects (POST-redirect-GET) with a message.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from courtexec.roles import Role
from courtexec.visibility import restrict
from enforcement import exports, forms, selectors, services
from enforcement.filtersets import CaseFilterSet
from enforcement.models import (
    Campaign,
    CaseParty,
    CoerciveMeasure,
    DeadlineExtension,
    EnforcementCase,
    FieldPhoto,
    JointMeeting,
    MeetingDecision,
    Objection,
    Ticket,
    TravelRequest,
)

PAGE_SIZE = 25
SORT_KEYS = ("number", "filed_on", "due_on", "amount")
TABS = [
    ("overview", gettext_lazy("Overview")),
    ("parties", gettext_lazy("Parties")),
    ("deadlines", gettext_lazy("Deadlines")),
    ("consultations", gettext_lazy("Consultations")),
    ("meetings", gettext_lazy("Joint meetings")),
    ("disposals", gettext_lazy("Disposals")),
    ("objections", gettext_lazy("Objections")),
    ("measures", gettext_lazy("Coercive measures")),
    ("field", gettext_lazy("Field work")),
    ("travel", gettext_lazy("Travel and tickets")),
    ("timeline", gettext_lazy("Timeline")),
    ("funds", gettext_lazy("Funds")),  # 案款: loaded from casefunds when opened (htmx)
    # The debtors app's tabs, loaded from it when opened (htmx), like the funds tab.
    ("property", gettext_lazy("Property")),  # 财产查控
    ("blacklist", gettext_lazy("Blacklist")),  # 失信名单
    ("restriction", gettext_lazy("Restriction")),  # 限制消费
    ("vehicles", gettext_lazy("Vehicles")),  # 车辆: loaded from the vehicles app (htmx)
    ("messages", gettext_lazy("Messages")),  # 联络站: loaded from the liaison app (htmx)
]
TAB_KEYS = {key for key, _label in TABS}
# Tabs served by another app, shown only to users who may open them.
TAB_PERMISSIONS = {
    "funds": "casefunds.view_deposit",
    "property": "debtors.view_freeze",
    "blacklist": "debtors.view_blacklistentry",
    "restriction": "debtors.view_restrictionorder",
    "vehicles": "vehicles.view_vehicle",
    "messages": "liaison.view_thread",
}


# --- Helpers ----------------------------------------------------------------------------------


def _case_or_404(request: HttpRequest, pk: int) -> EnforcementCase:
    try:
        return selectors.case_detail(request.user, pk)
    except EnforcementCase.DoesNotExist as exc:
        raise Http404 from exc


def _own_court(request: HttpRequest):
    if request.user.court is None:
        raise PermissionDenied(_("Your account is not attached to a court."))
    return request.user.court


def _tab_url(case: EnforcementCase, tab: str) -> str:
    return f"{reverse('enforcement:case-detail', args=[case.pk])}#{tab}"


def _query(data: QueryDict, *, drop: tuple[str, ...] = (), **add: str) -> str:
    query = data.copy()
    for key in drop:
        query.pop(key, None)
    for key, value in add.items():
        query[key] = value
    return query.urlencode()


def _roles(user) -> dict[str, bool]:
    names = {role.value for role in user.roles}
    every = user.is_superuser
    return {
        "is_president": every or Role.PRESIDENT in names,
        "is_bureau_chief": every or Role.BUREAU_CHIEF in names,
        "is_chief": every or bool({Role.BUREAU_CHIEF, Role.SECTION_CHIEF} & names),
        "can_buy_tickets": user.has_perm("enforcement.buy_tickets"),
    }


def _timeline_kinds(request: HttpRequest) -> set[str] | None:
    kinds = {kind for kind in request.GET.getlist("kind") if kind in selectors.TIMELINE_KINDS}
    return kinds or None


def _run(
    request: HttpRequest,
    case: EnforcementCase,
    form: forms.BootstrapForm,
    *,
    tab: str,
    perform: Callable[[dict], Any],
    success: Callable[[Any], str],
    next_url: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """Validate ``form``, call the service, and redirect; or show the case again with errors."""
    if form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, success(result))
            return redirect(next_url(result) if next_url else _tab_url(case, tab))
    return _render_detail(request, case, bound={form.prefix: form}, tab=tab)


# --- Case list, "my cases" and the Excel export ----------------------------------------------


def _sort_links(data: QueryDict) -> dict[str, dict[str, str]]:
    """Each sortable column's link (toggling the direction) and its current direction."""
    current = (data.get("ordering") or "").split(",")[0]
    links = {}
    for key in SORT_KEYS:
        if current == key:
            target, direction = f"-{key}", "asc"
        elif current == f"-{key}":
            target, direction = key, "desc"
        else:
            target, direction = key, ""
        links[key] = {"query": _query(data, drop=("page",), ordering=target), "dir": direction}
    return links


@login_required
@require_GET
def case_list(request: HttpRequest, mine: bool = False) -> HttpResponse:
    """Cases the user may see, filtered with the filterset the API and export share; htmx
    swaps only the table."""
    data = request.GET.copy()
    data.pop("format", None)
    cases = selectors.my_cases(request.user) if mine else selectors.visible_cases(request.user)
    cases = cases.prefetch_related(
        Prefetch("parties", queryset=CaseParty.objects.select_related("party"))
    )
    filterset = CaseFilterSet(data, queryset=cases, user=request.user)
    cases = filterset.qs
    if cases.query.order_by:
        cases = cases.order_by(*cases.query.order_by, "-pk")  # stable pages
    if request.GET.get("format") == "xlsx":
        return exports.cases_response(cases)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    today = timezone.localdate()
    for case in rows:
        links = list(case.parties.all())
        case.badge = selectors.deadline_badge(case, today)
        case.applicants = [link.party for link in links if link.role == CaseParty.Role.APPLICANT]
        case.respondents = [link.party for link in links if link.role == CaseParty.Role.RESPONDENT]
    links_data = request.GET.copy()
    links_data.pop("format", None)
    context = {
        "filterset": filterset,
        "form": forms.style_filter_form(filterset.form),
        "page": page,
        "rows": rows,
        "mine": mine,
        "filtered": any(
            value for key, value in links_data.items() if key not in ("page", "ordering")
        ),
        "page_query": _query(links_data, drop=("page",)),
        "export_query": _query(links_data, drop=("page",), format="xlsx"),
        "sort": _sort_links(links_data),
    }
    template = "enforcement/_case_table.html" if request.htmx else "enforcement/case_list.html"
    return render(request, template, context)


# --- Filing -------------------------------------------------------------------------------------


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """File a case with its applicant and respondent: parties and case in one transaction."""
    court = _own_court(request)
    if not request.user.has_perm("enforcement.add_enforcementcase"):
        raise PermissionDenied
    kwargs = {"user": request.user}
    data = request.POST if request.method == "POST" else None
    case_form = forms.CaseFilingForm(data, **kwargs)
    applicant_form = forms.ApplicantForm(data, **kwargs)
    respondent_form = forms.RespondentForm(data, **kwargs)
    every = (case_form, applicant_form, respondent_form)
    if request.method == "POST" and all([form.is_valid() for form in every]):
        target = applicant_form
        try:
            with transaction.atomic():
                applicant = applicant_form.register(court)
                target = respondent_form
                respondent = respondent_form.register(court)
                target = case_form
                payee = applicant_form.cleaned_data
                case = _file_case(
                    court, request.user, case_form.cleaned_data, applicant, payee, respondent
                )
        except ValidationError as exc:
            _filing_errors(exc, target, applicant_form)
        else:
            messages.success(
                request, _("Case filed with number %(number)s.") % {"number": case.number}
            )
            return redirect("enforcement:case-detail", pk=case.pk)
    return render(
        request,
        "enforcement/case_form.html",
        {"form": case_form, "applicant_form": applicant_form, "respondent_form": respondent_form},
    )


def _file_case(court, user, data: dict, applicant, payee: dict, respondent) -> EnforcementCase:
    return services.file_case(
        court=court,
        user=user,
        type_code=data["type_code"],
        category=data["category"],
        issuing_body=data["issuing_body"],
        instrument_number=data["instrument_number"],
        instrument_effective_on=data["instrument_effective_on"],
        instrument_kind=data["instrument_kind"],
        amount_to_enforce=data["amount_to_enforce"],
        filed_on=data["filed_on"],
        judge=data["judge"],
        assistants=list(data["assistants"]),
        flags=data["flags"],
        legacy_number=data["legacy_number"],
        parties=[
            services.PartyRole(
                party=applicant,
                role=CaseParty.Role.APPLICANT,
                payee_bank=payee["payee_bank"],
                payee_account_name=payee["payee_account_name"],
                payee_account_number=payee["payee_account_number"],
            ),
            services.PartyRole(party=respondent, role=CaseParty.Role.RESPONDENT),
        ],
    )


def _filing_errors(exc: ValidationError, target, applicant_form) -> None:
    """A filing error goes to the form it concerns; the payee account is the applicant's."""
    if target is not applicant_form and hasattr(exc, "error_dict"):
        payee = {k: v for k, v in exc.error_dict.items() if k.startswith("payee_")}
        if payee:
            forms.apply_service_errors(applicant_form, ValidationError(payee))
            rest = {k: v for k, v in exc.error_dict.items() if k not in payee}
            if not rest:
                return
            exc = ValidationError(rest)
    forms.apply_service_errors(target, exc)


@login_required
@require_GET
def party_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: who has this identity number, among the parties the user may see."""
    number = next(
        (value for key, value in request.GET.items() if key.endswith("id_number")), ""
    ).strip()
    party = None
    if number:
        party = selectors.visible_parties(request.user).filter(id_number=number.upper()).first()
    return render(request, "enforcement/_party_lookup.html", {"number": number, "party": party})


# --- The case file ------------------------------------------------------------------------------


def _render_detail(
    request: HttpRequest,
    case: EnforcementCase,
    *,
    bound: dict[str, forms.BootstrapForm] | None = None,
    tab: str = "overview",
    kinds: set[str] | None = None,
) -> HttpResponse:
    """The case file with every tab; ``bound`` holds a submitted form to show with its errors."""
    user = request.user
    bound = bound or {}
    today, now = timezone.localdate(), timezone.now()

    shown: set[str] = set()

    def form(form_class, key: str | None = None, **kwargs):
        key = key or form_class.prefix
        shown.add(key)
        return bound.get(key) or form_class(prefix=key, case=case, user=user, **kwargs)

    links = list(case.parties.all())
    extensions = list(case.extensions.select_related("requested_by", "decided_by"))
    for extension in extensions:
        if extension.status == DeadlineExtension.Status.REQUESTED:
            extension.form = form(forms.DecisionForm, f"ext-{extension.pk}")
    objections = list(case.objections.select_related("objector_party"))
    for objection in objections:
        objection.overdue = selectors.objection_overdue(objection, today)
        if objection.ruling == Objection.Ruling.PENDING:
            objection.form = form(forms.RulingForm, f"rule-{objection.pk}")
    measures = list(case.measures.select_related("subject", "approved_by", "recorded_by"))
    reviewable = (CoerciveMeasure.Kind.DETENTION, CoerciveMeasure.Kind.FINE)
    for measure in measures:
        measure.notice_late = services.family_notice_late(measure, now)
        measure.needs_approval = measure.kind in reviewable and measure.approved_at is None
        if (
            measure.kind == CoerciveMeasure.Kind.DETENTION
            and measure.approved_at
            and not measure.family_notified_at
        ):
            measure.notice_form = form(forms.FamilyNoticeForm, f"notice-{measure.pk}")
        if measure.kind in reviewable and measure.review_decided_on is None:
            measure.review_form = form(
                forms.ReviewForm,
                f"review-{measure.pk}",
                initial={"requested_on": measure.review_requested_on},
            )
    travels = list(
        case.travel_requests.select_related("requested_by", "decided_by").prefetch_related(
            "travellers",
            Prefetch("tickets", queryset=Ticket.objects.select_related("traveller", "bought_by")),
        )
    )
    for travel in travels:
        if travel.status == TravelRequest.Status.REQUESTED:
            travel.form = form(forms.DecisionForm, f"travel-{travel.pk}")
        elif travel.status in (TravelRequest.Status.APPROVED, TravelRequest.Status.TICKETED):
            travel.ticket_form = form(forms.TicketForm, f"ticket-{travel.pk}", travel=travel)
    unmet = services.unmet_termination_conditions(case, today) if case.is_open else []
    context = {
        "case": case,
        "tabs": [
            (key, label)
            for key, label in TABS
            if key not in TAB_PERMISSIONS or user.has_perm(TAB_PERMISSIONS[key])
        ],
        "active_tab": tab if tab in TAB_KEYS else "overview",
        "has_errors": bool(bound),
        "badge": selectors.deadline_badge(case, today),
        "applicants": [link for link in links if link.role == CaseParty.Role.APPLICANT],
        "respondents": [link for link in links if link.role == CaseParty.Role.RESPONDENT],
        "links": links,
        "flag_labels": [EnforcementCase.Flag(flag).label for flag in case.flags],
        "unmet": unmet,
        "milestones": [
            (forms.label(EnforcementCase, name), getattr(case, name))
            for name in services.MILESTONES
        ],
        "extension_months": services.approved_extension_months(case),
        "extensions": extensions,
        "consultations": list(
            case.consultations.select_related("recorded_by").prefetch_related("participants")
        ),
        "open_reminder": case.consultation_reminders.filter(resolved_by__isnull=True).first(),
        "decisions": list(case.meeting_decisions.select_related("meeting")),
        "disposals": list(case.disposals.select_related("ordered_by", "authorised_by__meeting")),
        "disposal_threshold": settings.JOINT_MEETING_DISPOSAL_THRESHOLD,
        "objections": objections,
        "measures": measures,
        "field_actions": list(
            case.field_actions.select_related("officer").prefetch_related("photos")
        ),
        "travels": travels,
        "timeline": selectors.case_timeline(case, kinds),
        "timeline_kinds": selectors.TIMELINE_KINDS,
        "kinds": kinds or set(),
        "resumptions": list(case.resumptions.all()),
        "close_form": form(forms.CloseForm),
        "resume_form": form(forms.ResumeForm),
        "suspend_form": form(forms.SuspendForm),
        "reassign_form": form(forms.ReassignForm),
        "can_reassign": user.is_superuser
        or user.has_role(Role.BUREAU_CHIEF)
        or user.has_role(Role.SECTION_CHIEF),
        "milestone_form": form(forms.MilestoneForm),
        "performance_form": form(forms.PerformanceForm),
        "extension_form": form(forms.ExtensionRequestForm),
        "consultation_form": form(forms.ConsultationForm),
        "party_form": form(forms.CasePartyForm),
        "agenda_form": form(forms.AgendaForm),
        "disposal_form": form(forms.DisposalForm),
        "objection_form": form(forms.ObjectionForm),
        "measure_form": form(forms.MeasureForm),
        "travel_form": form(forms.TravelForm),
        **_roles(user),
    }
    context["stray_errors"] = forms.stray_errors(bound, shown)
    return render(request, "enforcement/case_detail.html", context)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    tab = "timeline" if "kind" in request.GET else request.GET.get("tab", "overview")
    return _render_detail(request, case, tab=tab, kinds=_timeline_kinds(request))


@login_required
@require_GET
def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """Every event of the case, newest first, filtered by ``?kind=``; htmx gets the list only."""
    case = _case_or_404(request, pk)
    kinds = _timeline_kinds(request)
    context = {
        "case": case,
        "timeline": selectors.case_timeline(case, kinds),
        "timeline_kinds": selectors.TIMELINE_KINDS,
        "kinds": kinds or set(),
    }
    template = "enforcement/_timeline.html" if request.htmx else "enforcement/timeline.html"
    return render(request, template, context)


# --- Case actions (each a POST from a tab of the case file) -----------------------------------


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.CloseForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="overview",
        perform=lambda d: services.close_case(
            case=case, user=request.user, mode=d["mode"], reason=d["reason"], on=d["on"]
        ),
        success=lambda c: (
            _("Case %(number)s concluded: %(mode)s.")
            % {"number": c.number, "mode": c.get_closure_mode_display()}
        ),
    )


@login_required
@require_POST
def case_resume(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.ResumeForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="overview",
        perform=lambda d: services.resume_case(case=case, user=request.user, reason=d["reason"]),
        success=lambda c: _("Enforcement resumed as case %(number)s.") % {"number": c.number},
        next_url=lambda c: reverse("enforcement:case-detail", args=[c.pk]),
    )


def _suspension(request: HttpRequest, pk: int, suspended: bool) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.SuspendForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="overview",
        perform=lambda d: services.set_suspended(
            case=case, user=request.user, suspended=suspended, reason=d["reason"]
        ),
        success=lambda c: _("Enforcement suspended.") if suspended else _("Enforcement continues."),
    )


@login_required
@require_POST
def case_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspension(request, pk, True)


@login_required
@require_POST
def case_continue(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspension(request, pk, False)


@login_required
@require_POST
def case_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.ReassignForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="overview",
        perform=lambda d: services.reassign_case(
            case=case,
            user=request.user,
            judge=d["judge"],
            assistants=list(d["assistants"]),
            reason=d["reason"],
        ),
        success=lambda c: _("The case now lies with %(judge)s.") % {"judge": c.judge},
    )


@login_required
@require_POST
def case_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.MilestoneForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="overview",
        perform=lambda d: services.record_milestone(
            case=case, user=request.user, milestone=d["milestone"], on=d["on"]
        ),
        success=lambda c: _("Procedural step recorded."),
    )


@login_required
@require_POST
def case_no_blacklist_grounds(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    try:
        services.record_no_blacklist_grounds(case=case, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Recorded that there are no grounds for blacklisting."))
    return redirect(_tab_url(case, "overview"))


@login_required
@require_POST
def case_performance(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.PerformanceForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="overview",
        perform=lambda d: services.record_performance(
            case=case, user=request.user, amount=d["amount"], note=d["note"]
        ),
        success=lambda c: (
            _("Performance recorded; %(amount)s yuan still to be performed.")
            % {"amount": f"{c.outstanding:,.2f}"}
        ),
    )


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.ExtensionRequestForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="deadlines",
        perform=lambda d: services.request_extension(
            case=case, user=request.user, months=d["months"], reason=d["reason"]
        ),
        success=lambda e: _("Extension requested; the court president decides."),
    )


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    extension = get_object_or_404(case.extensions, pk=extension_pk)
    form = forms.DecisionForm(
        request.POST, prefix=f"ext-{extension.pk}", case=case, user=request.user
    )
    return _run(
        request,
        case,
        form,
        tab="deadlines",
        perform=lambda d: services.decide_extension(
            extension=extension,
            user=request.user,
            approve=d["decision"] == "approve",
            note=d["note"],
        ),
        success=lambda e: _("Extension %(status)s.") % {"status": e.get_status_display()},
    )


@login_required
@require_POST
def case_party_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A further party joins the case: found by identity number or registered, then linked."""
    case = _case_or_404(request, pk)
    form = forms.CasePartyForm(request.POST, prefix="party", case=case, user=request.user)

    def perform(data: dict) -> CaseParty:
        with transaction.atomic():
            return services.add_case_party(
                case=case,
                user=request.user,
                link=services.PartyRole(
                    party=form.register(case.court),
                    role=data["role"],
                    payee_bank=data["payee_bank"],
                    payee_account_name=data["payee_account_name"],
                    payee_account_number=data["payee_account_number"],
                ),
            )

    return _run(
        request,
        case,
        form,
        tab="parties",
        perform=perform,
        success=lambda link: (
            _("%(party)s joined the case as %(role)s.")
            % {"party": link.party, "role": link.get_role_display()}
        ),
    )


@login_required
@require_POST
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.ConsultationForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="consultations",
        perform=lambda d: services.record_consultation(
            case=case,
            user=request.user,
            held_on=d["held_on"],
            participants=list(d["participants"]),
            findings=d["findings"],
            next_steps=d["next_steps"],
            follow_up_due=d["follow_up_due"],
        ),
        success=lambda c: _("Consultation recorded."),
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.AgendaForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="meetings",
        perform=lambda d: services.put_on_agenda(
            meeting=d["meeting"], case=case, user=request.user, matter=d["matter"]
        ),
        success=lambda item: (
            _("Put on the agenda of the meeting of %(date)s.")
            % {"date": f"{item.meeting.held_on:%Y-%m-%d}"}
        ),
    )


@login_required
@require_POST
def disposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.DisposalForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="disposals",
        perform=lambda d: services.order_disposal(
            case=case, user=request.user, description=d["description"], amount=d["amount"]
        ),
        success=lambda d: _("Disposal ordered."),
    )


@login_required
@require_POST
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.ObjectionForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="objections",
        perform=lambda d: services.file_objection(
            case=case,
            user=request.user,
            objector_name=d["objector_name"],
            contested_act=d["contested_act"],
            filed_on=d["filed_on"],
            objector_party=d["objector_party"],
        ),
        success=lambda o: (
            _("Objection filed; review due on %(date)s.") % {"date": f"{o.review_due_on:%Y-%m-%d}"}
        ),
    )


@login_required
@require_POST
def objection_rule(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    objection = get_object_or_404(case.objections, pk=objection_pk)
    form = forms.RulingForm(
        request.POST, prefix=f"rule-{objection.pk}", case=case, user=request.user
    )
    return _run(
        request,
        case,
        form,
        tab="objections",
        perform=lambda d: services.rule_on_objection(
            objection=objection,
            user=request.user,
            ruling=d["ruling"],
            reason=d["reason"],
            ruled_on=d["ruled_on"],
        ),
        success=lambda o: _("Ruling recorded: %(ruling)s.") % {"ruling": o.get_ruling_display()},
    )


@login_required
@require_POST
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.MeasureForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="measures",
        perform=lambda d: services.decide_measure(
            case=case,
            user=request.user,
            kind=d["kind"],
            subject=d["subject"],
            reason=d["reason"],
            decided_on=d["decided_on"],
            detention_days=d["detention_days"],
            fine_amount=d["fine_amount"],
        ),
        success=lambda m: _("%(measure)s decided.") % {"measure": m.get_kind_display()},
    )


@login_required
@require_POST
def measure_approve(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    measure = get_object_or_404(case.measures, pk=measure_pk)
    try:
        services.approve_measure(measure=measure, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Approved by the court president."))
    return redirect(_tab_url(case, "measures"))


@login_required
@require_POST
def measure_family_notice(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    measure = get_object_or_404(case.measures, pk=measure_pk)
    form = forms.FamilyNoticeForm(
        request.POST, prefix=f"notice-{measure.pk}", case=case, user=request.user
    )
    return _run(
        request,
        case,
        form,
        tab="measures",
        perform=lambda d: services.record_family_notice(
            measure=measure, user=request.user, notified_at=d["notified_at"]
        ),
        success=lambda m: _("Family notice recorded."),
    )


@login_required
@require_POST
def measure_review(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    measure = get_object_or_404(case.measures, pk=measure_pk)
    form = forms.ReviewForm(
        request.POST, prefix=f"review-{measure.pk}", case=case, user=request.user
    )
    return _run(
        request,
        case,
        form,
        tab="measures",
        perform=lambda d: services.record_review(
            measure=measure,
            user=request.user,
            requested_on=d["requested_on"],
            decided_on=d["decided_on"],
        ),
        success=lambda m: _("Higher-court review recorded."),
    )


@login_required
@require_POST
def travel_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.TravelForm(request.POST, case=case, user=request.user)
    return _run(
        request,
        case,
        form,
        tab="travel",
        perform=lambda d: services.request_travel(
            case=case,
            user=request.user,
            destination=d["destination"],
            purpose=d["purpose"],
            depart_on=d["depart_on"],
            return_on=d["return_on"],
            travellers=list(d["travellers"]),
        ),
        success=lambda t: _("Trip requested; the bureau chief decides."),
    )


@login_required
@require_POST
def travel_decide(request: HttpRequest, pk: int, travel_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    travel = get_object_or_404(case.travel_requests, pk=travel_pk)
    form = forms.DecisionForm(
        request.POST, prefix=f"travel-{travel.pk}", case=case, user=request.user
    )
    return _run(
        request,
        case,
        form,
        tab="travel",
        perform=lambda d: services.decide_travel(
            travel=travel, user=request.user, approve=d["decision"] == "approve"
        ),
        success=lambda t: _("Trip %(status)s.") % {"status": t.get_status_display()},
    )


@login_required
@require_POST
def ticket_create(request: HttpRequest, pk: int, travel_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    travel = get_object_or_404(case.travel_requests, pk=travel_pk)
    form = forms.TicketForm(
        request.POST, prefix=f"ticket-{travel.pk}", case=case, user=request.user, travel=travel
    )
    return _run(
        request,
        case,
        form,
        tab="travel",
        perform=lambda d: services.record_ticket(
            travel=travel,
            user=request.user,
            traveller=d["traveller"],
            mode=d["mode"],
            reference=d["reference"],
            travel_on=d["travel_on"],
            price=d["price"],
        ),
        success=lambda t: _("Ticket %(reference)s recorded.") % {"reference": t.reference},
    )


# --- Field work from the phone ------------------------------------------------------------------


@login_required
def field_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The mobile page: what was done, where (with the phone's position), who, and photos."""
    case = _case_or_404(request, pk)
    if not request.user.has_perm("enforcement.add_fieldaction"):
        raise PermissionDenied
    form = forms.FieldActionForm(
        request.POST or None, request.FILES or None, case=case, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.record_field_action(
                case=case,
                user=request.user,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                place=data["place"],
                participants=data["participants"],
                notes=data["notes"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            count = action.photos.count()
            messages.success(
                request,
                _("Field action recorded with %(count)d photo(s).") % {"count": count},
            )
            return redirect(_tab_url(case, "field"))
    return render(request, "enforcement/field_action_form.html", {"case": case, "form": form})


# --- Joint meetings (局长、科长联席会议) -------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = restrict(
        JointMeeting.objects.select_related("chaired_by", "court")
        .annotate(items=Count("decisions"))
        .order_by("-held_on", "-pk"),
        request.user,
    )
    form = (
        forms.MeetingForm(request.POST or None, user=request.user) if request.user.court else None
    )
    if request.method == "POST":
        court = _own_court(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.convene_meeting(
                    court=court,
                    user=request.user,
                    held_on=data["held_on"],
                    attendees=list(data["attendees"]),
                )
            except ValidationError as exc:
                forms.apply_service_errors(form, exc)
            else:
                messages.success(request, _("Joint meeting convened."))
                return redirect("enforcement:meeting-detail", pk=meeting.pk)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/meeting_list.html",
        {"page": page, "form": form, **_roles(request.user)},
    )


def _meeting_or_404(request: HttpRequest, pk: int) -> JointMeeting:
    meetings = restrict(
        JointMeeting.objects.select_related("chaired_by", "court").prefetch_related("attendees"),
        request.user,
    )
    return get_object_or_404(meetings, pk=pk)


def _render_meeting(request, meeting, bound: dict | None = None) -> HttpResponse:
    bound = bound or {}
    items = list(restrict(meeting.decisions.select_related("case"), request.user).order_by("pk"))
    for item in items:
        if item.decision == MeetingDecision.Decision.PENDING:
            key = f"item-{item.pk}"
            item.form = bound.get(key) or forms.MeetingDecisionForm(prefix=key, user=request.user)
    return render(
        request,
        "enforcement/meeting_detail.html",
        {"meeting": meeting, "items": items, **_roles(request.user)},
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, _meeting_or_404(request, pk))


@login_required
@require_POST
def meeting_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    item = get_object_or_404(
        restrict(meeting.decisions.select_related("case"), request.user), pk=item_pk
    )
    form = forms.MeetingDecisionForm(request.POST, prefix=f"item-{item.pk}", user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_meeting_decision(
                item=item,
                user=request.user,
                decision=data["decision"],
                discussion=data["discussion"],
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                abstentions=data["abstentions"],
                approved_amount=data["approved_amount"],
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded for %(case)s.") % {"case": item.case})
            return redirect("enforcement:meeting-detail", pk=meeting.pk)
    return _render_meeting(request, meeting, {form.prefix: form})


# --- Campaigns (专项执行活动) -------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = restrict(Campaign.objects.select_related("court"), request.user)
    form = forms.CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST":
        court = _own_court(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.create_campaign(
                    court=court,
                    user=request.user,
                    name=data["name"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    categories=data["categories"],
                    description=data["description"],
                )
            except ValidationError as exc:
                forms.apply_service_errors(form, exc)
            else:
                messages.success(request, _("Campaign created."))
                return redirect("enforcement:campaign-detail", pk=campaign.pk)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/campaign_list.html",
        {"page": page, "form": form, **_roles(request.user)},
    )


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(
        restrict(Campaign.objects.select_related("court"), request.user), pk=pk
    )
    figures = selectors.campaign_figures(campaign)
    tiles = [
        ("cases_concluded", _("Cases concluded"), figures.cases_concluded),
        ("detentions", _("Detentions"), figures.detentions),
        ("blacklist_entries", _("Blacklist entries"), figures.blacklist_entries),
        ("police_transfers", _("Transfers to police"), figures.police_transfers),
    ]
    labels = dict(EnforcementCase.Category.choices)
    return render(
        request,
        "enforcement/campaign_detail.html",
        {
            "campaign": campaign,
            "tiles": tiles,
            "categories": [labels.get(c, c) for c in campaign.categories],
            "chart": {
                "labels": [str(label) for _key, label, _value in tiles],
                "values": [value for _key, _label, value in tiles],
            },
        },
    )


@login_required
@require_GET
def field_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A field photo, for staff of the courts that may see its case only."""
    return field_photo_response(
        get_object_or_404(selectors.visible_field_photos(request.user), pk=pk)
    )


def field_photo_response(photo: FieldPhoto) -> FileResponse:
    """The photo file itself; callers have checked that the user may see it."""
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=mimetypes.guess_type(photo.image.name)[0])
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Callout pages (出警): the board of open callouts with a countdown to each handover deadline,
the intake of a police call, the detail with its timeline and steps (htmx), the printable
hand-over document for a requesting court. Thin: ``standby.services`` decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casefunds.services import Conflict
from courtexec.roles import Role
from enforcement.forms import apply_service_errors
from standby import selectors, services
from standby.forms_callouts import HandOverForm, OutcomeForm, ReportCalloutForm
from standby.models import Callout

FILTERS = ("all", "assist", "own", "overdue", "closed")
EVENT_LABELS = {
    "reported": _lazy("Reported"),
    "matched": _lazy("Matched to this court's records"),
    "notified": _lazy("Team notified"),
    "escalated": _lazy("Escalated"),
    "acknowledged": _lazy("Acknowledged"),
    "dispatched": _lazy("Team dispatched"),
    "handed_over": _lazy("Handed over"),
    "outcome": _lazy("Outcome"),
    "deadline_warning": _lazy("Deadline warning"),
    "deadline_missed": _lazy("Deadline missed"),
}


def _may(user, permission: str) -> bool:
    return user.is_superuser or user.has_perm(permission)


def _may_work(user) -> bool:
    return _may(user, "standby.change_callout") and not (
        user.has_role(Role.POLICE_LIAISON) and not user.is_superuser
    )


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _callout_or_404(request: HttpRequest, pk: int) -> Callout:
    return get_object_or_404(selectors.visible_callouts(request.user), pk=pk)


@login_required
@require_GET
def callout_board(request: HttpRequest) -> HttpResponse:
    if not _may(request.user, "standby.view_callout"):
        raise PermissionDenied
    show = request.GET.get("show", "all")
    show = show if show in FILTERS else "all"
    now = timezone.now()
    if show == "closed":
        callouts = selectors.visible_callouts(request.user).filter(status=Callout.Status.CLOSED)[
            :100
        ]
    else:
        callouts = selectors.open_callouts(request.user)
        if show == "assist":
            callouts = callouts.exclude(requesting_court_name="")
        elif show == "own":
            callouts = callouts.filter(requesting_court_name="")
        elif show == "overdue":
            callouts = callouts.filter(handover_deadline__lt=now, handed_over_at__isnull=True)
    rows = list(callouts)
    for callout in rows:
        callout.overdue = callout.handed_over_at is None and callout.handover_deadline < now
    context = {
        "rows": rows,
        "show": show,
        "filters": [
            ("all", _("Open")),
            ("own", _("This court's")),
            ("assist", _("Assists")),
            ("overdue", _("Overdue")),
            ("closed", _("Closed")),
        ],
        "may_report": _may(request.user, "standby.add_callout"),
    }
    return render(request, "standby/callouts/board.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def callout_report(request: HttpRequest) -> HttpResponse:
    """Staff log the police's call (or the police liaison reports directly)."""
    if not _may(request.user, "standby.add_callout") or request.user.court_id is None:
        raise PermissionDenied
    form = ReportCalloutForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            callout = services.report_callout(
                court=request.user.court,
                user=request.user,
                report=services.CalloutReport(**form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Callout %(reference)s recorded; the team on duty is told.")
                % {"reference": callout.reference},
            )
            return redirect("standby:callout-detail", pk=callout.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "standby/callouts/report.html", {"form": form}, status=status)


def _render_detail(request, callout: Callout, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    user = request.user
    may_work = _may_work(user) and callout.court_id == user.court_id
    context = {
        "callout": callout,
        "match": selectors.callout_match(callout),
        "events": [
            (event, EVENT_LABELS.get(event.kind, event.kind))
            for event in callout.events.select_related("by")
        ],
        "overdue": callout.handed_over_at is None and callout.handover_deadline < timezone.now(),
        "may_work": may_work,
        "handover_form": bound.get("handover") or HandOverForm(user=user),
        "outcome_form": bound.get("outcome") or OutcomeForm(user=user, callout=callout),
        "conflict": bound.get("conflict"),
        "amount_yuan": _yuan(callout.amount_paid),
    }
    template = "standby/callouts/_work.html" if request.htmx else "standby/callouts/detail.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def callout_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _callout_or_404(request, pk))


STEPS = {
    "acknowledge": services.acknowledge_callout,
    "dispatch": services.dispatch_callout,
}


@login_required
@require_POST
def callout_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Acknowledge, dispatch or hand over (htmx swaps the work panel; 409 in the wrong state)."""
    callout = _callout_or_404(request, pk)
    bound: dict = {}
    try:
        if step == "hand-over":
            form = HandOverForm(request.POST, user=request.user)
            bound["handover"] = form
            if not form.is_valid():
                return _render_detail(request, callout, bound=bound, status=400)
            callout = services.hand_over_callout(
                callout=callout,
                user=request.user,
                taken_over_by=form.cleaned_data["taken_over_by"],
                place=form.cleaned_data["place"],
            )
        elif step in STEPS:
            callout = STEPS[step](callout=callout, user=request.user)
        else:
            return HttpResponse(status=404)
    except Conflict as exc:
        bound["conflict"] = exc.message
        return _render_detail(request, _callout_or_404(request, pk), bound=bound, status=409)
    except ValidationError as exc:
        if "handover" in bound:
            apply_service_errors(bound["handover"], exc)
        return _render_detail(request, callout, bound=bound, status=400)
    if request.htmx:
        return _render_detail(request, _callout_or_404(request, pk))
    return redirect("standby:callout-detail", pk=pk)


@login_required
@require_POST
def callout_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    callout = _callout_or_404(request, pk)
    form = OutcomeForm(request.POST, user=request.user, callout=callout)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_outcome(
                callout=callout,
                user=request.user,
                outcome=services.Outcome(
                    outcome=data["outcome"],
                    note=data["note"],
                    amount=data["amount"],
                    received_by=data["received_by"],
                    second_officer=data["second_officer"],
                    promise_due_on=data["promise_due_on"],
                    measure=data["measure"],
                    detention_days=data["detention_days"],
                    transfer_recipient=data["transfer_recipient"],
                ),
            )
        except Conflict as exc:
            return _render_detail(request, callout, bound={"conflict": exc.message}, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The outcome is recorded; the callout is closed."))
            return redirect("standby:callout-detail", pk=pk)
    return _render_detail(request, callout, bound={"outcome": form}, status=400)


@login_required
@require_GET
def callout_handover_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable hand-over record (移交记录) for the requesting court of an assist."""
    callout = _callout_or_404(request, pk)
    if callout.handed_over_at is None:
        messages.warning(
            request, _("The hand-over document exists once the person is handed over.")
        )
        return redirect("standby:callout-detail", pk=pk)
    context = {"callout": callout, "amount_yuan": _yuan(callout.amount_paid)}
    return render(request, "standby/callouts/handover_document.html", context)

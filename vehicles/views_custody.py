"""Pages of the impound lifecycle: the seizure and each later step as a phone-first form, the
custody panel of the vehicle page (state, allowed actions, the chain as a timeline) and the
custodian portal. Thin: ``vehicles.rules`` says what is allowed, ``vehicles.services`` does it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casefunds.services import Conflict
from enforcement.forms import apply_service_errors
from vehicles import rules, selectors, services
from vehicles.forms_custody import SeizeForm, step_form
from vehicles.models import Impound, Vehicle
from vehicles.views import vehicle_panel


def _actions(request: HttpRequest, impound: Impound) -> list[tuple[str, str]]:
    """The actions to offer this user: allowed by the state, and by the user's permission."""
    user = request.user
    custodian_user = selectors.is_custodian_user(user)

    def may(action: str) -> bool:
        if action == "approve-tow":
            return user.has_perm("vehicles.approve_tow") and user.pk != impound.recorded_by_id
        return user.has_perm("vehicles.change_impound")

    return [
        (action, rules.TRANSITIONS[action].label)
        for action in rules.allowed_actions(impound, custodian_user=custodian_user)
        if may(action)
    ]


@vehicle_panel("vehicles/custody/_panel.html", order=20)
def custody_panel(request: HttpRequest, vehicle: Vehicle) -> dict:
    impound = selectors.current_impound(request.user, vehicle)
    may_seize = (
        request.user.has_perm("vehicles.add_impound")
        and not selectors.is_custodian_user(request.user)
        and (impound is None or not impound.is_open)
    )
    return {
        "impound": impound,
        "events": list(selectors.chain_of_custody(impound)) if impound else [],
        "actions": _actions(request, impound) if impound else [],
        "may_seize": may_seize,
    }


def _submit(form, write) -> int | None:
    """Give a valid form's data to ``write`` (a service call); ``None`` when it is done, else
    the status to answer with the form: 400 invalid, 409 a step the state does not allow."""
    if not form.is_valid():
        return 400
    try:
        write(form.cleaned_data)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return 409
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return 400
    return None


@login_required
@require_http_methods(["GET", "POST"])
def seize(request: HttpRequest, pk: int) -> HttpResponse:
    """扣押 in the field: the officer's phone, the camera, the damage checklist."""
    if not request.user.has_perm("vehicles.add_impound") or selectors.is_custodian_user(
        request.user
    ):
        raise PermissionDenied
    vehicle = get_object_or_404(selectors.visible_vehicles(request.user), pk=pk)
    posted = request.method == "POST"
    form = SeizeForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        user=request.user,
        vehicle=vehicle,
    )
    status = 200
    if request.method == "POST":
        status = _submit(
            form, lambda data: services.seize(vehicle=vehicle, user=request.user, **data)
        )
        if status is None:
            messages.success(request, _("The seizure is recorded."))
            return redirect(vehicle)
    context = {"vehicle": vehicle, "form": form, "title": _("Seize the vehicle")}
    return render(request, "vehicles/custody/seize.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the lifecycle; an action the state no longer allows is shown as an error."""
    if action not in rules.TRANSITIONS:
        raise Http404
    impound = get_object_or_404(selectors.visible_impounds(request.user), pk=pk)
    posted = request.method == "POST"
    form = step_form(
        action,
        request.POST if posted else None,
        request.FILES if posted else None,
        impound=impound,
        user=request.user,
    )
    status = 200
    if request.method == "POST":
        service = services.LIFECYCLE_SERVICES[action]
        status = _submit(form, lambda data: service(impound=impound, user=request.user, **data))
        if status is None:
            messages.success(
                request, _("Recorded: %(step)s.") % {"step": rules.TRANSITIONS[action].label}
            )
            if selectors.is_custodian_user(request.user):
                return redirect("vehicles:custody-portal")
            return redirect(impound.vehicle)
    context = {
        "impound": impound,
        "vehicle": impound.vehicle,
        "form": form,
        "action": action,
        "title": rules.TRANSITIONS[action].label,
        "signature": "signature" in form.fields,
    }
    return render(request, "vehicles/custody/step.html", context, status=status)


@login_required
@require_GET
def portal(request: HttpRequest) -> HttpResponse:
    """保管单位门户: the custodian's vehicles arriving and kept, with intake and hand-overs."""
    if not request.user.has_perm("vehicles.view_impound"):
        raise PermissionDenied
    lists = selectors.custody_portal(request.user)
    rows = {
        name: [(impound, _actions(request, impound)) for impound in queryset[:200]]
        for name, queryset in lists.items()
    }
    return render(request, "vehicles/custody/portal.html", {"rows": rows})

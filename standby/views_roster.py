"""Roster pages (备勤表): the calendar (week and month), my shifts with the calendar feed, swap
requests, the override form and the bureau chief's teams and rotation. Thin: services decide."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courtexec.roles import Role
from standby import ical, selectors, services
from standby.forms_roster import OverrideForm, RotationForm, SwapForm, TeamForm
from standby.models import Rotation, Shift, ShiftSwap, StandbyTeam

VIEW = "standby.view_shift"


def _staff(request: HttpRequest):
    if request.user.court_id is None or not request.user.has_perm(VIEW):
        raise PermissionDenied
    return request.user.court


def _chief(request: HttpRequest) -> bool:
    return request.user.is_superuser or request.user.has_role(Role.BUREAU_CHIEF)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


# Calendar ---------------------------------------------------------------------------------------


@login_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    """Week (default) or month view; each day lists the shifts starting that day with their
    three people; today is highlighted and gaps are marked."""
    court = _staff(request)
    mode = "month" if request.GET.get("view") == "month" else "week"
    today = timezone.localdate()
    try:
        anchor = parse_date(request.GET.get("date", "")) or today
    except ValueError:
        anchor = today
    anchor = max(min(anchor, dt.date(9000, 1, 1)), dt.date(1900, 1, 1))
    if mode == "week":
        first = anchor - dt.timedelta(days=anchor.weekday())
        last = first + dt.timedelta(days=6)
        previous, following = first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    else:
        first = anchor.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
    start, end = _local_midnight(first), _local_midnight(last + dt.timedelta(days=1))
    shifts = list(selectors.shifts_between(court, start, end))
    gaps = selectors.gaps(court, start, end)
    days = []
    day = first
    while day <= last:
        day_start, day_end = _local_midnight(day), _local_midnight(day + dt.timedelta(days=1))
        days.append(
            {
                "date": day,
                "today": day == today,
                "shifts": [
                    s for s in shifts if day_start <= s.starts_at < day_end or (
                        s.starts_at < start and day == first
                    )
                ],
                "gap": any(g_start < day_end and g_end > day_start for g_start, g_end in gaps),
            }
        )  # fmt: skip
        day += dt.timedelta(days=1)
    weeks = []
    if mode == "month":
        lead = [None] * first.weekday()
        cells = lead + days
        cells += [None] * (-len(cells) % 7)
        weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    context = {
        "mode": mode,
        "days": days,
        "weeks": weeks,
        "first": first,
        "last": last,
        "previous": previous,
        "following": following,
        "today": today,
        "gaps": [(timezone.localtime(a), timezone.localtime(b)) for a, b in gaps],
        "on_duty": selectors.shift_at(court, timezone.now()),
        "is_chief": _chief(request),
    }
    return render(request, "standby/roster.html", context)


# My shifts and the calendar feed ----------------------------------------------------------------


@login_required
@require_GET
def my_shifts(request: HttpRequest) -> HttpResponse:
    _staff(request)
    now = timezone.now()
    shifts = list(selectors.shifts_of(request.user, now)[:60])
    for shift in shifts:
        shift.my_place = services.place_of(shift, request.user)
    feed = services.calendar_feed(user=request.user)
    context = {
        "shifts": shifts,
        "feed_url": request.build_absolute_uri(reverse("standby:ical", args=[feed.token])),
        "now": now,
    }
    return render(request, "standby/my_shifts.html", context)


@login_required
@require_POST
def feed_action(request: HttpRequest, action: str) -> HttpResponse:
    _staff(request)
    if action == "regenerate":
        services.calendar_feed(user=request.user, regenerate=True)
        messages.success(request, _("A new calendar address was made; the old one stops working."))
    elif action == "revoke":
        services.revoke_calendar_feed(user=request.user)
        messages.success(request, _("Your calendar address was revoked."))
    else:
        raise Http404
    return redirect("standby:my-shifts")


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret address: no login (calendar apps cannot log in); revoked or unknown → 404."""
    feed = selectors.live_feed(token)
    if feed is None or not feed.user.is_active:
        raise Http404
    since = timezone.now() - dt.timedelta(days=90)
    text = ical.feed(feed.user, selectors.shifts_of(feed.user, since), host=request.get_host())
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="standby.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# Swaps ------------------------------------------------------------------------------------------


@login_required
@require_GET
def swaps(request: HttpRequest) -> HttpResponse:
    _staff(request)
    found = list(selectors.swaps_for(request.user)[:100])
    return render(
        request,
        "standby/swaps.html",
        {"swaps": found, "is_chief": _chief(request), "open": ShiftSwap.OPEN},
    )


@login_required
def swap_new(request: HttpRequest, shift_id: int) -> HttpResponse:
    court = _staff(request)
    shift = get_object_or_404(Shift, pk=shift_id, court=court)
    place = services.place_of(shift, request.user)
    if place is None:
        raise Http404
    form = SwapForm(request.POST or None, user=request.user, shift=shift, place=place)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_swap(user=request.user, shift=shift, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your swap request was sent."))
            return redirect("standby:swaps")
    return render(request, "standby/swap_form.html", {"form": form, "shift": shift})


@login_required
@require_POST
def swap_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _staff(request)
    swap = selectors.swaps_for(request.user).filter(pk=pk).first()
    if swap is None or action not in ("accept", "approve", "refuse", "withdraw"):
        raise Http404
    act = getattr(services, f"{action}_swap")
    try:
        act(user=request.user, swap=swap)
    except services.Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("standby:swaps")


# Bureau chief: overrides, teams, rotation -------------------------------------------------------


@login_required
def override_new(request: HttpRequest) -> HttpResponse:
    court = _staff(request)
    if not request.user.has_perm("standby.change_shift"):
        raise PermissionDenied
    form = OverrideForm(request.POST or None, court=court)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_override(user=request.user, court=court, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        except services.Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The override was applied to the roster."))
            return redirect("standby:roster")
    return render(request, "standby/override_form.html", {"form": form})


@login_required
@require_GET
def teams(request: HttpRequest) -> HttpResponse:
    court = _staff(request)
    found = StandbyTeam.objects.filter(court=court).select_related("leader", "judge", "police")
    rotation = Rotation.objects.filter(court=court).first()
    slots = list(rotation.slots.select_related("team")) if rotation else []
    return render(
        request,
        "standby/teams.html",
        {
            "teams": found,
            "rotation": rotation,
            "slots": slots,
            "can_edit": request.user.has_perm("standby.change_standbyteam"),
        },
    )


@login_required
def team_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    court = _staff(request)
    team = get_object_or_404(StandbyTeam, pk=pk, court=court) if pk else None
    if not request.user.has_perm(
        "standby.change_standbyteam" if team else "standby.add_standbyteam"
    ):
        raise PermissionDenied
    initial = (
        {"name": team.name, "leader": team.leader, "judge": team.judge, "police": team.police,
         "active": team.active} if team else None
    )  # fmt: skip
    form = TeamForm(request.POST or None, court=court, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_team(user=request.user, court=court, team=team, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The team was saved."))
            return redirect("standby:teams")
    return render(request, "standby/team_form.html", {"form": form, "team": team})


@login_required
def rotation_edit(request: HttpRequest) -> HttpResponse:
    court = _staff(request)
    if not request.user.has_perm("standby.change_rotation"):
        raise PermissionDenied
    rotation = Rotation.objects.filter(court=court).first()
    form = RotationForm(request.POST or None, court=court, rotation=rotation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_rotation(
                user=request.user,
                court=court,
                teams=data["teams"],
                shift_hours=data["shift_hours"],
                starts_on=data["starts_on"],
                start_time=data["start_time"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The rotation was saved; future shifts were regenerated."))
            return redirect("standby:roster")
    return render(request, "standby/rotation_form.html", {"form": form})

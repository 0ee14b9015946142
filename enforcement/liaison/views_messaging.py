"""Pages of case messaging (一对一沟通): the party's thread on the portal, and for staff the
liaison inbox, the thread page, the case page's Messages tab and the reply-time figures. Thin:
reads through ``selectors`` (a thread or file nobody may see is a 404), writes through
``services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enforcement import selectors as case_selectors
from enforcement.forms import apply_service_errors
from enforcement.liaison import selectors, services
from enforcement.liaison.forms_messaging import InboxFilterForm, MessageForm, PeriodForm
from enforcement.liaison.messaging_files import attachment_response
from enforcement.liaison.models import Message
from enforcement.liaison.portal import party_required
from enforcement.models import EnforcementCase

PAGE_SIZE = 25
VIEW_THREAD = "liaison.view_thread"


def _send(form: MessageForm, post) -> bool:
    """Validate the form and call the service; its field errors land on the form."""
    if not form.is_valid():
        return False
    try:
        post(text=form.cleaned_data["text"], attachments=form.cleaned_data["attachments"])
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False
    return True


def _thread_page(request: HttpRequest, template: str, context: dict, form: MessageForm):
    """The whole page, or for htmx (the periodic refresh, a send) only the conversation."""
    context = {**context, "form": form}
    if request.htmx:
        return render(request, "liaison/messaging/_conversation.html", context)
    return render(request, template, context)


# --- The party's side (portal) ---------------------------------------------------------------


@party_required
@require_http_methods(["GET", "POST"])
def portal_thread(request: HttpRequest, case_pk: int) -> HttpResponse:
    account = request.portal_account
    case = selectors.party_case(account, case_pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        post = lambda **kw: services.post_party_message(account=account, case=case, **kw)  # noqa: E731
        if _send(form, post):
            if not request.htmx:
                return redirect("liaison:portal-thread", case_pk=case.pk)
            form = MessageForm()
    thread = selectors.party_thread(account, case)
    if thread is not None:
        services.mark_read_by_party(account=account, thread=thread)
    context = {
        "case": case,
        "thread": thread,
        "messages_list": selectors.thread_messages(thread) if thread else [],
        "mine": Message.Author.PARTY,
        "post_url": request.path,
        "attachment_url": "liaison:portal-attachment",
        "closed": not case.is_open,
    }
    return _thread_page(request, "liaison/messaging/portal_thread.html", context, form)


@party_required
@require_GET
def portal_attachment(request: HttpRequest, pk: int) -> FileResponse:
    return attachment_response(selectors.party_attachment(request.portal_account, pk))


# --- The court's side ------------------------------------------------------------------------


@login_required
@permission_required(VIEW_THREAD, raise_exception=True)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The liaison inbox (联络站消息): threads of my cases, a chief's whole court."""
    filters = InboxFilterForm(request.GET or None)
    threads = selectors.inbox_threads(request.user)
    if filters.is_valid():
        threads = selectors.filter_threads(threads, **filters.cleaned_data)
    page = Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "liaison/messaging/_inbox_table.html" if request.htmx else "liaison/messaging/inbox.html"
    )
    return render(request, template, {"page": page, "filters": filters})


@login_required
@permission_required(VIEW_THREAD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """One thread: the judge and assistants answer here; opening it marks the party's
    messages read (only for them, not for a chief looking in)."""
    found = get_object_or_404(selectors.visible_threads(request.user), pk=pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        post = lambda **kw: services.post_staff_message(thread=found, user=request.user, **kw)  # noqa: E731
        if _send(form, post):
            if not request.htmx:
                return redirect("liaison:thread", pk=found.pk)
            form = MessageForm()
    services.mark_read_by_staff(thread=found, user=request.user)
    context = {
        "case": found.case,
        "thread": found,
        "messages_list": selectors.thread_messages(found),
        "mine": Message.Author.STAFF,
        "may_answer": selectors.is_case_staff(found.case, request.user),
        "post_url": request.path,
        "attachment_url": "liaison:attachment",
    }
    return _thread_page(request, "liaison/messaging/thread.html", context, form)


@login_required
@permission_required(VIEW_THREAD, raise_exception=True)
@require_GET
def case_tab(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page's Messages tab (loaded by htmx): the case's threads with the parties."""
    try:
        case = case_selectors.case_detail(request.user, pk)
    except EnforcementCase.DoesNotExist as exc:
        raise Http404 from exc
    threads = selectors.case_threads(request.user, case)
    return render(request, "liaison/messaging/_case_tab.html", {"case": case, "threads": threads})


@login_required
@permission_required("liaison.view_message", raise_exception=True)
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    return attachment_response(selectors.staff_attachment(request.user, pk))


@login_required
@require_GET
def reply_times(request: HttpRequest) -> HttpResponse:
    """Each judge's reply times over a period (答复时长), for the chiefs."""
    if not selectors.is_overseer(request.user):
        raise PermissionDenied(_("Your role may not do this."))
    form = PeriodForm(request.GET if request.GET else None)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "figures": [], "start": None, "end": None}
        return render(request, "liaison/messaging/reply_times.html", context, status=400)
    first, last = form.period() if form.is_bound else form.fill(None, None)
    start, end = selectors.period_bounds(first, last)
    figures = selectors.reply_times(request.user, start=start, end=end)
    return render(
        request,
        "liaison/messaging/reply_times.html",
        {"form": form, "figures": figures, "start": start, "end": end},
    )

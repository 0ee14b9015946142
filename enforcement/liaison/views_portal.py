"""Pages of the party portal (当事人门户): sign-in by text-message code, the party's cases, its
served documents and payment notice; and the staff page that serves documents on a party.

Thin: every read of a party goes through the party selectors (another case is a 404), every
write through :mod:`enforcement.liaison.services`.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from debtors.throttling import client_address
from enforcement.forms import apply_service_errors
from enforcement.liaison import messaging_files, selectors, services
from enforcement.liaison.forms_portal import CodeForm, PhoneForm, ServeDocumentForm
from enforcement.liaison.portal import party_required
from enforcement.selectors import visible_cases

# The number a code was asked for, and the page to return to, between the two steps of sign-in.
SIGN_IN_PHONE = "liaison.sign_in_phone"
SIGN_IN_NEXT = "liaison.sign_in_next"
SENT_MESSAGE = gettext_lazy(
    "If this number is on file in a case, a code is on its way by text message."
)


# --- Sign-in ------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def portal_login(request: HttpRequest) -> HttpResponse:
    """Step one: the mobile number. The answer never tells whether the number is on file."""
    if request.method == "GET" and selectors.portal_account(request.user) is not None:
        return redirect("liaison:portal-home")
    _remember_next(request)
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                login_code = services.request_sign_in_code(
                    phone=form.cleaned_data["phone"], client_ip=client_address(request)
                )
            except services.TooManyCodes as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                request.session[SIGN_IN_PHONE] = login_code.phone
                messages.info(request, SENT_MESSAGE)
                return redirect("liaison:portal-login-code")
    return render(request, "liaison/portal/login.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def portal_login_code(request: HttpRequest) -> HttpResponse:
    """Step two: the code. On success the session is rotated (``login``) and the party is in."""
    phone = request.session.get(SIGN_IN_PHONE)
    if not phone:
        return redirect("liaison:portal-login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                account = services.sign_in_with_code(phone=phone, code=form.cleaned_data["code"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                target = request.session.pop(SIGN_IN_NEXT, None)
                login(request, account.user)  # a new session key: no fixation
                return redirect(target or "liaison:portal-home")
    masked = f"{phone[:3]}****{phone[-4:]}"
    return render(
        request,
        "liaison/portal/code.html",
        {"form": form, "phone": masked, "minutes": settings.LIAISON_CODE_SECONDS // 60},
        status=status,
    )


def _remember_next(request: HttpRequest) -> None:
    """A page of this site the party was sent to sign in for (``?next=``), kept for after the
    code; anything pointing elsewhere is ignored."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[SIGN_IN_NEXT] = target


@require_POST
def portal_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("liaison:portal-login")


# --- The party's cases --------------------------------------------------------------------------


@never_cache
@party_required
def portal_home(request: HttpRequest) -> HttpResponse:
    rows = selectors.portal_case_list(request.portal_account)
    return render(request, "liaison/portal/home.html", {"rows": rows})


@never_cache
@party_required
def portal_case(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.portal_case_view(request.portal_account, pk, with_notice=False)
    return render(request, "liaison/portal/case.html", {"view": view, "case": view.case})


@never_cache
@party_required
def portal_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The respondent's payment notice (缴款通知书) for its own sub-account."""
    notice = selectors.party_payment_notice(request.portal_account, pk)
    return render(request, "liaison/portal/notice.html", {"notice": notice, "case_pk": pk})


def download(document) -> FileResponse:
    """The served file as the type it was checked to be (its stored extension says which)."""
    extension = Path(document.file.name).suffix.lower()
    content_type = next(
        (kind for kind, ext in messaging_files.EXTENSIONS.items() if ext == extension),
        "application/octet-stream",
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.title}{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@party_required
def portal_document(request: HttpRequest, pk: int) -> HttpResponse:
    """A document served on the party, through this check only (never a /media/ URL)."""
    document = selectors.party_document(request.portal_account, pk)
    services.record_document_opened(document)
    return download(document)


# --- Staff: served documents of a case ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The documents served on the parties of a case, with when each was first opened."""
    if not request.user.has_perm("liaison.view_serveddocument"):
        raise PermissionDenied
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    can_serve = request.user.has_perm("liaison.add_serveddocument")
    posted = request.method == "POST"
    if posted and not can_serve:
        raise PermissionDenied
    form = ServeDocumentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        case=case,
        user=request.user,
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                services.serve_document(user=request.user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The document is served."))
                return redirect("liaison:case-documents", pk=case.pk)
    context = {
        "case": case,
        "documents": selectors.case_served_documents(request.user, case),
        "form": form if can_serve else None,
    }
    return render(request, "liaison/case_documents.html", context, status=status)


@login_required
def case_document_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff read a served document of a visible case (not counted as the party opening it)."""
    if not request.user.has_perm("liaison.view_serveddocument"):
        raise PermissionDenied
    return download(get_object_or_404(selectors.visible_served_documents(request.user), pk=pk))

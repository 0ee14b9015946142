"""Writes of the liaison station: every rule about what a party or the judge may send is here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtexec.authz import authorise, require
from courtexec.models import User
from courtexec.notifications import queue_sms
from courtexec.roles import Role
from enforcement.liaison import selectors
from enforcement.liaison.models import LoginCode, Message, PortalAccount, ServedDocument, Thread
from enforcement.liaison.validators_portal import (
    is_mobile,
    normalise_phone,
    validate_served_file,
)
from enforcement.models import CaseParty, EnforcementCase, Party

# --- Messaging (一对一沟通) --------------------------------------------------------------------


def _thread_for(case: EnforcementCase, party: Party) -> Thread:
    """The case's thread with this party, created on first use and locked for the write."""
    thread, _created = Thread.objects.get_or_create(case=case, party=party)
    return Thread.objects.select_for_update().get(pk=thread.pk)


@transaction.atomic
def post_party_message(
    *, account: PortalAccount, case: EnforcementCase, text: str, via: str = Message.Via.WEB
) -> Message:
    """A party writes to the judge of one of its own cases; the thread starts waiting."""
    link = selectors.party_links(account).filter(case=case).select_related("party").first()
    if link is None:
        raise PermissionDenied
    body = text.strip()
    require(bool(body), "text", _("Write a message."))
    thread = _thread_for(case, link.party)
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        author=Message.Author.PARTY,
        party_author=account,
        body=body,
        via=via,
        created_at=now,
    )
    thread.last_message_at = now
    thread.awaiting_reply_since = thread.awaiting_reply_since or now
    thread.save(update_fields=["last_message_at", "awaiting_reply_since"])
    return message


@transaction.atomic
def post_staff_message(
    *, thread: Thread, user: User, text: str, via: str = Message.Via.WEB
) -> Message:
    """The case's judge or an assistant answers; the thread no longer waits."""
    thread = Thread.objects.select_for_update().select_related("case").get(pk=thread.pk)
    case = thread.case
    if user.pk != case.judge_id and not case.assistants.filter(pk=user.pk).exists():
        raise PermissionDenied
    body = text.strip()
    require(bool(body), "text", _("Write a message."))
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        author=Message.Author.STAFF,
        staff_author=user,
        body=body,
        via=via,
        created_at=now,
    )
    thread.last_message_at = now
    thread.awaiting_reply_since = None
    thread.flagged_at = None
    thread.save(update_fields=["last_message_at", "awaiting_reply_since", "flagged_at"])
    return message


# --- Portal: sign-in with a one-time code, served documents (联络站登录、送达文书) ---


CODE_DIGITS = 6


class TooManyCodes(Exception):
    """More codes were asked for than the hourly limit allows (HTTP 429, a form error)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def code_digest(phone: str, code: str) -> str:
    """The stored form of a code: HMAC-SHA256 keyed with SECRET_KEY, bound to the phone."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _lock(name: str) -> None:
    """A transaction-scoped PostgreSQL advisory lock: concurrent requests for the same phone or
    address count their codes one after another, so a burst cannot slip past the limit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])


def _address_or_none(client_ip: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((client_ip or "").strip()))
    except ValueError:
        return None


@transaction.atomic
def request_sign_in_code(*, phone: str, client_ip: str | None) -> LoginCode:
    """Send a 6-digit code to a mobile number on file as an applicant's or respondent's.

    The answer is the same whether the number is on file or not (nobody learns who is a party
    by asking): a code row is stored and counted either way, but only a known number gets the
    text message. Older codes of the number are superseded: only the newest one is accepted.
    """
    phone = normalise_phone(phone)
    require(is_mobile(phone), "phone", _("Enter an 11-digit mainland mobile number."))
    client_ip = _address_or_none(client_ip)
    # Phone before address, always: two requests never wait on each other in opposite order.
    _lock(f"liaison.code.phone:{phone}")
    since = timezone.now() - dt.timedelta(hours=1)
    if LoginCode.objects.filter(phone=phone, created_at__gte=since).count() >= (
        settings.LIAISON_CODES_PER_PHONE_HOUR
    ):
        raise TooManyCodes(_("Too many codes were sent to this number. Try again in an hour."))
    if client_ip is not None:
        _lock(f"liaison.code.address:{client_ip}")
        if LoginCode.objects.filter(client_ip=client_ip, created_at__gte=since).count() >= (
            settings.LIAISON_CODES_PER_ADDRESS_HOUR
        ):
            raise TooManyCodes(_("Too many codes were asked for from here. Try again later."))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    login_code = LoginCode.objects.create(
        phone=phone,
        code_hash=code_digest(phone, code),
        client_ip=client_ip,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.LIAISON_CODE_SECONDS),
    )
    if selectors.phone_on_file(phone):
        minutes = max(1, settings.LIAISON_CODE_SECONDS // 60)
        text = _(
            "Your sign-in code for the court's liaison station is %(code)s, valid for "
            "%(minutes)s minutes. Do not tell it to anyone, court staff included."
        ) % {"code": code, "minutes": minutes}
        queue_sms(phone=phone, text=text, kind="liaison.sign_in_code")
    return login_code


def sign_in_with_code(*, phone: str, code: str) -> PortalAccount:
    """The party's account once the newest code of its number matches (then used up).

    A wrong code counts against that code; after LIAISON_CODE_ATTEMPTS wrong tries it is dead.
    The count is committed even though the attempt fails (hence no outer transaction).
    """
    wrong = ValidationError(
        {"code": ValidationError(_("The code is wrong or has expired."), code="wrong_code")}
    )
    phone = normalise_phone(phone)
    with transaction.atomic():
        login_code = (
            LoginCode.objects.select_for_update().filter(phone=phone).order_by("-created_at", "-pk")
        ).first()
        now = timezone.now()
        if (
            login_code is None
            or login_code.used_at is not None
            or login_code.expires_at <= now
            or login_code.attempts >= settings.LIAISON_CODE_ATTEMPTS
        ):
            raise wrong
        if not hmac.compare_digest(login_code.code_hash, code_digest(phone, (code or "").strip())):
            login_code.attempts += 1
            login_code.save(update_fields=["attempts"])
            matched = False
        else:
            login_code.used_at = now
            login_code.save(update_fields=["used_at"])
            account = open_portal_account(phone=phone)
            # An account the court switched off (user made inactive) stays out.
            matched = account.user.is_active
            if matched:
                account.last_sign_in_at = now
                account.save(update_fields=["last_sign_in_at"])
    if not matched:
        raise wrong
    return account


@transaction.atomic
def open_portal_account(*, phone: str) -> PortalAccount:
    """The number's portal account, created on first use: a user with the party role only, no
    court and no password (it signs in by code alone)."""
    account = PortalAccount.objects.select_related("user").filter(phone=phone).first()
    if account is None:
        user = User(username=f"p{phone}", court=None)
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.PARTY.value))
        account = PortalAccount.objects.create(user=user, phone=phone)
    return account


@transaction.atomic
def record_document_opened(document: ServedDocument) -> None:
    """The first time the addressed party opens a served document (送达回证 of the portal)."""
    ServedDocument.objects.filter(pk=document.pk, first_opened_at=None).update(
        first_opened_at=timezone.now()
    )


@transaction.atomic
def serve_document(
    *,
    user: User,
    case: EnforcementCase,
    party: Party,
    kind: str,
    title: str,
    file: File,
) -> ServedDocument:
    """A judge or clerk serves a document of the case on one applicant or respondent; the
    party finds it on the portal and is told by text message."""
    authorise(user, case.court, "liaison.add_serveddocument")
    link = (
        CaseParty.objects.filter(case=case, party=party, role__in=selectors.PORTAL_ROLES)
        .select_related("party")
        .first()
    )
    require(
        link is not None, "party", _("Choose an applicant or respondent of this case."), "party"
    )
    require(kind in ServedDocument.Kind.values, "kind", _("Choose the kind of document."))
    title = (title or "").strip()
    require(bool(title), "title", _("Give the document's title."), "required")
    require(file is not None, "file", _("Choose the file."), "required")
    try:
        validate_served_file(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    document = ServedDocument.objects.create(
        case=case, party=party, kind=kind, title=title[:200], file=file, issued_by=user
    )
    if is_mobile(party.phone):
        text = _(
            "%(court)s has served a document in case %(case)s on you: %(title)s. Sign in to "
            "the liaison station with this number to read it."
        ) % {"court": case.court.name, "case": case.number, "title": document.title}
        queue_sms(phone=party.phone, text=text, kind="liaison.document_served")
    return document

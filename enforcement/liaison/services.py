"""Writes of the liaison station: every rule about what a party or the judge may send is here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtexec import office_hours, working_days
from courtexec.authz import authorise, require
from courtexec.models import User
from courtexec.notifications import notify, queue_sms
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles
from enforcement.liaison import messaging_files, selectors
from enforcement.liaison.models import (
    LoginCode,
    Message,
    MessageAttachment,
    PortalAccount,
    ServedDocument,
    Thread,
)
from enforcement.liaison.validators_portal import (
    is_mobile,
    normalise_phone,
    validate_served_file,
)
from enforcement.models import CaseParty, EnforcementCase, Party

# --- Messaging (一对一沟通) --------------------------------------------------------------------

MAX_ATTACHMENTS = 5
PREVIEW_CHARS = 60


def _thread_for(case: EnforcementCase, party: Party) -> Thread:
    """The case's thread with this party, created on first use and locked for the write."""
    thread, _created = Thread.objects.get_or_create(case=case, party=party)
    return Thread.objects.select_for_update().get(pk=thread.pk)


def _check_attachments(files: Sequence) -> list[str]:
    """Each file's real content type (by its first bytes), or a field error naming the file."""
    require(
        len(files) <= MAX_ATTACHMENTS,
        "attachments",
        _("At most %(n)d files per message.") % {"n": MAX_ATTACHMENTS},
        "too_many",
    )
    allowed = settings.LIAISON_ATTACHMENT_TYPES
    limit = settings.LIAISON_ATTACHMENT_MAX_BYTES
    types = []
    for upload in files:
        require(
            upload.size <= limit,
            "attachments",
            _("%(name)s is larger than %(mb)d MB.") % {"name": upload.name, "mb": limit >> 20},
            "too_large",
        )
        content_type = messaging_files.sniff(messaging_files.read_head(upload))
        require(
            content_type in allowed,
            "attachments",
            _("%(name)s is not a JPEG, PNG or WebP image or a PDF document.")
            % {"name": upload.name},
            "type",
        )
        types.append(content_type)
    return types


def _write(
    thread: Thread, *, body: str, files: Sequence = (), types: Sequence[str] = (), **fields
) -> Message:
    """One message with its files; the thread's last activity moves to it."""
    now = timezone.now()
    message = Message.objects.create(thread=thread, body=body, created_at=now, **fields)
    for upload, content_type in zip(files, types, strict=True):
        MessageAttachment.objects.create(
            message=message,
            # Stored under a random name with the extension of what the file really is.
            file=File(upload, name=f"upload{messaging_files.EXTENSIONS[content_type]}"),
            original_name=upload.name[-200:],
            content_type=content_type,
            size=upload.size,
        )
    thread.last_message_at = now
    thread.save(update_fields=["last_message_at"])
    return message


def _auto_reply(thread: Thread, at: dt.datetime) -> Message | None:
    """Outside office hours, one automatic answer per off-hours period saying when the judge is
    back (a party writing three times in one night gets one)."""
    hours = {
        "office_hours": settings.COURT_OFFICE_HOURS,
        "is_working_day": working_days.is_working_day,
    }
    if not office_hours.is_out_of_hours(at, **hours):
        return None
    closed = office_hours.closed_since(at, **hours)
    if thread.messages.filter(is_auto_reply=True, created_at__gte=closed).exists():
        return None
    opening = office_hours.next_opening(at, **hours)
    text = _(
        "Automatic reply: your message arrived outside office hours. Judge %(judge)s will "
        "read it when the office opens, from %(opening)s."
    ) % {"judge": thread.case.judge, "opening": f"{opening:%Y-%m-%d %H:%M}"}
    return _write(
        thread, body=text, author=Message.Author.SYSTEM, via=Message.Via.SYSTEM, is_auto_reply=True
    )


@transaction.atomic
def post_party_message(
    *,
    account: PortalAccount,
    case: EnforcementCase,
    text: str,
    via: str = Message.Via.WEB,
    attachments: Sequence = (),
) -> Message:
    """A party writes to the judge of one of its own cases; the thread starts waiting, the
    judge and assistants are told, and off hours bring one automatic reply."""
    link = selectors.party_links(account).filter(case=case).select_related("party", "case").first()
    if link is None:
        raise PermissionDenied
    require(
        link.case.is_open,
        "text",
        _("The case is closed: the judge no longer receives messages about it here."),
        code="case_closed",
    )
    body = text.strip()
    require(bool(body or attachments), "text", _("Write a message."))
    types = _check_attachments(attachments)
    thread = _thread_for(case, link.party)
    message = _write(
        thread,
        body=body,
        files=attachments,
        types=types,
        author=Message.Author.PARTY,
        party_author=account,
        via=via,
    )
    thread.awaiting_reply_since = thread.awaiting_reply_since or message.created_at
    thread.save(update_fields=["awaiting_reply_since"])
    case = thread.case
    notify(
        [case.judge, *case.assistants.all()],
        kind="liaison.party_message",
        message=_("%(party)s wrote about case %(case)s: %(text)s")
        % {"party": link.party, "case": case.number, "text": body[:PREVIEW_CHARS]},
        link=reverse("liaison:thread", args=[thread.pk]),
    )
    _auto_reply(thread, message.created_at)
    return message


@transaction.atomic
def post_staff_message(
    *,
    thread: Thread,
    user: User,
    text: str,
    via: str = Message.Via.WEB,
    attachments: Sequence = (),
) -> Message:
    """The case's judge or an assistant answers; the thread no longer waits and the party is
    told (the notification centre routes it to the party's WeChat or phone)."""
    thread = Thread.objects.select_for_update().select_related("case", "party").get(pk=thread.pk)
    case = thread.case
    if not selectors.is_case_staff(case, user):
        raise PermissionDenied(_("Only the case's judge and assistants answer its messages."))
    body = text.strip()
    require(bool(body or attachments), "text", _("Write a message."))
    types = _check_attachments(attachments)
    message = _write(
        thread,
        body=body,
        files=attachments,
        types=types,
        author=Message.Author.STAFF,
        staff_author=user,
        via=via,
    )
    thread.awaiting_reply_since = None
    thread.flagged_at = None
    thread.save(update_fields=["awaiting_reply_since", "flagged_at"])
    notify(
        selectors.thread_party_users(thread),
        kind="liaison.staff_reply",
        message=_("The court answered your message about case %(case)s.") % {"case": case.number},
        link=reverse("liaison:portal-thread", kwargs={"case_pk": case.pk}),
    )
    return message


def _mark_read(thread: Thread, *, authors: Sequence[str]) -> int:
    # Message is not history-tracked; the trigger lets read_at (and nothing else) be filled in.
    return thread.messages.filter(author__in=authors, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def mark_read_by_party(*, account: PortalAccount, thread: Thread) -> int:
    """The party opened the thread: the court's messages (and system notes) are read (已读)."""
    if not selectors.party_threads(account).filter(pk=thread.pk).exists():
        raise PermissionDenied
    return _mark_read(thread, authors=[Message.Author.STAFF, Message.Author.SYSTEM])


@transaction.atomic
def mark_read_by_staff(*, thread: Thread, user: User) -> int:
    """The judge or an assistant opened the thread: the party's messages are read. A chief
    looking in does not count as the court having read them."""
    if not selectors.is_case_staff(thread.case, user):
        return 0
    return _mark_read(thread, authors=[Message.Author.PARTY])


@transaction.atomic
def note_reassignment(
    *, case: EnforcementCase, old_judge: User | None, new_judge: User
) -> list[Message]:
    """The case changed judge: its threads follow it (they always answer to the current judge),
    each gets a note of the handover, and the new judge is told of them."""
    if old_judge is not None and old_judge.pk == new_judge.pk:
        return []
    text = _("The case has been handed over from judge %(old)s to judge %(new)s.") % {
        "old": old_judge or "—",
        "new": new_judge,
    }  # 案件已由X法官转交Y法官承办
    threads = list(Thread.objects.select_for_update().filter(case=case).order_by("pk"))
    notes = [
        _write(thread, body=text, author=Message.Author.SYSTEM, via=Message.Via.SYSTEM)
        for thread in threads
    ]
    if threads:
        notify(
            [new_judge],
            kind="liaison.reassigned",
            message=_("Case %(case)s is now yours, with %(n)d party message threads.")
            % {"case": case.number, "n": len(threads)},
            link=f"{reverse('liaison:threads')}?case={case.pk}",
        )
    return notes


def reply_deadline(waiting_since: dt.datetime) -> dt.datetime:
    """When a waiting party message becomes overdue: the same time of day, the policy's number
    of working days after the day it was sent (Friday 16:00 + 2 → Tuesday 16:00)."""
    local = timezone.localtime(waiting_since)
    day = working_days.add_working_days(local.date(), settings.LIAISON_UNANSWERED_WORKING_DAYS)
    return local.replace(year=day.year, month=day.month, day=day.day)


def flag_unanswered_threads(*, now: dt.datetime | None = None) -> int:
    """Tell the court's section chiefs of each thread waiting past the policy time, once per
    waiting run (``flagged_at``; a staff answer clears it). Reads the partial index
    ``threads_awaiting_reply``; rows another run holds are skipped, so it is safe twice."""
    now = now or timezone.now()
    # N working days are at least N calendar days: only rows older than that can be overdue.
    oldest = now - dt.timedelta(days=settings.LIAISON_UNANSWERED_WORKING_DAYS)
    flagged = 0
    with transaction.atomic():
        candidates = (
            Thread.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                awaiting_reply_since__isnull=False,
                flagged_at__isnull=True,
                awaiting_reply_since__lte=oldest,
            )
            .select_related("case", "party")
            .order_by("pk")
        )
        chiefs: dict[int, list[User]] = {}
        for thread in candidates:
            if reply_deadline(thread.awaiting_reply_since) > now:
                continue
            thread.flagged_at = now
            thread.save(update_fields=["flagged_at"])
            court_id = thread.case.court_id
            if court_id not in chiefs:
                chiefs[court_id] = list(staff_with_roles(court_id, Role.SECTION_CHIEF))
            notify(
                chiefs[court_id],
                kind="liaison.unanswered",
                message=_(
                    "A message from %(party)s about case %(case)s has waited more than %(n)d "
                    "working days for an answer."
                )
                % {
                    "party": thread.party,
                    "case": thread.case.number,
                    "n": settings.LIAISON_UNANSWERED_WORKING_DAYS,
                },
                link=reverse("liaison:thread", args=[thread.pk]),
            )
            flagged += 1
    return flagged


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
    court and no password (it signs in by code alone); the user's phone is the number, where
    the notification centre texts the party."""
    account = PortalAccount.objects.select_related("user").filter(phone=phone).first()
    if account is None:
        user = User(username=f"p{phone}", court=None, phone=phone)
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
        content_type = validate_served_file(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    file.name = f"document{messaging_files.EXTENSIONS[content_type]}"  # stored by its real type
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

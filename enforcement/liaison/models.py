"""The liaison station's records: party accounts, one-time codes, case threads and documents.

A party signs in as a ``User`` holding only the ``party`` role (an outside role: no model
permission, no court), reached through its ``PortalAccount``. Which cases it sees follows from
its phone number: the parties with that mobile number on file, as applicant or respondent.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.models import mobile_validator
from enforcement.models import EnforcementCase, Party


class PortalAccount(models.Model):
    """A party's sign-in at the liaison station (联络站账户), one per mobile number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="portal_account",
    )
    phone = models.CharField(
        _("mobile phone"), max_length=11, unique=True, validators=[mobile_validator]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last signed in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}"

    @classmethod
    def restrict_to_courts(cls, queryset: models.QuerySet, court_ids: set[int]) -> models.QuerySet:
        """A court sees the accounts of parties in its own cases."""
        phones = Party.objects.filter(case_links__case__court_id__in=court_ids).values("phone")
        return queryset.filter(phone__in=phones)


class LoginCode(models.Model):
    """A one-time code sent by text message to sign in (短信验证码); only its hash is kept."""

    phone = models.CharField(_("mobile phone"), max_length=11, validators=[mobile_validator])
    code_hash = models.CharField(_("code hash"), max_length=64)
    client_ip = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["phone", "created_at"]),
            # The hourly limit per client address counts by this one.
            models.Index(fields=["client_ip", "created_at"], name="logincode_address_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.created_at:%Y-%m-%d %H:%M}"


class Thread(models.Model):
    """One party's conversation with the judge of one case (一对一沟通).

    The judge is always the case's current judge (and assistants), so a reassigned case takes its
    threads along; the thread records when a party message began waiting for an answer.
    """

    court_lookup = "case__court"

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="threads"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="threads"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    awaiting_reply_since = models.DateTimeField(
        _("awaiting a reply since"),
        null=True,
        blank=True,
        help_text=_("When the oldest party message without a staff answer was sent."),
    )
    flagged_at = models.DateTimeField(_("flagged to the section chief at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="one_thread_per_case_party")
        ]
        indexes = [
            models.Index(
                fields=["awaiting_reply_since"],
                condition=models.Q(awaiting_reply_since__isnull=False, flagged_at__isnull=True),
                name="threads_awaiting_reply",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.party}"


class Message(models.Model):
    """One message in a thread: part of the case record, never edited or deleted (only the
    time the other side read it is filled in)."""

    court_lookup = "thread__case__court"

    class Author(models.TextChoices):
        PARTY = "party", _("Party")
        STAFF = "staff", _("Court staff")
        SYSTEM = "system", _("System")

    class Via(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        WECHAT = "wechat", _("WeChat")
        SYSTEM = "system", _("System")

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.PROTECT, related_name="messages"
    )
    author = models.CharField(_("author"), max_length=10, choices=Author.choices)
    staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    party_author = models.ForeignKey(
        PortalAccount,
        verbose_name=_("party author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    body = models.TextField(_("text"), blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices, default=Via.WEB)
    is_auto_reply = models.BooleanField(_("automatic reply"), default=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(author="party", party_author__isnull=False, staff_author__isnull=True)
                    | models.Q(
                        author="staff", staff_author__isnull=False, party_author__isnull=True
                    )
                    | models.Q(
                        author="system", staff_author__isnull=True, party_author__isnull=True
                    )
                ),
                name="message_author_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.body[:40]


def attachment_path(attachment: MessageAttachment, filename: str) -> str:
    """A random name: a URL cannot be guessed; the original name is kept in the row."""
    extension = Path(filename).suffix.lower()[:6]
    return f"liaison/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class MessageAttachment(models.Model):
    """A file sent with a message, served only through a checked view (never /media/)."""

    court_lookup = "message__thread__case__court"

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


def served_document_path(document: ServedDocument, filename: str) -> str:
    extension = Path(filename).suffix.lower()[:6]
    return f"served/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class ServedDocument(models.Model):
    """A document of the case addressed to one party (送达文书), shown on the party's portal."""

    court_lookup = "case__court"

    class Kind(models.TextChoices):
        EXECUTION_NOTICE = "execution_notice", _("Execution notice")  # 执行通知书
        ASSET_REPORT_ORDER = "asset_report_order", _("Order to report assets")  # 报告财产令
        RULING = "ruling", _("Ruling")  # 执行裁定书
        RESTRICTION_ORDER = "restriction_order", _("Consumption restriction order")  # 限制消费令
        OTHER = "other", _("Other document")

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="served_documents",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=served_document_path)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    first_opened_at = models.DateTimeField(_("first opened by the party at"), null=True, blank=True)

    class Meta:
        verbose_name = _("served document")
        verbose_name_plural = _("served documents")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.title


# The WeChat official account's records live in their own module (see enforcement.liaison.wechat).
from enforcement.liaison.wechat.models import WechatBindingCode, WechatInbound  # noqa: E402, F401

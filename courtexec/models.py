"""Courts and users: every record in CourtExec belongs to a court."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courtexec.history import tracked_history
from courtexec.notification_kinds import KINDS, Category, is_secret, mask
from courtexec.roles import Role

court_code_validator = RegexValidator(
    r"^(?:[\u4e00-\u9fff](?:\d{2}|\d{4})?|最高法)$",
    _(
        "A court code is a province abbreviation, optionally followed by 2 or 4 digits, "
        "for example 浙0103."
    ),
)
mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number, for example 13800138000.")
)


class Court(models.Model):
    """A people's court (人民法院). A deployment serves several, arranged in a hierarchy."""

    class Level(models.TextChoices):
        SUPREME = "supreme", _("Supreme People's Court")  # 最高人民法院
        HIGH = "high", _("High people's court")  # 高级人民法院
        INTERMEDIATE = "intermediate", _("Intermediate people's court")  # 中级人民法院
        BASIC = "basic", _("Basic people's court")  # 基层人民法院

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("court code"),
        max_length=10,
        unique=True,
        validators=[court_code_validator],
        help_text=_("Code used in case numbers, for example 浙0103."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher court"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lower_courts",
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("court")
        verbose_name_plural = _("courts")
        ordering = ["code"]
        permissions = [
            ("view_all_courts", _("Can see the records of every court")),
            ("view_lower_courts", _("Can see the records of lower courts")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class CourtUserManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().select_related("court")


class User(AbstractUser):
    """A member of court staff. Roles are Django groups (see ``courtexec.roles``)."""

    court = models.ForeignKey(
        Court,
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("The court this person works for; they see its records."),
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=11, blank=True, validators=[mobile_validator]
    )
    staff_number = models.CharField(_("staff number"), max_length=20, blank=True)

    objects = CourtUserManager()
    history = tracked_history(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["court__code", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "staff_number"],
                condition=~models.Q(staff_number=""),
                name="unique_staff_number_per_court",
                violation_error_message=_("This staff number is already used in this court."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def roles(self) -> list[Role]:
        names = {group.name for group in self.groups.all()}
        return [role for role in Role if role.value in names]

    def has_role(self, role: Role) -> bool:
        return any(group.name == role.value for group in self.groups.all())


class WechatBinding(models.Model):
    """A person's WeChat identity on the court's official account (公众号 openid): where WeChat
    messages to them go, and whose WeChat messages the callback accepts as theirs."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="wechat_binding"
    )
    openid = models.CharField(_("WeChat openid"), max_length=64, unique=True)
    bound_at = models.DateTimeField(_("bound at"), auto_now_add=True)

    class Meta:
        verbose_name = _("WeChat binding")
        verbose_name_plural = _("WeChat bindings")
        ordering = ["-bound_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.openid[:6]}…"


class Notification(models.Model):
    """An in-app message to one member of staff (站内通知), with a link to the record."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(read_at=None),
                name="unread_notifications",
            )
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def kind_label(self) -> str:
        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def category(self) -> str:
        kind = KINDS.get(self.kind)
        return kind.category.value if kind else ""


class Delivery(models.Model):
    """One message handed to an outside channel (外发消息): a text, an email or a WeChat message.

    The outbox of every channel: written with the change that causes it, sent after that commits
    by Celery (see ``courtexec.notifications``). ``address`` is what the channel needs: a mobile
    number, an email address or a WeChat openid. A row is ``sending`` while a relay has claimed
    it and waits for the channel's answer. The text of a secret kind (a sign-in code) is masked
    once the message is sent or finally fails, and :attr:`shown_text` never shows it.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")  # 短信
        EMAIL = "email", _("Email")  # 电子邮件
        WECHAT = "wechat", _("WeChat")  # 微信

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS
    )
    address = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=40)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    attempt_started_at = models.DateTimeField(_("attempt started at"), null=True, blank=True)
    reference = models.CharField(_("channel reference"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=models.Q(notification__isnull=False),
                name="one_delivery_per_notification_channel",
            )
        ]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(status="queued"), name="queued_deliveries"
            ),
            models.Index(
                fields=["attempt_started_at"],
                condition=models.Q(status="sending"),
                name="sending_deliveries",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address}: {self.shown_text[:30]}"

    @property
    def shown_text(self) -> str:
        """The text as people may see it (admin, failures page): a secret kind's masked."""
        return mask(self.text) if is_secret(self.kind) else self.text


class NotificationPreference(models.Model):
    """Which outside channels a person wants for one category of notifications (通知方式).

    Without a row the kinds' own defaults apply; urgent kinds go by text message regardless.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    channels = ArrayField(
        models.CharField(max_length=10, choices=Delivery.Channel.choices),
        verbose_name=_("channels"),
        default=list,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "category"]
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_preference_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_category_display()}"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a public holiday or a make-up working day.

    National data (the State Council's notice each November), not a court's: edited in admin and
    read through ``courtexec.working_days``.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")  # 放假
        WORKDAY = "workday", _("Make-up working day")  # 调休上班

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=50, blank=True, help_text=_("For example 国庆节 or 春节调休上班.")
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".rstrip()

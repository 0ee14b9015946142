"""Courts and users: every record in CourtExec belongs to a court."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courtexec.history import tracked_history
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


class SmsMessage(models.Model):
    """One text message handed to the SMS gateway; sent once (after commit, by Celery)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    phone = models.CharField(_("mobile phone"), max_length=20)
    text = models.CharField(_("text"), max_length=500)
    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    gateway_reference = models.CharField(_("gateway reference"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.phone}: {self.text[:30]}"


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

"""Records of the WeChat official account: binding codes and the log of what WeChat delivered.

Imported by ``enforcement.liaison.models`` so they belong to the liaison app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WechatBindingCode(models.Model):
    """A one-time code a signed-in person sends to the official account to bind it (绑定码).

    One live code per person (a new one replaces the old); only its keyed hash is stored, unique,
    so the callback finds the person from the code alone.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="wechat_binding_code",
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("WeChat binding code")
        verbose_name_plural = _("WeChat binding codes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class WechatInbound(models.Model):
    """One message or event the official account received (微信消息记录), stored once.

    WeChat retries a message it got no answer to within 5 seconds; the unique ``dedup_key``
    (its MsgId, or sender and time for events) makes a retry find this row and get the same
    ``reply`` without writing anything again.
    """

    court_lookup = "message__thread__case__court"

    dedup_key = models.CharField(_("WeChat message key"), max_length=120, unique=True)
    openid = models.CharField(_("WeChat openid"), max_length=64, db_index=True)
    msg_type = models.CharField(_("message type"), max_length=20)
    event = models.CharField(_("event"), max_length=40, blank=True)
    content = models.TextField(_("content"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bound user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.OneToOneField(
        "liaison.Message",
        verbose_name=_("thread message"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wechat_inbound",
    )
    reply = models.TextField(_("passive reply"), blank=True)

    class Meta:
        verbose_name = _("WeChat inbound message")
        verbose_name_plural = _("WeChat inbound messages")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.openid[:6]}… {self.msg_type} {self.received_at:%Y-%m-%d %H:%M}"

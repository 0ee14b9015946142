"""Email (电子邮件) through Django's email backend: SMTP in production, locmem in tests."""

from __future__ import annotations

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage

from courtexec.channels import DeliveryError


class DjangoEmail:
    """Sends with ``EmailMessage.send()``; the Message-ID is the reference."""

    def send(self, address: str, text: str, *, subject: str = "") -> str:
        message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None)
        message = EmailMessage(
            subject=subject or "CourtExec",
            body=text,
            to=[address],
            headers={"Message-ID": message_id},
        )
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"Recipient refused: {exc}", retryable=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"Mail server: {exc}") from exc
        return message_id

"""Demo data of the notification centre: a judge's channel choices and one failed text, so the
preferences and failures pages show something (idempotent)."""

from __future__ import annotations

from courtexec.models import Delivery, NotificationPreference, User
from courtexec.notifications import set_preferences


def load(*, judge: User) -> int:
    """Returns how many records were created now."""
    created = 0
    if not NotificationPreference.objects.filter(user=judge).exists():
        set_preferences(user=judge, channels={"funds": ["sms", "wechat"], "debtors": ["email"]})
        created += 2
    _failed, made = Delivery.objects.get_or_create(
        kind="funds.payee_paid",
        address="13800009999",
        status=Delivery.Status.FAILED,
        defaults={
            "text": "案款已支付到您的账户。",
            "attempts": 5,
            "error": "Aliyun isv.MOBILE_NUMBER_ILLEGAL: 号码停机 (demo)",
        },
    )
    return created + made

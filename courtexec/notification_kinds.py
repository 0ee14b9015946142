"""Every kind of notification, in one place: its category, label, urgency and default channels.

The notification centre (``courtexec.notifications``) reads this registry to decide which
outside channels a notification also goes by: the recipient's preference for the kind's
category, else the kind's defaults; an *urgent* kind (a standby callout, a handover deadline)
always also goes by text message, whatever the preferences. A kind that is not registered here
is a programming error: ``notify`` raises :class:`UnknownKind`.

A *secret* kind (a sign-in code) carries a text nobody but its addressee may read: the outbox
keeps it only until the message is sent or finally fails, then masks it (:func:`mask`), and the
admin and the failures page show it masked even while it waits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Which part of the bureau's work a notification is about; preferences are per category."""

    CASES = "cases", _("Case work")  # 办案
    FUNDS = "funds", _("Case funds")  # 案款
    DEBTORS = "debtors", _("Debtors and property")  # 财产查控与失信
    STANDBY = "standby", _("Standby")  # 备勤
    VEHICLES = "vehicles", _("Vehicles")  # 车辆
    LIAISON = "liaison", _("Liaison station")  # 执行联络站
    SYSTEM = "system", _("System")  # 系统 (in-app only: a failed delivery must not loop)


# The categories a person may choose outside channels for (the preferences matrix).
PREFERENCE_CATEGORIES = [c for c in Category if c != Category.SYSTEM]
PREFERENCE_CATEGORY_CHOICES = [(c.value, c.label) for c in PREFERENCE_CATEGORIES]

SMS, EMAIL, WECHAT = "sms", "email", "wechat"  # = courtexec.models.Delivery.Channel values


@dataclass(frozen=True)
class Kind:
    code: str
    category: Category
    label: Promise
    urgent: bool = False  # always also by SMS
    channels: tuple[str, ...] = ()  # outside channels when no preference is set
    first_only: bool = False  # only the first default channel the person has an address for
    secret: bool = False  # a one-time code: masked in the outbox once sent, never shown


class UnknownKind(LookupError):
    """A notification kind missing from the registry: add it to ``KINDS``."""


def _kinds(*kinds: Kind) -> dict[str, Kind]:
    return {k.code: k for k in kinds}


KINDS: dict[str, Kind] = _kinds(
    # Case work (办案)
    Kind("case.consultation_due", Category.CASES, _("Case due for a consultation")),
    Kind("case.due_soon", Category.CASES, _("Case time limit near")),
    Kind("case.overdue", Category.CASES, _("Case past its time limit")),
    # Case funds (案款)
    Kind("funds.arrival", Category.FUNDS, _("Money arrived for a case"), channels=(SMS,)),
    Kind("funds.suspense", Category.FUNDS, _("Money arrived without a usable account")),
    Kind("funds.payout_proposed", Category.FUNDS, _("Payout proposed")),
    Kind("funds.payout_approved", Category.FUNDS, _("Payout approved")),
    Kind("funds.payout_rejected", Category.FUNDS, _("Payout rejected")),
    Kind("funds.payout_result", Category.FUNDS, _("Payout result from the bank")),
    Kind("funds.idle", Category.FUNDS, _("Money held too long (idle-money tier)")),
    Kind("funds.payee_paid", Category.FUNDS, _("Payee told of a payment (text only)")),
    # Debtors and property (财产查控、失信)
    Kind("debtors.freeze_renewal", Category.DEBTORS, _("Freeze expiring: renew")),
    Kind("debtors.blacklist_deletion", Category.DEBTORS, _("Blacklist entry due for deletion")),
    Kind("debtors.research_due", Category.DEBTORS, _("Property search due again")),
    Kind("debtors.research_findings", Category.DEBTORS, _("Property search findings")),
    Kind("tip", Category.DEBTORS, _("Tip about a debtor's property")),
    Kind("tip_overdue", Category.DEBTORS, _("Tip not checked in time")),
    # Standby (备勤): callouts and handover deadlines are urgent.
    Kind("standby.callout", Category.STANDBY, _("Standby callout"), urgent=True),
    Kind("standby.escalation", Category.STANDBY, _("Callout not acknowledged"), urgent=True),
    Kind("standby.deadline", Category.STANDBY, _("Handover deadline near"), urgent=True),
    Kind("standby.deadline_missed", Category.STANDBY, _("Handover deadline missed"), urgent=True),
    Kind("standby.gap", Category.STANDBY, _("Nobody on standby"), channels=(SMS,)),
    Kind("standby.override", Category.STANDBY, _("Roster changed by a chief")),
    Kind("standby.swap_requested", Category.STANDBY, _("Shift swap requested")),
    Kind("standby.swap_accepted", Category.STANDBY, _("Shift swap accepted")),
    Kind("standby.swap_refused", Category.STANDBY, _("Shift swap refused")),
    Kind("standby.swap_approved", Category.STANDBY, _("Shift swap approved")),
    # Vehicles (车辆)
    Kind("vehicle_sighting", Category.VEHICLES, _("Wanted vehicle sighted"), channels=(SMS,)),
    Kind("vehicles.tow_approval", Category.VEHICLES, _("Tow awaiting approval")),
    Kind("vehicles.intake", Category.VEHICLES, _("Vehicle taken into custody")),
    Kind("vehicles.stock_check_due", Category.VEHICLES, _("Stock check due")),
    Kind("vehicles.long_custody", Category.VEHICLES, _("Vehicle in custody for long")),
    # Liaison station (执行联络站). A party is told of a reply on WeChat when bound, else by text.
    Kind("liaison.party_message", Category.LIAISON, _("A party wrote")),
    Kind(
        "liaison.staff_reply",
        Category.LIAISON,
        _("The judge replied"),
        channels=(WECHAT, SMS),
        first_only=True,
    ),
    Kind("liaison.unanswered", Category.LIAISON, _("Party message unanswered")),
    Kind("liaison.reassigned", Category.LIAISON, _("Thread moved to a new judge")),
    Kind("liaison.sign_in_code", Category.LIAISON, _("Sign-in code (text only)"), secret=True),
    Kind("liaison.document_served", Category.LIAISON, _("Document served (text only)")),
    # Command centre (指挥中心): the monthly report (执行工作月报) for the chiefs and president
    Kind("report.monthly", Category.CASES, _("Monthly report ready")),
    # System (系统)
    Kind("system.delivery_failed", Category.SYSTEM, _("An outside message could not be sent")),
)


def get(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise UnknownKind(f"Unknown notification kind {code!r}: register it in KINDS.") from None


def is_secret(code: str) -> bool:
    """Whether a delivery of this kind must never be shown (an unknown kind is not secret)."""
    kind = KINDS.get(code)
    return kind is not None and kind.secret


def secret_kinds() -> list[str]:
    return [k.code for k in KINDS.values() if k.secret]


MASK = "\u2022"  # •


def mask(text: str) -> str:
    """The text with every digit replaced by a bullet: what is left of a secret message."""
    return re.sub(r"\d", MASK, text)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in KINDS.values()]

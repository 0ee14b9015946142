"""Pure rules of the vehicles app.

When a sighting is "out of hours": a sighting of a wanted vehicle in office hours reaches the
case judge at their desk; at night, at weekends and on public holidays nobody reads the inbox,
so the standby team on duty is told too (issue 7 §2). Office hours are
``settings.COURT_OFFICE_HOURS`` ("08:30-17:30"), Asia/Shanghai, on working days
(``courtexec.working_days``: make-up working days count, public holidays do not).

The impound lifecycle as data: which action moves an impound from which state to which, who
(court staff or the custodian's users) may take it, and the checklists of a condition report.

Services refuse an action from any other state (HTTP 409, a form error on the pages) and the
pages offer only the actions :func:`allowed_actions` returns, so both read the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Office hours now live in courtexec (the liaison auto-reply reads them too).
from courtexec.office_hours import is_out_of_hours, parse_office_hours  # noqa: F401
from vehicles.models import Impound

State = Impound.State

# 车况检查单: the damage an officer ticks at seizure and each party checks at a hand-over.
DAMAGE_CHECKLIST: list[tuple[str, str]] = [
    ("front_bumper", _("Front bumper")),  # 前保险杠
    ("rear_bumper", _("Rear bumper")),  # 后保险杠
    ("left_doors", _("Left doors")),  # 左侧车门
    ("right_doors", _("Right doors")),  # 右侧车门
    ("bonnet", _("Bonnet")),  # 发动机盖
    ("boot", _("Boot")),  # 后备箱盖
    ("windscreen", _("Windscreen")),  # 前挡风玻璃
    ("windows", _("Side or rear windows")),  # 车窗
    ("mirrors", _("Mirrors")),  # 后视镜
    ("lights", _("Lights")),  # 灯具
    ("tyres", _("Tyres or wheels")),  # 轮胎/轮毂
    ("interior", _("Interior")),  # 内饰
    ("scratches", _("Scratches")),  # 划痕
    ("dents", _("Dents")),  # 凹陷
]
DAMAGE_CODES = frozenset(code for code, _label in DAMAGE_CHECKLIST)

# 随车证件: what the holder handed over with the vehicle.
DOCUMENT_CHECKLIST: list[tuple[str, str]] = [
    ("driving_licence", _("Vehicle driving licence (行驶证)")),
    ("registration_certificate", _("Registration certificate (登记证书)")),
    ("spare_key", _("Spare key (备用钥匙)")),
    ("purchase_invoice", _("Purchase invoice (购车发票)")),
    ("insurance_policy", _("Insurance policy (保险单)")),
]
DOCUMENT_CODES = frozenset(code for code, _label in DOCUMENT_CHECKLIST)


@dataclass(frozen=True)
class Transition:
    """One action: the states it may start from, the state it leaves (``None``: unchanged),
    whether a custodian's user may take it, and its label."""

    sources: tuple[str, ...]
    target: str | None
    custodian_may: bool
    label: str


TRANSITIONS: dict[str, Transition] = {
    "approve-tow": Transition((State.SEIZED,), None, False, _("Approve towing")),
    "tow": Transition((State.SEIZED,), State.TOWED, False, _("Tow")),
    "intake": Transition((State.TOWED,), State.IN_CUSTODY, True, _("Take into custody")),
    "move": Transition((State.IN_CUSTODY,), None, True, _("Move to another bay")),
    "decide-disposal": Transition(
        (State.SEIZED, State.TOWED, State.IN_CUSTODY), None, False, _("Decide the disposal")
    ),
    # A seized vehicle not yet towed may be given back on the spot (the debt paid there).
    "release": Transition(
        (State.SEIZED, State.IN_CUSTODY), State.RELEASED, True, _("Release to the owner")
    ),
    "to-auction": Transition((State.IN_CUSTODY,), State.TO_AUCTION, True, _("Hand to auction")),
    "deliver": Transition((State.TO_AUCTION,), State.DELIVERED, True, _("Deliver to the buyer")),
}
ACTIONS = tuple(TRANSITIONS)


def may_start(impound: Impound, action: str) -> bool:
    """The state allows ``action``, and so do the facts it depends on (approval, disposal)."""
    transition = TRANSITIONS[action]
    if impound.state not in transition.sources:
        return False
    if action == "approve-tow":
        return settings.VEHICLES_TOW_NEEDS_APPROVAL and impound.tow_approved_at is None
    if action == "tow":
        return not settings.VEHICLES_TOW_NEEDS_APPROVAL or impound.tow_approved_at is not None
    if action == "decide-disposal":
        return not impound.disposal
    if action == "release":
        return impound.disposal == Impound.Disposal.RELEASE
    if action == "to-auction":
        return impound.disposal == Impound.Disposal.AUCTION
    return True


def allowed_actions(impound: Impound, *, custodian_user: bool = False) -> list[str]:
    """The actions to offer now, in lifecycle order; a custodian's user only their own."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if may_start(impound, action) and (transition.custodian_may or not custodian_user)
    ]

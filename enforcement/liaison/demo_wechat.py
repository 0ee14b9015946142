"""Demo data of the WeChat official account: one party bound to a sandbox openid, with a first
message sent from WeChat into their case thread (through the real callback handling)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from courtexec.models import Court, User, WechatBinding
from courtexec.roles import Role
from enforcement.liaison import services
from enforcement.liaison.selectors import PORTAL_ROLES
from enforcement.liaison.wechat.callback import receive
from enforcement.liaison.wechat.messages import Inbound
from enforcement.models import CaseParty, EnforcementCase

SANDBOX_OPENID = "o-sandbox-demo-party-0001"
ACCOUNT_ID = "gh_courtexec_sandbox"


def load(court: Court, staff: Mapping[Role, User]) -> WechatBinding | None:
    """Bind the first open case's applicant (with a mobile number) to the sandbox openid."""
    existing = WechatBinding.objects.filter(openid=SANDBOX_OPENID).first()
    if existing is not None:
        return existing
    link = (
        CaseParty.objects.filter(
            case__court=court, role__in=PORTAL_ROLES, party__phone__regex=r"^1\d{10}$"
        )
        .exclude(case__status=EnforcementCase.Status.CONCLUDED)
        .select_related("party", "case")
        .order_by("case__filed_on", "pk")
        .first()
    )
    if link is None:
        return None
    account = services.open_portal_account(phone=link.party.phone)
    binding = WechatBinding.objects.create(user=account.user, openid=SANDBOX_OPENID)
    receive(
        Inbound(
            to_account=ACCOUNT_ID,
            openid=SANDBOX_OPENID,
            create_time=str(int(time.time())),
            msg_type="text",
            msg_id="demo-0001",
            content=f"{link.case.number} 法官您好，请问执行款什么时候能发放？",
        )
    )
    return binding

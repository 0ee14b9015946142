"""Demo threads of the liaison station for a court: three applicants of the demo judge's open
cases have written — one answered, one answered after an automatic night reply, one waiting for
days (the hourly job flags it to the section chief). Idempotent: loaded once per court.

The rows are written directly with times in the past, so that the inbox, the read receipts and
the reply-time page have something to show; the services stamp every message "now".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from courtexec.models import Court, User
from courtexec.roles import Role
from enforcement.liaison import services
from enforcement.liaison.models import Message, Thread
from enforcement.models import CaseParty, EnforcementCase

# (hours before now, author, text) per thread; the system line is the off-hours auto-reply.
CONVERSATIONS: list[list[tuple[int, str, str]]] = [
    [
        (75, "party", "法官您好，我是申请人，想问一下被执行人的财产查到了吗？"),
        (
            73,
            "staff",
            "您好，已通过总对总网络查控系统查询，冻结了被执行人一个银行账户，请耐心等待。",
        ),
        (72, "party", "好的，谢谢法官！"),
        (50, "staff", "补充告知：冻结账户内的款项已扣划到法院案款账户。"),
    ],
    [
        (30, "party", "法官，晚上打扰了，被执行人今天在小区里开着车，车牌浙A·8K2R1。"),
        (30, "system", "自动回复：您的消息在办公时间以外送达，法官将于工作日8:30后查看。"),
        (16, "staff", "收到线索，已安排法警核实，谢谢您的配合。"),
    ],
    [
        (100, "party", "请问案款什么时候能发放？我已经等了很久了。"),
    ],
]


def _applicant_links(court: Court, judge: User) -> list[CaseParty]:
    """Applicants with a mobile number on the judge's open cases, one per case."""
    links = (
        CaseParty.objects.filter(
            case__court=court,
            case__judge=judge,
            role=CaseParty.Role.APPLICANT,
            party__phone__regex=r"^1\d{10}$",
        )
        .exclude(case__status=EnforcementCase.Status.CONCLUDED)
        .select_related("case", "party")
        .order_by("case_id", "pk")
    )
    chosen: dict[int, CaseParty] = {}
    for link in links:
        chosen.setdefault(link.case_id, link)
    return list(chosen.values())


@transaction.atomic
def load(*, court: Court, staff: Mapping[Role, User]) -> int:
    """Create the demo threads of ``court`` once; returns how many (0 if already loaded)."""
    if Thread.objects.filter(case__court=court).exists():
        return 0
    judge = staff[Role.JUDGE]
    now = timezone.now()
    links = _applicant_links(court, judge)
    for link, lines in zip(links, CONVERSATIONS, strict=False):
        account = services.open_portal_account(phone=link.party.phone)
        thread = Thread.objects.create(case=link.case, party=link.party)
        waiting_since = None
        for hours, author, text in lines:
            at = now - dt.timedelta(hours=hours)
            Message.objects.create(
                thread=thread,
                author=author,
                party_author=account if author == "party" else None,
                staff_author=judge if author == "staff" else None,
                body=text,
                via=Message.Via.SYSTEM if author == "system" else Message.Via.WEB,
                is_auto_reply=author == "system",
                created_at=at,
                # The judge has read what came before the last line; the last is unread.
                read_at=at + dt.timedelta(minutes=30)
                if (hours, author, text) != lines[-1]
                else None,
            )
            if author == "party":
                waiting_since = waiting_since or at
            elif author == "staff":
                waiting_since = None
        thread.last_message_at = now - dt.timedelta(hours=lines[-1][0])
        thread.awaiting_reply_since = waiting_since
        thread.save(update_fields=["last_message_at", "awaiting_reply_since"])
    return min(len(links), len(CONVERSATIONS))

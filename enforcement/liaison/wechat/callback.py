"""What the official account does with each message or event WeChat forwards to it.

Only database writes happen here (WeChat waits 5 seconds at most): the party's message is
stored in its case thread, and anything slow (notifying the judge, outside deliveries) is queued
by the services to run after the commit. Each message is handled once: a retry with the same
key gets the stored reply.

Which case a bound party's text goes to (the rule, in order):

1. a text starting with ``#n`` (``#2 您好``) goes to the n-th of the party's open cases as
   numbered in the list the account sends;
2. a text starting with one of the party's case numbers (optionally after ``案号``) goes to
   that case;
3. a party with exactly one open case writes to it;
4. otherwise nothing is stored and the reply lists the open cases with their numbers.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courtexec.models import User
from enforcement.liaison import selectors, services
from enforcement.liaison.models import Message, PortalAccount
from enforcement.liaison.wechat import binding
from enforcement.liaison.wechat.messages import Inbound
from enforcement.liaison.wechat.models import WechatInbound
from enforcement.models import EnforcementCase

# Menu click keys (see enforcement.liaison.wechat.menu).
CONTACT_JUDGE = "CONTACT_JUDGE"

BIND_COMMAND = re.compile(r"^\s*(?:绑定|bind)\s*(\d{6,8})\s*$", re.IGNORECASE)
CASE_INDEX = re.compile(r"^\s*[#＃](\d{1,2})\s*")
CASE_NUMBER_LABEL = re.compile(r"^\s*案号\s*[:：]?\s*")


def receive(inbound: Inbound) -> str:
    """Handle one message or event once; the answer is the text of the passive reply
    ("" for none)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                log = WechatInbound.objects.create(
                    dedup_key=inbound.dedup_key[:120],
                    openid=inbound.openid,
                    msg_type=inbound.msg_type[:20],
                    event=inbound.event[:40],
                    content=inbound.content,
                )
        except IntegrityError:
            # A retry: the first delivery's transaction has committed (the insert waited for it).
            return WechatInbound.objects.get(dedup_key=inbound.dedup_key[:120]).reply
        log.user = binding.bound_user(inbound.openid)
        log.reply, log.message = _answer(inbound, log.user)
        log.save(update_fields=["user", "reply", "message"])
        return log.reply


def _answer(inbound: Inbound, user: User | None) -> tuple[str, Message | None]:
    if inbound.msg_type == "event":
        return _event(inbound, user), None
    if inbound.msg_type != "text":
        return _("Only text messages reach the judge here; send files from the portal."), None
    command = BIND_COMMAND.match(inbound.content)
    if command:
        return _bind(inbound.openid, command.group(1)), None
    if user is None:
        return binding_instructions(), None
    account = selectors.portal_account(user)
    if account is None:
        staff_note = _("This WeChat account receives your CourtExec notifications; answer there.")
        return staff_note, None
    return _party_text(account, inbound.content)


def _event(inbound: Inbound, user: User | None) -> str:
    event = inbound.event.lower()
    if event == "subscribe":
        if user is not None:
            return _("Welcome back. Messages you send here reach the judge of your case.")
        return _("Welcome to the enforcement liaison station.") + "\n" + binding_instructions()
    if event == "click" and inbound.event_key == CONTACT_JUDGE:
        account = selectors.portal_account(user) if user else None
        if account is None:
            return binding_instructions()
        return _contact_judge(account)
    return ""  # unsubscribe, menu links (VIEW), location reports: nothing to answer


def binding_instructions() -> str:
    return _(
        "Sign in to the liaison station portal, open “Bind WeChat” to get a binding code, "
        "then send “绑定 code” here, for example “绑定 12345678”."
    )


def _bind(openid: str, code: str) -> str:
    try:
        bound = binding.bind(openid=openid, code=code)
    except binding.BindingRefused as refused:
        return str(refused)
    return _("Bound successfully: this WeChat account is now bound to %(name)s.") % {
        "name": bound.user
    }


def _open_cases(account: PortalAccount) -> list[EnforcementCase]:
    return list(
        selectors.party_cases(account)
        .exclude(status=EnforcementCase.Status.CONCLUDED)
        .select_related("judge")
        .order_by("filed_on", "pk")
    )


def _case_list(cases: list[EnforcementCase]) -> str:
    return "\n".join(f"#{n} {case.number} · {case.judge}" for n, case in enumerate(cases, 1))


def _contact_judge(account: PortalAccount) -> str:
    cases = _open_cases(account)
    if not cases:
        return _("You have no open case.")
    if len(cases) == 1:
        return _(
            "Your case %(number)s is handled by judge %(judge)s. Write here and your message "
            "reaches the judge."
        ) % {"number": cases[0].number, "judge": cases[0].judge}
    return (
        _("Start your message with the case's # number, for example “#1 Hello”:")
        + "\n"
        + _case_list(cases)
    )


def _normalised(text: str) -> str:
    return text.replace("（", "(").replace("）", ")").strip()


def _choose_case(cases: list[EnforcementCase], text: str) -> tuple[EnforcementCase | None, str]:
    """The case a text is for, by the module's rule, and the text without its case prefix."""
    index = CASE_INDEX.match(text)
    if index:
        n = int(index.group(1))
        return (cases[n - 1] if 1 <= n <= len(cases) else None), text[index.end() :]
    labelled = CASE_NUMBER_LABEL.sub("", text, count=1)
    for case in cases:
        number = _normalised(case.number)
        if _normalised(labelled).startswith(number):
            return case, _normalised(labelled)[len(number) :]
    if len(cases) == 1:
        return cases[0], text
    return None, text


def _party_text(account: PortalAccount, text: str) -> tuple[str, Message | None]:
    cases = _open_cases(account)
    if not cases:
        return _("You have no open case; messages can no longer be sent to a judge."), None
    case, body = _choose_case(cases, text)
    if case is None:
        return (
            _("Which case is this about? Send it again starting with the case's # number:")
            + "\n"
            + _case_list(cases)
        ), None
    try:
        message = services.post_party_message(
            account=account, case=case, text=body, via=Message.Via.WECHAT
        )
    except ValidationError:
        return _("Write a message after the case number."), None
    return _("Sent to judge %(judge)s (case %(number)s).") % {
        "judge": case.judge,
        "number": case.number,
    }, message

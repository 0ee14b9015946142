"""Writes of the liaison station: every rule about what a party or the judge may send is here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtexec.authz import require
from courtexec.models import User
from enforcement.liaison import selectors
from enforcement.liaison.models import Message, PortalAccount, Thread
from enforcement.models import EnforcementCase, Party

# --- Messaging (一对一沟通) --------------------------------------------------------------------


def _thread_for(case: EnforcementCase, party: Party) -> Thread:
    """The case's thread with this party, created on first use and locked for the write."""
    thread, _created = Thread.objects.get_or_create(case=case, party=party)
    return Thread.objects.select_for_update().get(pk=thread.pk)


@transaction.atomic
def post_party_message(
    *, account: PortalAccount, case: EnforcementCase, text: str, via: str = Message.Via.WEB
) -> Message:
    """A party writes to the judge of one of its own cases; the thread starts waiting."""
    link = selectors.party_links(account).filter(case=case).select_related("party").first()
    if link is None:
        raise PermissionDenied
    body = text.strip()
    require(bool(body), "text", _("Write a message."))
    thread = _thread_for(case, link.party)
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        author=Message.Author.PARTY,
        party_author=account,
        body=body,
        via=via,
        created_at=now,
    )
    thread.last_message_at = now
    thread.awaiting_reply_since = thread.awaiting_reply_since or now
    thread.save(update_fields=["last_message_at", "awaiting_reply_since"])
    return message


@transaction.atomic
def post_staff_message(
    *, thread: Thread, user: User, text: str, via: str = Message.Via.WEB
) -> Message:
    """The case's judge or an assistant answers; the thread no longer waits."""
    thread = Thread.objects.select_for_update().select_related("case").get(pk=thread.pk)
    case = thread.case
    if user.pk != case.judge_id and not case.assistants.filter(pk=user.pk).exists():
        raise PermissionDenied
    body = text.strip()
    require(bool(body), "text", _("Write a message."))
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        author=Message.Author.STAFF,
        staff_author=user,
        body=body,
        via=via,
        created_at=now,
    )
    thread.last_message_at = now
    thread.awaiting_reply_since = None
    thread.flagged_at = None
    thread.save(update_fields=["last_message_at", "awaiting_reply_since", "flagged_at"])
    return message

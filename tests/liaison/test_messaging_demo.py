"""The messaging demo: threads on the demo judge's cases, loaded once, that the pages show."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from courtexec.models import Court, User
from courtexec.roles import Role
from enforcement.liaison import demo_messaging, selectors, services
from enforcement.liaison.models import Message, Thread

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("office_open")
def test_demo_threads_load_once_and_one_waits_to_be_flagged():
    out = io.StringIO()
    call_command("demo", stdout=out)  # loads the portal, messaging and WeChat demos
    assert "3 threads loaded now" in out.getvalue()
    court = Court.objects.get(code="浙0103")
    staff = {
        role: User.objects.filter(court=court, groups__name=role.value).first() for role in Role
    }
    assert demo_messaging.load(court=court, staff=staff) == 0
    # The messaging demo's three threads (the WeChat demo adds a message, in office hours here,
    # to one of them or to a thread of its own).
    demo_threads = Thread.objects.filter(messages__via=Message.Via.WEB).distinct()
    assert demo_threads.count() == 3
    assert Message.objects.filter(is_auto_reply=True).count() == 1
    judge = staff[Role.JUDGE]
    assert selectors.inbox_threads(judge).filter(pk__in=demo_threads).count() == 3
    assert services.flag_unanswered_threads() == 1  # 100 hours are more than 2 working days
    assert Thread.objects.filter(flagged_at__isnull=False).count() == 1
    for thread in Thread.objects.all():  # each party can open its own thread
        account = thread.messages.filter(author="party").first().party_author
        assert selectors.party_thread(account, thread.case) == thread

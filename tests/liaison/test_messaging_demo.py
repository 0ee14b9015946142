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


def test_demo_threads_load_once_and_one_waits_to_be_flagged():
    call_command("demo", stdout=io.StringIO())
    court = Court.objects.get(code="浙0103")
    staff = {
        role: User.objects.filter(court=court, groups__name=role.value).first() for role in Role
    }
    assert demo_messaging.load(court=court, staff=staff) == 3
    assert demo_messaging.load(court=court, staff=staff) == 0
    assert Message.objects.filter(is_auto_reply=True).count() == 1
    judge = staff[Role.JUDGE]
    assert selectors.inbox_threads(judge).count() == 3
    assert services.flag_unanswered_threads() == 1  # 100 hours are more than 2 working days
    assert Thread.objects.filter(flagged_at__isnull=False).count() == 1
    for thread in Thread.objects.all():  # each party can open its own thread
        account = thread.messages.filter(author="party").first().party_author
        assert selectors.party_thread(account, thread.case) == thread

"""Case messaging in the browser's pages: the party's thread on the portal, the liaison inbox,
the thread page, the case's Messages tab and the reply-time figures; and who may open what
(a party only its own thread and files, staff only their courts': anything else is a 404)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courtexec.roles import Role
from enforcement.liaison.models import Message, Thread
from tests.liaison.conftest import signed_in
from tests.liaison.messaging_helpers import TUESDAY, at, party_writes, png, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("office_open")]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def portal_url(case) -> str:
    return reverse("liaison:portal-thread", kwargs={"case_pk": case.pk})


@pytest.fixture
def thread(applicant_account, case):
    return party_writes(applicant_account, case, at(TUESDAY, 10), attachments=[png()]).thread


# --- the party's side ---


def test_a_party_writes_from_the_portal_and_sees_the_thread(applicant_client, case):
    empty = applicant_client.get(portal_url(case), **EN)
    assert empty.status_code == 200 and 'data-testid="empty-state"' in empty.content.decode()
    response = applicant_client.post(
        portal_url(case), {"message-text": "执行款什么时候到账？", "message-attachments": [png()]}
    )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.attachments.count() == 1
    page = applicant_client.get(portal_url(case), **EN).content.decode()
    assert "执行款什么时候到账？" in page and "Unread" in page


def test_htmx_send_answers_the_conversation_with_field_errors(applicant_client, case):
    response = applicant_client.post(
        portal_url(case),
        {"message-text": "", "message-attachments": [upload("a.pdf", b"not a pdf")]},
        HTTP_HX_REQUEST="true",
        **EN,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="conversation"' in body and "<html" not in body
    assert "is not a JPEG, PNG or WebP image or a PDF document" in body
    assert not Message.objects.exists()


def test_the_party_sees_when_the_judge_has_read(applicant_client, case, judge, thread):
    staff_client(judge).get(reverse("liaison:thread", args=[thread.pk]))
    assert "Read" in applicant_client.get(portal_url(case), **EN).content.decode()
    assert thread.messages.get(author="party").read_at is not None


def test_a_party_cannot_open_another_partys_case_thread_or_file(
    applicant_account, other_account, other_case, thread
):
    other = signed_in(other_account)
    file = thread.messages.get().attachments.get()
    assert other.get(portal_url(thread.case)).status_code == 404
    assert other.post(portal_url(thread.case), {"message-text": "hi"}).status_code == 404
    assert other.get(reverse("liaison:portal-attachment", args=[file.pk])).status_code == 404
    # …nor the court's pages, whatever the id.
    assert other.get(reverse("liaison:thread", args=[thread.pk])).status_code == 403
    assert other.get(reverse("liaison:attachment", args=[file.pk])).status_code == 403
    # The owner gets the file, as the type it was checked to be.
    own = signed_in(applicant_account).get(reverse("liaison:portal-attachment", args=[file.pk]))
    assert own.status_code == 200 and own["Content-Type"] == "image/png"
    assert own["X-Content-Type-Options"] == "nosniff"


def test_the_respondent_has_its_own_thread_on_the_same_case(
    respondent_client, respondent_account, case, thread
):
    page = respondent_client.get(portal_url(case), **EN).content.decode()
    assert "请问案款何时发放？" not in page
    respondent_client.post(portal_url(case), {"message-text": "我已准备还款计划。"})
    assert Thread.objects.filter(case=case).count() == 2


# --- the court's side ---


def test_the_inbox_lists_my_threads_with_unread_counts_and_filters(case, judge, staff, thread):
    client = staff_client(judge)
    page = client.get(reverse("liaison:threads"), **EN).content.decode()
    assert 'data-testid="thread"' in page and 'data-testid="unread">1<' in page
    assert 'data-testid="thread"' in client.get("/liaison/threads/?awaiting=on").content.decode()
    assert 'data-testid="thread"' not in client.get("/liaison/threads/?flagged=on").content.decode()
    assert 'data-testid="thread"' not in client.get("/liaison/threads/?case=9999").content.decode()
    htmx = client.get(f"/liaison/threads/?case={case.number}", HTTP_HX_REQUEST="true")
    assert 'data-testid="thread"' in htmx.content.decode() and "<html" not in htmx.content.decode()
    # Another judge of the court has it not in their inbox; the section chief has.
    other_judge = staff_client(staff["ticket_clerk"])
    assert 'data-testid="thread"' not in other_judge.get("/liaison/threads/").content.decode()
    chief = staff_client(staff[Role.SECTION_CHIEF])
    assert 'data-testid="thread"' in chief.get("/liaison/threads/").content.decode()


def test_the_judge_answers_on_the_thread_page_a_chief_may_only_read(
    applicant_account, judge, staff, thread
):
    url = reverse("liaison:thread", args=[thread.pk])
    assert staff_client(judge).post(url, {"message-text": "收到。"}).status_code == 302
    assert thread.messages.filter(author="staff").count() == 1
    chief = staff_client(staff[Role.SECTION_CHIEF])
    page = chief.get(url, **EN).content.decode()
    assert "Only the case's judge and assistants answer here." in page
    assert chief.post(url, {"message-text": "我来回"}).status_code == 403


def test_another_court_sees_nothing(judge_b, thread, case):
    client = staff_client(judge_b)
    file = thread.messages.get().attachments.get()
    assert client.get(reverse("liaison:thread", args=[thread.pk])).status_code == 404
    assert client.get(reverse("liaison:attachment", args=[file.pk])).status_code == 404
    assert client.get(reverse("liaison:case-messages", args=[case.pk])).status_code == 404
    assert 'data-testid="thread"' not in client.get("/liaison/threads/").content.decode()


def test_the_case_page_has_a_messages_tab_loaded_from_the_liaison_app(case, judge, thread):
    client = staff_client(judge)
    detail = client.get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    assert reverse("liaison:case-messages", args=[case.pk]) in detail
    tab = client.get(reverse("liaison:case-messages", args=[case.pk])).content.decode()
    assert reverse("liaison:thread", args=[thread.pk]) in tab


def test_staff_open_the_attachment_of_a_case_they_see(judge, thread):
    file = thread.messages.get().attachments.get()
    response = staff_client(judge).get(reverse("liaison:attachment", args=[file.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_reply_times_are_for_chiefs(judge, staff, thread):
    assert staff_client(judge).get(reverse("liaison:reply-times")).status_code == 403
    chief = staff_client(staff[Role.SECTION_CHIEF])
    page = chief.get("/liaison/reply-times/?from=2026-03-01&to=2026-03-31", **EN)
    assert page.status_code == 200 and 'data-testid="reply-times"' in page.content.decode()
    bad = chief.get("/liaison/reply-times/?from=2026-03-31&to=2026-03-01", **EN)
    assert bad.status_code == 400
    assert "The end of the period cannot precede its start." in bad.content.decode()
    far = chief.get("/liaison/reply-times/?from=0001-01-01&to=9999-12-31", **EN)
    assert far.status_code == 400 and "Enter a day from 1990-01-01" in far.content.decode()


def test_inbox_and_thread_pages_cost_the_same_queries_however_many_threads(
    court_a, judge, staff, respondent, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enforcement.models import Party
    from tests.enforcement.fixtures import file_case
    from tests.liaison.conftest import make_account

    def add_threads(first: int, count: int) -> None:
        for serial in range(first, first + count):
            phone = f"1370000{serial:04d}"
            party = Party.objects.create(
                registered_by=court_a, kind=Party.Kind.PERSON, name=f"申请人{serial}", phone=phone
            )
            party.courts.add(court_a)
            case = file_case(court_a, judge, party, respondent)
            party_writes(make_account(phone), case, at(TUESDAY, 10), attachments=[png()])

    def queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    client, chief = staff_client(judge), staff_client(staff[Role.SECTION_CHIEF])
    add_threads(0, 2)
    few = queries(client, "/liaison/threads/"), queries(chief, "/liaison/reply-times/")
    add_threads(2, 8)
    many = queries(client, "/liaison/threads/"), queries(chief, "/liaison/reply-times/")
    assert many == few
    thread = Thread.objects.first()
    with django_assert_max_num_queries(16):
        client.get(reverse("liaison:thread", args=[thread.pk]))

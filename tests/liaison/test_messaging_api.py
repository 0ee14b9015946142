"""The case messaging API: staff threads (list, filter, messages, reply, read) and reply-time
figures; the party's own thread; another party's case or another court's thread is a 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from courtexec.roles import Role
from enforcement.liaison.models import Message
from tests.liaison.messaging_helpers import PDF, TUESDAY, at, party_writes, png, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("office_open")]
BASE = "/api/v1/liaison"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def thread(applicant_account, case):
    return party_writes(applicant_account, case, at(TUESDAY, 10)).thread


def test_staff_list_filter_and_read_a_thread(judge, case, thread):
    client = api(judge)
    listed = client.get(f"{BASE}/threads/").json()["results"]
    assert [(row["id"], row["unread"]) for row in listed] == [(thread.pk, 1)]
    assert client.get(f"{BASE}/threads/?flagged=true").json()["results"] == []
    assert len(client.get(f"{BASE}/threads/?case={case.pk}").json()["results"]) == 1
    odd_digit = client.get(f"{BASE}/threads/?case=²")  # isdigit() but not int()
    assert odd_digit.status_code == 200 and odd_digit.json()["results"] == []
    detail = client.get(f"{BASE}/threads/{thread.pk}/").json()
    assert [m["author"] for m in detail["messages"]] == ["party"]
    assert client.post(f"{BASE}/threads/{thread.pk}/read/").json() == {"marked": 1}
    assert client.post(f"{BASE}/threads/{thread.pk}/read/").json() == {"marked": 0}


def test_staff_reply_with_a_file_and_bad_input(judge, thread):
    client = api(judge)
    url = f"{BASE}/threads/{thread.pk}/messages/"
    created = client.post(url, {"text": "请看附件", "attachments": [upload("n.pdf", PDF)]})
    assert created.status_code == 201
    body = created.json()
    assert body["via"] == "api" and body["attachments"][0]["content_type"] == "application/pdf"
    assert body["attachments"][0]["url"].startswith("/liaison/attachments/")
    empty = client.post(url, {"text": " "}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()["fields"]
    spoofed = client.post(url, {"attachments": [upload("x.png", b"GIF89a....")]})
    assert spoofed.status_code == 400 and "attachments" in spoofed.json()["fields"]


def test_a_chief_reads_but_may_not_answer(staff, thread):
    chief = api(staff[Role.SECTION_CHIEF])
    assert chief.get(f"{BASE}/threads/{thread.pk}/").status_code == 200
    answer = chief.post(f"{BASE}/threads/{thread.pk}/messages/", {"text": "x"}, format="json")
    assert answer.status_code == 403


def test_another_court_gets_404(judge_b, thread):
    client = api(judge_b)
    assert client.get(f"{BASE}/threads/").json()["results"] == []
    assert client.get(f"{BASE}/threads/{thread.pk}/").status_code == 404
    assert client.post(f"{BASE}/threads/{thread.pk}/read/").status_code == 404
    reply = client.post(f"{BASE}/threads/{thread.pk}/messages/", {"text": "x"}, format="json")
    assert reply.status_code == 404


def test_the_party_reads_and_writes_its_own_thread(applicant_account, case, judge, thread):
    client = api(applicant_account.user)
    url = f"{BASE}/portal/cases/{case.pk}/messages/"
    body = client.get(url).json()
    assert body["case_number"] == case.number and body["judge_name"] == str(judge)
    assert [m["body"] for m in body["messages"]] == ["请问案款何时发放？"]
    sent = client.post(url, {"text": "", "attachments": [png()]})
    assert sent.status_code == 201
    assert sent.json()["attachments"][0]["url"].startswith("/liaison/portal/attachments/")
    assert Message.objects.filter(thread=thread).count() == 2


def test_a_party_cannot_reach_another_case_or_the_staff_api(other_account, thread, case):
    client = api(other_account.user)
    url = f"{BASE}/portal/cases/{case.pk}/messages/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "hi"}, format="json").status_code == 404
    assert client.get(f"{BASE}/threads/").status_code == 403
    assert client.get(f"{BASE}/threads/{thread.pk}/").status_code == 403
    # …and staff are not parties.
    assert api(thread.case.judge).get(url).status_code == 403


def test_reply_times_for_chiefs(staff, judge, thread):
    chief = api(staff[Role.SECTION_CHIEF])
    rows = chief.get(f"{BASE}/reply-times/?from=2026-03-01&to=2026-03-31").json()
    assert rows == [
        {
            "judge": judge.pk,
            "judge_name": str(judge),
            "answered": 0,
            "median_seconds": None,
            "p90_seconds": None,
            "unanswered": 1,
        }
    ]
    bad = chief.get(f"{BASE}/reply-times/?from=2026-03-31&to=2026-03-01")
    assert bad.status_code == 400 and "to" in bad.json()["fields"]
    far = chief.get(f"{BASE}/reply-times/?from=0001-01-01&to=9999-12-31")
    assert far.status_code == 400 and set(far.json()["fields"]) == {"from", "to"}
    assert api(judge).get(f"{BASE}/reply-times/").status_code == 403

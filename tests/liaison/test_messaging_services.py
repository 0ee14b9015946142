"""Case messaging, the rules: both sides write, files are what their bytes say, read receipts,
the off-hours auto-reply, notifications, reassignment, the record PostgreSQL keeps, the case
timeline and the unanswered flag on working days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from courtexec.models import Notification
from courtexec.roles import Role
from enforcement import selectors as case_selectors
from enforcement import services as case_services
from enforcement.liaison import services, tasks
from enforcement.liaison.models import Message, MessageAttachment, Thread
from tests.factories import UserFactory
from tests.liaison.messaging_helpers import (
    PDF,
    TUESDAY,
    at,
    party_writes,
    png,
    staff_writes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(applicant_account, case):
    """The applicant's thread on the shared case, opened by one message on a Tuesday morning."""
    return party_writes(applicant_account, case, at(TUESDAY, 10)).thread


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- both sides write ---


def test_a_party_writes_and_the_judge_answers(applicant_account, case, judge):
    message = party_writes(applicant_account, case, at(TUESDAY, 10))
    thread = message.thread
    assert (thread.case, thread.party.phone) == (case, "13900000001")
    assert thread.awaiting_reply_since == message.created_at
    assert kinds(judge) == ["liaison.party_message"]

    answer = staff_writes(thread, judge, at(TUESDAY, 11))
    thread.refresh_from_db()
    assert answer.author == Message.Author.STAFF
    assert thread.awaiting_reply_since is None
    assert thread.last_message_at == answer.created_at
    assert kinds(applicant_account.user) == ["liaison.staff_reply"]
    assert list(thread.messages.values_list("author", flat=True)) == ["party", "staff"]


def test_a_second_party_message_keeps_the_waiting_run(applicant_account, case):
    first = party_writes(applicant_account, case, at(TUESDAY, 10))
    party_writes(applicant_account, case, at(TUESDAY, 11))
    first.thread.refresh_from_db()
    assert first.thread.awaiting_reply_since == first.created_at


def test_assistants_are_told_and_may_answer_others_may_not(applicant_account, case, staff):
    clerk = staff[Role.CLERK]
    case.assistants.add(clerk)
    thread = party_writes(applicant_account, case, at(TUESDAY, 10)).thread
    assert kinds(clerk) == ["liaison.party_message"]
    staff_writes(thread, clerk, at(TUESDAY, 10, 30))
    with pytest.raises(PermissionDenied):
        staff_writes(thread, staff[Role.SECTION_CHIEF], at(TUESDAY, 11))


def test_a_party_may_write_only_on_its_own_case(applicant_account, other_case):
    with pytest.raises(PermissionDenied):
        party_writes(applicant_account, other_case, at(TUESDAY, 10))
    assert not Thread.objects.exists()


def test_an_empty_message_is_refused(applicant_account, case):
    with pytest.raises(ValidationError) as error:
        party_writes(applicant_account, case, at(TUESDAY, 10), text="   ")
    assert "text" in error.value.message_dict


# --- attachments ---


def test_files_are_stored_as_what_their_bytes_say(applicant_account, case):
    message = party_writes(
        applicant_account,
        case,
        at(TUESDAY, 10),
        text="",
        attachments=[png("收据.png"), upload("判决书.pdf", PDF), png("scan.pdf")],
    )
    files = list(message.attachments.order_by("pk"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("收据.png", "image/png"),
        ("判决书.pdf", "application/pdf"),
        ("scan.pdf", "image/png"),  # a PNG however it is named, and served as one
    ]
    assert files[2].file.name.endswith(".png")


@pytest.mark.parametrize(
    "bad",
    [
        upload("notes.txt", b"just some text", "text/plain"),
        upload("invoice.pdf", b"MZ\x90\x00 a program, not a PDF"),  # a spoofed extension
        upload("photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/jpeg"),
    ],
)
def test_a_file_of_another_type_is_refused_whatever_its_name(applicant_account, case, bad):
    with pytest.raises(ValidationError) as error:
        party_writes(applicant_account, case, at(TUESDAY, 10), attachments=[bad])
    assert error.value.error_dict["attachments"][0].code == "type"
    assert not Message.objects.exists()  # nothing half-written


def test_a_file_too_big_is_refused(applicant_account, case, settings):
    settings.LIAISON_ATTACHMENT_MAX_BYTES = 1000
    big = upload("big.pdf", PDF + b"0" * 1000)
    with pytest.raises(ValidationError) as error:
        party_writes(applicant_account, case, at(TUESDAY, 10), attachments=[big])
    assert error.value.error_dict["attachments"][0].code == "too_large"
    assert not MessageAttachment.objects.exists()


# --- read receipts ---


def test_opening_the_thread_marks_the_other_sides_messages_read(
    applicant_account, case, judge, staff, thread
):
    answer = staff_writes(thread, judge, at(TUESDAY, 11))
    question = thread.messages.get(author=Message.Author.PARTY)
    assert services.mark_read_by_staff(thread=thread, user=staff[Role.SECTION_CHIEF]) == 0
    assert services.mark_read_by_staff(thread=thread, user=judge) == 1
    question.refresh_from_db()
    answer.refresh_from_db()
    assert question.read_at is not None and answer.read_at is None
    assert services.mark_read_by_party(account=applicant_account, thread=thread) == 1
    answer.refresh_from_db()
    assert answer.read_at is not None


def test_another_party_cannot_mark_a_thread_read(other_account, thread):
    with pytest.raises(PermissionDenied):
        services.mark_read_by_party(account=other_account, thread=thread)


# --- working-hours auto-reply ---


def auto_replies(thread) -> list[Message]:
    return list(thread.messages.filter(is_auto_reply=True))


def test_no_auto_reply_in_office_hours(thread):
    assert auto_replies(thread) == []


def test_one_auto_reply_per_night_saying_when_the_judge_is_back(applicant_account, case):
    with translation.override("en"):
        first = party_writes(applicant_account, case, at(TUESDAY, 20))
        party_writes(applicant_account, case, at(TUESDAY, 23))
        party_writes(applicant_account, case, at(TUESDAY + dt.timedelta(days=1), 7))
    [reply] = auto_replies(first.thread)
    assert reply.author == Message.Author.SYSTEM
    assert "2026-03-11 08:30" in reply.body
    # The next evening is another off-hours period: another reply.
    party_writes(applicant_account, case, at(TUESDAY + dt.timedelta(days=1), 18))
    assert len(auto_replies(first.thread)) == 2


def test_a_holiday_is_out_of_hours_until_the_next_working_day(applicant_account, case):
    with translation.override("en"):
        message = party_writes(applicant_account, case, at(dt.date(2026, 10, 1), 10))
    [reply] = auto_replies(message.thread)
    assert "2026-10-08 08:30" in reply.body  # National Day week, back on Thursday


def test_a_make_up_working_day_is_in_hours(applicant_account, case):
    message = party_writes(applicant_account, case, at(dt.date(2026, 10, 10), 10))  # Saturday
    assert auto_replies(message.thread) == []


# --- reassignment ---


def test_reassignment_moves_the_thread_and_writes_the_note(
    applicant_account, case, judge, staff, thread
):
    new_judge = UserFactory(username="new_judge", court=case.court, roles=[Role.JUDGE])
    with translation.override("en"):
        case_services.reassign_case(
            case=case, user=staff[Role.SECTION_CHIEF], judge=new_judge, assistants=[], reason="调整"
        )
    note = thread.messages.get(author=Message.Author.SYSTEM)
    assert str(judge) in note.body and str(new_judge) in note.body
    assert kinds(new_judge) == ["liaison.reassigned"]
    staff_writes(thread, new_judge, at(TUESDAY, 14))
    with pytest.raises(PermissionDenied):
        staff_writes(thread, judge, at(TUESDAY, 15))
    # The party's next message goes to the new judge.
    party_writes(applicant_account, case, at(TUESDAY, 16))
    assert kinds(new_judge).count("liaison.party_message") == 1


# --- the record ---


def test_postgresql_refuses_to_edit_or_delete_a_message(thread):
    message = thread.messages.get()
    with pytest.raises(IntegrityError, match="part of the record"), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(body="改过的")
    with pytest.raises(IntegrityError, match="part of the record"), transaction.atomic():
        Message.objects.filter(pk=message.pk).delete()
    Message.objects.filter(pk=message.pk).update(read_at=timezone.now())  # filled in once
    with pytest.raises(IntegrityError, match="part of the record"), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(read_at=None)


def test_postgresql_refuses_to_edit_or_delete_an_attachment(applicant_account, case):
    message = party_writes(applicant_account, case, at(TUESDAY, 10), attachments=[png()])
    files = MessageAttachment.objects.filter(message=message)
    with pytest.raises(IntegrityError, match="part of the record"), transaction.atomic():
        files.update(original_name="other.png")
    with pytest.raises(IntegrityError, match="part of the record"), transaction.atomic():
        files.delete()


def test_messages_are_in_the_case_timeline(case, judge, thread):
    staff_writes(thread, judge, at(TUESDAY, 11), text="下周一发放。")
    events = case_selectors.case_timeline(case, {"message"})
    assert [event.summary.split(" · ")[1] for event in events] == [
        "下周一发放。",
        "请问案款何时发放？",
    ]
    assert events[0].user == str(judge)
    assert {e.kind for e in case_selectors.case_timeline(case)} >= {"case", "message"}


# --- unanswered flag ---


def flag_at(when: dt.datetime) -> int:
    with time_machine.travel(when, tick=False):
        return tasks.flag_unanswered()


def test_an_unanswered_message_is_flagged_after_two_working_days_once(
    applicant_account, case, judge, staff
):
    chief = staff[Role.SECTION_CHIEF]
    friday = dt.date(2026, 3, 13)
    thread = party_writes(applicant_account, case, at(friday, 16)).thread
    monday, tuesday = friday + dt.timedelta(days=3), friday + dt.timedelta(days=4)
    assert flag_at(at(monday, 17)) == 0
    assert flag_at(at(tuesday, 15, 59)) == 0  # two working days are up at 16:00 on Tuesday
    assert flag_at(at(tuesday, 16, 5)) == 1
    assert flag_at(at(tuesday, 17)) == 0  # this waiting run is flagged once
    assert kinds(chief) == ["liaison.unanswered"]
    assert kinds(judge).count("liaison.unanswered") == 0
    thread.refresh_from_db()
    assert thread.flagged_at is not None
    # An answer ends the run; the party's next message starts a new one, flagged in its turn.
    staff_writes(thread, judge, at(tuesday, 17))
    wednesday = tuesday + dt.timedelta(days=1)
    party_writes(applicant_account, case, at(wednesday, 9))
    assert flag_at(at(wednesday + dt.timedelta(days=2), 9, 30)) == 1
    assert kinds(chief) == ["liaison.unanswered"] * 2


def test_holidays_do_not_count_as_waiting(applicant_account, case):
    party_writes(applicant_account, case, at(dt.date(2026, 9, 30), 10))
    assert flag_at(at(dt.date(2026, 10, 8), 12)) == 0  # a week later, one working day
    assert flag_at(at(dt.date(2026, 10, 9), 11)) == 1


def test_the_flag_reads_the_partial_index(applicant_account, case):
    from django.db import connection

    party_writes(applicant_account, case, at(TUESDAY, 10))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM liaison_thread WHERE awaiting_reply_since IS NOT NULL "
            "AND flagged_at IS NULL AND awaiting_reply_since <= now()"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "threads_awaiting_reply" in plan

"""Admin of case messaging: court-scoped windows onto the record, nothing editable; the beat job
that flags unanswered messages is seeded and survives a flush."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask

from tests.liaison.messaging_helpers import TUESDAY, at, party_writes, png

pytestmark = pytest.mark.django_db


def test_threads_messages_and_files_are_read_only_and_court_scoped(
    client, applicant_account, case, judge, judge_b
):
    message = party_writes(applicant_account, case, at(TUESDAY, 10), attachments=[png("收据.png")])
    judge.is_staff = True
    judge.save()
    client.force_login(judge)
    pages = {
        "thread": message.thread.pk,
        "message": message.pk,
        "messageattachment": message.attachments.get().pk,
    }
    for model, pk in pages.items():
        listing = client.get(f"/admin/liaison/{model}/")
        assert listing.status_code == 200 and f"/{pk}/change/" in listing.content.decode(), model
        change = client.get(f"/admin/liaison/{model}/{pk}/change/").content.decode()
        assert 'type="submit" value="Save"' not in change and 'name="body"' not in change, model
    assert client.post(f"/admin/liaison/message/{message.pk}/delete/").status_code == 403
    judge_b.is_staff = True
    judge_b.save()
    client.force_login(judge_b)
    for model, pk in pages.items():
        assert f"/{pk}/change/" not in client.get(f"/admin/liaison/{model}/").content.decode()
        assert client.get(f"/admin/liaison/{model}/{pk}/change/").status_code in (302, 404)


@pytest.mark.django_db(transaction=True)
def test_the_flag_job_is_scheduled_hourly():
    job = PeriodicTask.objects.get(task="liaison.flag_unanswered")
    assert job.enabled and job.crontab.hour == "*"

"""In-app notifications and text messages sent once after commit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courtexec.models import Delivery, Notification
from courtexec.notifications import notify, relay_deliveries
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_notify_writes_one_entry_per_person_and_queues_sms(
    judge_a, django_capture_on_commit_callbacks
):
    judge_a.phone = "13800000001"
    judge_a.save()
    with django_capture_on_commit_callbacks() as callbacks:
        notify([judge_a, judge_a], kind="funds.arrival", message="¥100 到账", link="/cases/")
    assert Notification.objects.filter(recipient=judge_a).count() == 1
    message = Delivery.objects.get()
    assert message.status == Delivery.Status.QUEUED
    assert len(callbacks) == 1  # the relay is nudged only once the write commits


def test_sms_is_delivered_once(judge_a, caplog):
    message = Delivery.objects.create(address="13800000001", text="测试", kind="funds.suspense")
    with caplog.at_level("INFO", logger="courtexec.channels.sms"):
        assert relay_deliveries() == 1
        assert relay_deliveries() == 0  # a second relay run (or a redelivered task) sends nothing
    message.refresh_from_db()
    assert message.status == Delivery.Status.SENT
    assert message.reference.startswith("sandbox-")
    assert sum("测试" in record.getMessage() for record in caplog.records) == 1


def test_inbox_shows_unread_badge_and_marks_read(client, judge_a):
    notify([judge_a], kind="funds.suspense", message="案款到账提醒", link="/cases/")
    client.login(username=judge_a.username, password=PASSWORD)
    page = client.get(reverse("notifications"))
    assert "案款到账提醒" in page.text
    assert 'bg-danger">1<' in page.text
    client.post(reverse("notifications"))
    assert not Notification.objects.filter(recipient=judge_a, read_at=None).exists()
    assert 'bg-danger">' not in client.get(reverse("notifications")).text


def test_inbox_shows_only_own_notifications(client, judge_a, judge_b):
    notify([judge_b], kind="funds.suspense", message="别人的通知")
    client.login(username=judge_a.username, password=PASSWORD)
    assert "别人的通知" not in client.get(reverse("notifications")).text

"""The notification centre's rules: fan-out, preferences, urgency, addresses, retry, once-only."""

from __future__ import annotations

import ast
import datetime as dt
import threading
import time
from pathlib import Path

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.db import connection

from courtexec import notification_kinds
from courtexec.celery import app
from courtexec.channels import DeliveryError
from courtexec.models import Delivery, Notification, WechatBinding
from courtexec.notifications import (
    notify,
    notify_role,
    queue_delivery,
    queue_sms,
    relay_deliveries,
    retry_deliveries,
    set_preferences,
)
from courtexec.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)
T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def outside(user) -> list[tuple[str, str]]:
    return sorted(
        Delivery.objects.filter(notification__recipient=user).values_list("channel", "address")
    )


# --- a test adapter that fails as told -------------------------------------------------------

SENT: list[tuple[str, str]] = []
FAILURES: list[Exception] = []


class FlakyAdapter:
    """Fails with the queued errors first, then accepts (and records) every message."""

    def send(self, address: str, text: str, *, subject: str = "") -> str:
        if FAILURES:
            raise FAILURES.pop(0)
        SENT.append((address, text))
        return f"flaky-{len(SENT)}"


class SlowAdapter(FlakyAdapter):
    def send(self, address: str, text: str, *, subject: str = "") -> str:
        time.sleep(0.3)  # long enough for a second relay to reach the same row
        return super().send(address, text, subject=subject)


@pytest.fixture
def flaky(settings):
    SENT.clear()
    FAILURES.clear()
    settings.DELIVERY_ADAPTERS = {
        **settings.DELIVERY_ADAPTERS,
        "sms": f"{__name__}.FlakyAdapter",
        "wechat": f"{__name__}.FlakyAdapter",
    }
    settings.DELIVERY_MAX_ATTEMPTS = 3
    settings.DELIVERY_RETRY_SECONDS = 60
    yield
    SENT.clear()
    FAILURES.clear()


# --- fan-out ----------------------------------------------------------------------------------


def test_notify_role_reaches_the_role_in_that_court_only(court_a, court_b):
    chief_a = UserFactory(username="chief_a", court=court_a, roles=[Role.SECTION_CHIEF])
    chief_a2 = UserFactory(username="chief_a2", court=court_a, roles=[Role.SECTION_CHIEF])
    UserFactory(username="gone", court=court_a, roles=[Role.SECTION_CHIEF], is_active=False)
    chief_b = UserFactory(username="chief_b", court=court_b, roles=[Role.SECTION_CHIEF])
    judge_a = UserFactory(username="judge_a", court=court_a, roles=[Role.JUDGE])

    notes = notify_role(court_a, Role.SECTION_CHIEF, kind="liaison.unanswered", message="未回复")

    assert sorted(n.recipient.username for n in notes) == ["chief_a", "chief_a2"]
    assert Notification.objects.filter(recipient=chief_b).count() == 0  # another court's chief
    assert Notification.objects.filter(recipient=judge_a).count() == 0  # another role
    assert {chief_a, chief_a2} == {n.recipient for n in Notification.objects.all()}


def test_an_unknown_kind_is_a_programming_error(judge_a):
    with pytest.raises(notification_kinds.UnknownKind):
        notify([judge_a], kind="no.such.kind", message="x")
    assert not Notification.objects.exists()


# --- channels: defaults, preferences, urgency, addresses --------------------------------------


def test_defaults_come_from_the_kind(judge_a):
    judge_a.phone, judge_a.email = "13800000001", "judge@example.cn"
    judge_a.save()
    notify([judge_a], kind="funds.arrival", message="¥100 到账")  # SMS by default
    notify([judge_a], kind="funds.payout_proposed", message="拟付款")  # in-app only
    assert outside(judge_a) == [("sms", "13800000001")]


def test_preferences_choose_the_channels_of_a_category(judge_a):
    judge_a.phone, judge_a.email = "13800000001", "judge@example.cn"
    judge_a.save()
    set_preferences(user=judge_a, channels={"funds": ["email"], "vehicles": ["sms", "email"]})
    notify([judge_a], kind="funds.arrival", message="¥100 到账")
    assert outside(judge_a) == [("email", "judge@example.cn")]
    delivery = Delivery.objects.get()
    assert delivery.kind == "funds.arrival"
    assert delivery.subject  # the kind's label
    notify([judge_a], kind="vehicles.intake", message="入库")
    assert len(outside(judge_a)) == 3


def test_urgent_kinds_always_go_by_sms(judge_a):
    judge_a.phone = "13800000001"
    judge_a.save()
    set_preferences(user=judge_a, channels={"standby": []})  # nothing outside, please
    notify([judge_a], kind="standby.swap_requested", message="换班")
    assert outside(judge_a) == []
    notify([judge_a], kind="standby.callout", message="出警")
    assert outside(judge_a) == [("sms", "13800000001")]


def test_a_missing_address_skips_the_channel(judge_a):
    set_preferences(user=judge_a, channels={"funds": ["sms", "email", "wechat"]})
    notify([judge_a], kind="funds.arrival", message="¥100 到账")  # no phone, email or binding
    notify([judge_a], kind="standby.callout", message="出警")  # urgent, but no phone
    assert Notification.objects.filter(recipient=judge_a).count() == 2
    assert outside(judge_a) == []


def test_a_party_is_told_on_wechat_when_bound_else_by_sms(court_a):
    bound = UserFactory(username="bound", court=None, roles=[Role.PARTY], phone="13900000001")
    WechatBinding.objects.create(user=bound, openid="oBOUND0000000000000000000000")
    unbound = UserFactory(username="unbound", court=None, roles=[Role.PARTY], phone="13900000002")
    notify([bound, unbound], kind="liaison.staff_reply", message="法官已回复")
    assert outside(bound) == [("wechat", "oBOUND0000000000000000000000")]
    assert outside(unbound) == [("sms", "13900000002")]


def test_one_delivery_per_notification_and_channel(judge_a, django_capture_on_commit_callbacks):
    judge_a.phone = "13800000001"
    judge_a.save()
    with django_capture_on_commit_callbacks() as callbacks:
        [note] = notify([judge_a, judge_a], kind="funds.arrival", message="¥100 到账")
    assert len(callbacks) == 1  # the relay is nudged once, after commit
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        queue_delivery("sms", "13800000001", "again", kind="funds.arrival", notification=note)


def test_casefunds_batched_alerts_follow_the_same_rules(judge_a):
    """The idle-money scan writes through notify_many: one inbox entry each, SMS per defaults
    and preferences, like any other notification."""
    from casefunds.services import _notify_tiers  # noqa: F401 (the batched path exists)
    from courtexec.notifications import Alert, notify_many

    judge_a.phone = "13800000001"
    judge_a.save()
    set_preferences(user=judge_a, channels={"funds": ["sms"]})
    notify_many([Alert([judge_a, judge_a], "funds.idle", f"案款{i}") for i in range(3)])
    assert Notification.objects.filter(recipient=judge_a, kind="funds.idle").count() == 3
    assert Delivery.objects.filter(channel="sms", kind="funds.idle").count() == 3


# --- the kinds registry covers the code ---------------------------------------------------------


def _notify_kinds_in_code() -> set[tuple[str, str]]:
    found = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "tests", "node_modules", ".tools"} or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "Alert" and len(node.args) >= 2:
                values = [node.args[1]]
            elif name in {"notify", "notify_role", "queue_sms", "queue_delivery"}:
                values = [k.value for k in node.keywords if k.arg == "kind"]
            else:
                continue
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add((str(path.relative_to(ROOT)), value.value))
    return found


def test_every_kind_used_in_the_code_is_registered():
    used = _notify_kinds_in_code()
    assert len(used) > 30  # the scan does find the apps' calls
    missing = sorted((path, kind) for path, kind in used if kind not in notification_kinds.KINDS)
    assert missing == []


def test_urgent_kinds_are_standby_callouts_and_deadlines():
    urgent = {k.code for k in notification_kinds.KINDS.values() if k.urgent}
    assert urgent == {
        "standby.callout",
        "standby.escalation",
        "standby.deadline",
        "standby.deadline_missed",
    }


# --- retry with backoff, final failure ----------------------------------------------------------


def test_a_failed_send_is_retried_with_backoff_then_failed_and_reported(flaky, court_a):
    admin = UserFactory(username="sysadmin", court=court_a, roles=[Role.SYSADMIN])
    FAILURES.extend(DeliveryError("gateway busy") for _ in range(3))
    with time_machine.travel(T0, tick=False) as clock:
        delivery = queue_delivery("sms", "13800000009", "测试", kind="funds.payee_paid")
        assert relay_deliveries() == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("queued", 1)
        assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=60)

        clock.shift(dt.timedelta(seconds=59))
        assert relay_deliveries() == 0  # not due yet
        clock.shift(dt.timedelta(seconds=1))
        assert relay_deliveries() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=60 + 120)  # doubled

        clock.shift(dt.timedelta(seconds=120))
        assert relay_deliveries() == 1
        delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("failed", 3, "gateway busy")
    assert delivery.next_attempt_at is None
    assert SENT == []
    note = Notification.objects.get(recipient=admin)
    assert note.kind == "system.delivery_failed"
    assert "13800000009" in note.message
    assert not Delivery.objects.filter(notification=note).exists()  # system notices stay in-app

    assert retry_deliveries(user=admin, ids=[delivery.pk]) == 1
    assert relay_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert SENT == [("13800000009", "测试")]


def test_a_refused_message_fails_at_once(flaky):
    FAILURES.append(DeliveryError("no such number", retryable=False))
    delivery = queue_delivery("sms", "10000", "测试", kind="funds.payee_paid")
    relay_deliveries()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)


def test_a_channel_without_an_adapter_fails_without_stopping_the_relay(flaky, settings):
    settings.DELIVERY_ADAPTERS = {"sms": f"{__name__}.FlakyAdapter"}
    lost = queue_delivery("email", "a@example.cn", "测试", kind="funds.payee_paid")
    sent = queue_delivery("sms", "13800000001", "测试", kind="funds.payee_paid")
    assert relay_deliveries() == 2
    lost.refresh_from_db()
    sent.refresh_from_db()
    assert (lost.status, sent.status) == ("failed", "sent")


def test_an_adapter_bug_is_retried_and_does_not_stall_the_outbox(flaky):
    FAILURES.append(KeyError("bug"))  # not a DeliveryError: an adapter's own mistake
    broken = queue_delivery("sms", "13800000001", "一", kind="funds.payee_paid")
    fine = queue_delivery("sms", "13800000002", "二", kind="funds.payee_paid")
    assert relay_deliveries() == 2
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert (broken.status, broken.attempts, fine.status) == ("queued", 1, "sent")
    assert "KeyError" in broken.error and broken.next_attempt_at is not None


def test_only_system_administrators_retry(judge_a, flaky):
    from django.core.exceptions import PermissionDenied

    delivery = Delivery.objects.create(address="1", text="x", kind="tip", status="failed")
    with pytest.raises(PermissionDenied):
        retry_deliveries(user=judge_a, ids=[delivery.pk])


# --- once only -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_send_each_message_once(settings):
    SENT.clear()
    settings.DELIVERY_ADAPTERS = {**settings.DELIVERY_ADAPTERS, "sms": f"{__name__}.SlowAdapter"}
    for i in range(4):
        queue_delivery("sms", f"1380000000{i}", f"消息{i}", kind="funds.payee_paid")
    counts: list[int] = []

    def relay() -> None:
        try:
            counts.append(relay_deliveries())
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 4
    assert sorted(SENT) == sorted((f"1380000000{i}", f"消息{i}") for i in range(4))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    SENT.clear()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_once_after_commit(settings, court_a):
    """notify() commits, the nudge reaches a real worker, the worker sends; a redelivered task
    (through the worker, and run again here) sends nothing more."""
    from courtexec import notifications
    from courtexec.tasks import relay_deliveries as relay_task

    SENT.clear()
    settings.DELIVERY_ADAPTERS = {**settings.DELIVERY_ADAPTERS, "sms": f"{__name__}.FlakyAdapter"}
    judge = UserFactory(username="worker_judge", court=court_a, roles=[Role.JUDGE])
    judge.phone = "13800000007"
    judge.save()
    notifications._last_nudge = -notifications.NUDGE_EVERY_SECONDS  # this process may nudge
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        notify([judge], kind="standby.callout", message="出警：某地")
        delivery = Delivery.objects.get()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status == "sent":
                break
            time.sleep(0.2)
        assert delivery.status == "sent"
        relay_task.delay()  # a redelivered task, through the worker
        time.sleep(1.5)
    assert relay_task.apply().get() == 0  # and once more in this process: nothing to send
    assert SENT == [("13800000007", "出警：某地")]
    assert delivery.attempts == 1
    SENT.clear()


def test_a_batch_costs_a_few_queries_whatever_its_size(
    judge_a, judge_b, django_assert_max_num_queries
):
    from courtexec.notifications import Alert, notify_many

    for judge in (judge_a, judge_b):
        judge.phone = "13800000001"
        judge.save()
    alerts = [Alert([judge_a, judge_b], "funds.arrival", f"到账{i}") for i in range(300)]
    with django_assert_max_num_queries(4):  # notifications, preferences, bindings, deliveries
        notify_many(alerts)
    assert Delivery.objects.count() == 600


# --- secret texts -------------------------------------------------------------------------------

CODE_TEXT = "您的验证码为482913，请勿告知他人。"
MASKED = "您的验证码为••••••，请勿告知他人。"


def test_only_the_sign_in_code_is_secret():
    assert notification_kinds.secret_kinds() == ["liaison.sign_in_code"]
    assert notification_kinds.mask("code 0123 ٣") == "code •••• •"


def test_a_secret_text_is_masked_once_sent(flaky):
    delivery = queue_sms(phone="13900000001", text=CODE_TEXT, kind="liaison.sign_in_code")
    other = queue_sms(phone="13900000002", text="案款 482913 元已到账", kind="funds.payee_paid")
    assert relay_deliveries() == 2
    delivery.refresh_from_db()
    other.refresh_from_db()
    assert SENT == [("13900000001", CODE_TEXT), ("13900000002", "案款 482913 元已到账")]
    assert (delivery.status, delivery.text) == ("sent", MASKED)
    assert other.text == "案款 482913 元已到账"  # not a secret kind: kept


def test_a_secret_text_is_kept_for_a_retry_and_masked_when_it_fails_for_good(flaky, court_a):
    admin = UserFactory(username="sysadmin", court=court_a, roles=[Role.SYSADMIN])
    FAILURES.extend(DeliveryError("gateway busy") for _ in range(3))
    with time_machine.travel(T0, tick=False) as clock:
        delivery = queue_sms(phone="13900000001", text=CODE_TEXT, kind="liaison.sign_in_code")
        relay_deliveries()
        delivery.refresh_from_db()
        assert (delivery.status, delivery.text) == ("queued", CODE_TEXT)  # needed to try again
        for seconds in (60, 120):
            clock.shift(dt.timedelta(seconds=seconds))
            relay_deliveries()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.text) == ("failed", MASKED)
    assert "482913" not in Notification.objects.get(recipient=admin).message
    assert retry_deliveries(user=admin, ids=[delivery.pk]) == 0  # masked: not sent again


def test_the_sandbox_phone_keeps_what_the_sandbox_sent(settings):
    from courtexec.channels.sms import sandbox_phone

    settings.DELIVERY_ADAPTERS = {
        **settings.DELIVERY_ADAPTERS,
        "sms": "courtexec.channels.sms.SandboxSms",
    }
    queue_sms(phone="13900000001", text=CODE_TEXT, kind="liaison.sign_in_code")
    queue_sms(phone="13900000001", text="第二条", kind="funds.payee_paid")
    relay_deliveries()
    assert sandbox_phone("13900000001") == [CODE_TEXT, "第二条"]
    assert sandbox_phone("13900000009") == []
    assert Delivery.objects.get(kind="liaison.sign_in_code").text == MASKED


# --- claim, send outside a transaction, record; stuck rows ------------------------------------


class WatchfulAdapter(FlakyAdapter):
    """Records whether a transaction was open and the row's committed status at the send."""

    seen: list[tuple[bool, str]] = []

    def send(self, address: str, text: str, *, subject: str = "") -> str:
        from django.db import connections

        with connections["default"].cursor() as cursor:  # this thread's connection
            cursor.execute("SELECT status FROM courtexec_delivery WHERE address = %s", [address])
            (status,) = cursor.fetchone()
        WatchfulAdapter.seen.append((connection.in_atomic_block, status))
        return super().send(address, text, subject=subject)


@pytest.mark.django_db(transaction=True)
def test_a_message_is_sent_with_no_transaction_open_and_claimed_first(settings):
    SENT.clear()
    WatchfulAdapter.seen.clear()
    settings.DELIVERY_ADAPTERS = {
        **settings.DELIVERY_ADAPTERS,
        "sms": f"{__name__}.WatchfulAdapter",
    }
    delivery = queue_delivery("sms", "13800000001", "测试", kind="funds.payee_paid")
    assert relay_deliveries() == 1
    assert WatchfulAdapter.seen == [(False, "sending")]  # committed claim, no lock held
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.attempt_started_at) == ("sent", 1, None)
    SENT.clear()


def test_a_row_left_sending_by_a_dead_worker_is_retried_after_the_timeout(flaky, court_a):
    from courtexec.notifications import _claim

    settings = django_settings
    timeout = settings.DELIVERY_SENDING_TIMEOUT_SECONDS
    with time_machine.travel(T0, tick=False) as clock:
        delivery = queue_delivery("sms", "13800000001", "测试", kind="funds.payee_paid")
        fresh = queue_delivery("sms", "13800000002", "新的", kind="funds.payee_paid")
        assert _claim().pk == delivery.pk  # a worker claims it, then dies before sending
        clock.shift(dt.timedelta(seconds=timeout - 1))
        assert relay_deliveries() == 1  # only the other one; the claim may still be sending
        delivery.refresh_from_db()
        assert delivery.status == "sending"

        clock.shift(dt.timedelta(seconds=2))  # now longer than the timeout
        assert relay_deliveries() == 0  # reclaimed, and due after the backoff
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("queued", 1)
        assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=timeout + 1 + 60)
        assert delivery.error

        clock.shift(dt.timedelta(seconds=60))
        assert relay_deliveries() == 1
    delivery.refresh_from_db()
    fresh.refresh_from_db()
    assert (delivery.status, delivery.attempts, fresh.status) == ("sent", 2, "sent")
    assert SENT == [("13800000002", "新的"), ("13800000001", "测试")]


def test_a_late_outcome_of_a_reclaimed_row_is_not_recorded(flaky):
    from courtexec.notifications import _claim, _record

    delivery = queue_delivery("sms", "13800000001", "测试", kind="funds.payee_paid")
    claimed = _claim()
    Delivery.objects.filter(pk=delivery.pk).update(status="queued")  # the reconciler's doing
    _record(claimed, "late-reference", dt.datetime.now(dt.UTC))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.reference) == ("queued", "")

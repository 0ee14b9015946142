"""A worker killed (SIGKILL) while the bank holds the payout: nothing is sent twice.

A real ``celery worker`` runs as a subprocess against the test database and the tests' broker.
The sandbox bank books the instruction and then sleeps (``COURTEXEC_SANDBOX_BANK_DELAY``); the
worker's process group is killed in that window, so the payout stays in ``submitting`` and the
task stays unacknowledged. A new worker gets the task again (acks_late), which must be a no-op,
and the reconciler asks the bank and settles the payout once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from django.conf import settings
from django.utils import timezone

from casefunds import services
from casefunds.models import Payout, SandboxBankInstruction, Transfer
from casefunds.selectors import ledger_drift
from casefunds.tasks import send_payout
from courtexec.celery import app
from tests.casefunds.conftest import deposit, fresh
from tests.casefunds.flows import approve_and_review, propose, subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


def wait_for(check: Callable[[], object], limit: float, what: str) -> object:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {limit} s waiting for {what}")


class Worker:
    """``celery worker --pool solo`` in its own process group, output in a log file."""

    def __init__(self, log: Path, name: str, **env: str):
        self.log = log
        self.handle = log.open("w")
        self.proc = subprocess.Popen(
            [str(CELERY), "-A", "tests.casefunds.crash_app", "worker", "--pool", "solo",
             "-Q", "celery", "-n", f"{name}@%h", "-l", "INFO",
             "--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": subprocess_database_url(),
                 "COURTEXEC_TEST_BROKER_URL": settings.CELERY_BROKER_URL, **env},
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        wait_for(lambda: "ready." in self.output() or self.proc.poll() is not None, 60, "ready")
        assert self.proc.poll() is None, self.output()

    def kill(self) -> None:
        """SIGKILL the whole process group and reap it; nothing may be left running."""
        if self.proc.poll() is None:
            members = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(True)]
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
            _gone, alive = psutil.wait_procs(members, timeout=10)
            assert alive == []
        self.handle.close()


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(name: str, **env: str) -> Worker:
        worker = Worker(tmp_path / f"{name}.log", name, **env)
        started.append(worker)
        worker.wait_ready()
        return worker

    app.control.purge()  # messages left in the tests' broker by earlier tests
    try:
        yield start
    finally:
        for worker in started:
            worker.kill()


def test_worker_killed_after_the_bank_booked_sends_once(
    workers, bank_channel, case, sub_account, judge, chief, finance
):
    deposit(bank_channel, sub_account, 66_600, "K-1")
    slow = workers("slow", COURTEXEC_SANDBOX_BANK_DELAY="5")
    payout = approve_and_review(propose(case, judge, sub_account, 66_600), chief, finance)
    # review_payout enqueued send_payout on commit; the worker takes it and the bank books it.
    booked = wait_for(
        lambda: SandboxBankInstruction.objects.filter(key=payout.idempotency_key).first(),
        30,
        "the sandbox bank to book the payout",
    )
    task_id = re.search(r"casefunds\.send_payout\[([0-9a-f-]+)\] received", slow.output())[1]
    slow.kill()  # mid-call: the bank has it, we have no answer

    payout.refresh_from_db()
    assert payout.status == Payout.Status.SUBMITTING
    assert not Transfer.objects.filter(pending=payout.reservation_id).exists()

    # A new worker gets the unacknowledged task back (acks_late): it must not send again.
    fast = workers("fast", COURTEXEC_TEST_VISIBILITY_TIMEOUT="1")
    wait_for(
        lambda: f"casefunds.send_payout[{task_id}] succeeded" in fast.output(),
        60,
        "the killed task to be redelivered and finish",
    )
    booked.refresh_from_db()
    assert booked.calls == 1
    assert Payout.objects.get(pk=payout.pk).status == Payout.Status.SUBMITTING

    # The reconciler asks the bank (it never sends) once the wait has passed.
    later = timezone.now() + dt.timedelta(seconds=settings.FUNDS_RECONCILE_AFTER_SECONDS + 1)
    assert services.reconcile_payouts(now=later) == 1
    assert services.reconcile_payouts(now=later) == 0

    # Even an explicit extra delivery of the task is a no-op now.
    extra = send_payout.delay(payout.pk)
    wait_for(
        lambda: f"casefunds.send_payout[{extra.id}] succeeded" in fast.output(),
        30,
        "an extra delivery to finish",
    )
    booked.refresh_from_db()
    assert booked.calls == 1
    assert SandboxBankInstruction.objects.filter(key=payout.idempotency_key).count() == 1
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    settled = Transfer.objects.filter(pending=payout.reservation_id)
    assert [t.phase for t in settled] == [Transfer.Phase.POST_PENDING]
    assert fresh(sub_account).balance == 0
    assert ledger_drift() == []


def test_reconciler_task_in_the_worker_settles_a_stuck_payout(
    workers, bank_channel, case, sub_account, judge, chief, finance, settings
):
    """The same crash, resolved by the periodic task itself running in a worker."""
    deposit(bank_channel, sub_account, 5_000, "K-2")
    slow = workers("slow2", COURTEXEC_SANDBOX_BANK_DELAY="5")
    payout = approve_and_review(propose(case, judge, sub_account, 5_000), chief, finance)
    wait_for(
        lambda: SandboxBankInstruction.objects.filter(key=payout.idempotency_key).exists(),
        30,
        "the sandbox bank to book the payout",
    )
    slow.kill()
    fast = workers(
        "fast2", COURTEXEC_TEST_VISIBILITY_TIMEOUT="1", FUNDS_RECONCILE_AFTER_SECONDS="0"
    )
    from casefunds.tasks import reconcile_payouts

    result = reconcile_payouts.delay()
    wait_for(
        lambda: f"casefunds.reconcile_payouts[{result.id}] succeeded" in fast.output(),
        30,
        "the reconciler task",
    )
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    assert SandboxBankInstruction.objects.get(key=payout.idempotency_key).calls == 1
    assert Transfer.objects.filter(pending=payout.reservation_id).count() == 1
    assert ledger_drift() == []

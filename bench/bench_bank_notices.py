"""Bank notices posted per second by 8 concurrent clients, next to pgbench on the same server.

1. ``pgbench -b tpcb-like -c 8 -T 10`` in a scratch database ``bench_pgbench`` (scale 1: one
   branch row every transaction updates, as every deposit updates the one bank account row).
2. The service layer: 8 threads, each on its own connection, ``services.receive_payment`` with
   distinct references spread over many sub-accounts, in the scratch database ``courtexec_bench``.
3. HTTP: POST /api/v1/funds/bank-notices/ (HMAC ``X-Signature``) on a live gunicorn with 8
   client threads, when the endpoint exists in this checkout; skipped with a message otherwise.

Prints TPS for each and the ratio service / pgbench (target >= 0.5).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    ROOT,
    bench_world,
    create_database,
    libpq_args,
    purge_bench_broker,
    ratio_line,
    setup_django,
)

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
SUB_ACCOUNTS = int(os.environ.get("BENCH_SUB_ACCOUNTS", "200"))
ENDPOINT = "/api/v1/funds/bank-notices/"


def run_pgbench() -> float:
    url = create_database("bench_pgbench")
    args, env = libpq_args(url)
    subprocess.run(["pgbench", "-i", "-q", "-s", "1", *args, "bench_pgbench"], env=env,
                   check=True, capture_output=True)  # fmt: skip
    done = subprocess.run(
        ["pgbench", "-b", "tpcb-like", "-c", str(CLIENTS), "-j", str(CLIENTS),
         "-T", str(int(SECONDS)), *args, "bench_pgbench"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    tps = float(re.search(r"tps = ([\d.]+)", done.stdout)[1])
    print(f"pgbench tpcb-like, {CLIENTS} clients, {SECONDS:.0f} s: {tps:,.1f} TPS", flush=True)
    return tps


def run_clients(work, seconds: float, clients: int = CLIENTS) -> tuple[int, int]:
    """``work(client, n)`` in CLIENTS threads for ``seconds``; (done, errors)."""
    from django.db import connections

    stop = time.monotonic() + seconds
    counts = [0] * clients
    errors = [0] * clients
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        try:
            barrier.wait()
            n = 0
            while time.monotonic() < stop:
                try:
                    work(index, n)
                    counts[index] += 1
                except Exception as exc:
                    errors[index] += 1
                    if errors[index] == 1:
                        print(f"client {index}: {exc!r}", file=sys.stderr)
                n += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), sum(errors)


class LockSampler:
    """Samples pg_stat_activity of the bench database every 20 ms: how many of its backends
    wait on a lock (a row lock shows as ``Lock/transactionid`` or ``Lock/tuple``)."""

    def __init__(self, database: str):
        self.database = database
        self.samples = 0
        self.busy = 0
        self.waiting = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        import psycopg
        from _setup import _with_dbname, server_url

        with psycopg.connect(_with_dbname(server_url(), "postgres"), autocommit=True) as conn:
            while not self._stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE state <> 'idle'),"
                    " count(*) FILTER (WHERE wait_event_type = 'Lock')"
                    " FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.database],
                ).fetchone()
                self.samples += 1
                self.busy += row[0]
                self.waiting += row[1]
                time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> str:
        n = max(self.samples, 1)
        return (
            f"backends not idle {self.busy / n:.1f} on average, waiting on a lock "
            f"{self.waiting / n:.1f} ({100 * self.waiting / max(self.busy, 1):.0f}%)"
        )


def run_service(channel, accounts, clients: int = CLIENTS) -> float:
    from django.utils import timezone

    from casefunds import services

    run_id = uuid.uuid4().hex[:8]

    def work(client: int, n: int) -> None:
        account = accounts[(client * 7919 + n) % len(accounts)]
        notice = services.Notice(
            reference=f"B{run_id}-{client}-{n}", virtual_account=account.virtual_number,
            amount=100 + n % 1000, payer_name="付款人", payer_account="6217000010001234567",
            paid_at=timezone.now(),
        )  # fmt: skip
        _deposit, created = services.receive_payment(channel=channel, notice=notice)
        assert created

    started = time.monotonic()
    with LockSampler("courtexec_bench") as sampler:
        done, errors = run_clients(work, SECONDS, clients)
    elapsed = time.monotonic() - started
    tps = done / elapsed
    print(f"service layer receive_payment, {clients} thread(s), {len(accounts)} sub-accounts: "
          f"{done} notices in {elapsed:.1f} s = {tps:,.1f} TPS ({errors} errors); "
          f"{sampler.report()}", flush=True)  # fmt: skip
    return tps


def run_service_processes(channel, accounts) -> float:
    """The same load from CLIENTS forked processes (no shared GIL), each its own connection."""
    import multiprocessing

    from django.db import connections
    from django.utils import timezone

    from casefunds import services

    run_id = uuid.uuid4().hex[:8]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 1.0

    def child(index: int) -> None:
        done = 0
        time.sleep(max(0.0, start_at - time.time()))
        stop = time.monotonic() + SECONDS
        n = 0
        while time.monotonic() < stop:
            account = accounts[(index * 7919 + n) % len(accounts)]
            notice = services.Notice(
                reference=f"M{run_id}-{index}-{n}", virtual_account=account.virtual_number,
                amount=100 + n % 1000, payer_name="付款人", payer_account="",
                paid_at=timezone.now(),
            )  # fmt: skip
            services.receive_payment(channel=channel, notice=notice)
            done += 1
            n += 1
        connections.close_all()
        results.put(done)

    procs = [context.Process(target=child, args=(i,)) for i in range(CLIENTS)]
    with LockSampler("courtexec_bench") as sampler:
        for proc in procs:
            proc.start()
        done = sum(results.get(timeout=SECONDS + 120) for _ in procs)
        for proc in procs:
            proc.join()
    tps = done / SECONDS
    print(f"service layer receive_payment, {CLIENTS} processes: {done} notices in "
          f"{SECONDS:.0f} s = {tps:,.1f} TPS; {sampler.report()}", flush=True)  # fmt: skip
    return tps


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_http(channel, accounts) -> float | None:
    from django.urls import Resolver404, resolve
    from django.utils import timezone

    from casefunds.signatures import hmac_hex

    try:
        resolve(ENDPOINT)
    except Resolver404:
        print(f"HTTP: skipped, {ENDPOINT} does not exist in this checkout (404)", flush=True)
        return None
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "courtexec.wsgi", "-b",
         f"127.0.0.1:{port}", "-w", "2", "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DEBUG": "1", "ALLOWED_HOSTS": "127.0.0.1"},
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (http only)
                break
            except urllib.error.HTTPError:
                break  # answering (503 without a worker is fine)
            except OSError:
                time.sleep(0.2)
        run_id = uuid.uuid4().hex[:8]
        statuses: dict[int, int] = {}

        def work(client: int, n: int) -> None:
            account = accounts[(client * 7919 + n) % len(accounts)]
            body = json.dumps({
                "bank_reference": f"H{run_id}-{client}-{n}",
                "virtual_account": account.virtual_number, "amount": f"{1 + n % 1000}.00",
                "payer_name": "付款人", "payer_account": "6217000010001234567",
                "paid_at": timezone.now().isoformat(),
            }, ensure_ascii=False).encode()  # fmt: skip
            request = urllib.request.Request(  # noqa: S310 (http only)
                f"{base}{ENDPOINT}", data=body, method="POST",
                headers={"Content-Type": "application/json", "X-Channel": channel.code,
                         "X-Signature": hmac_hex(channel.secret, body)},
            )  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            statuses[status] = statuses.get(status, 0) + 1
            if status >= 300:
                raise RuntimeError(f"HTTP {status}")

        started = time.monotonic()
        done, _errors = run_clients(work, SECONDS)
        tps = done / (time.monotonic() - started)
        print(f"HTTP {ENDPOINT}, {CLIENTS} client threads: {tps:,.1f} TPS, statuses {statuses}",
              flush=True)  # fmt: skip
        return tps
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    setup_django("courtexec_bench")
    _court, _people, channel, _case, accounts = bench_world(SUB_ACCOUNTS)
    pg_tps = run_pgbench()
    single_tps = run_service(channel, accounts, clients=1)
    service_tps = run_service(channel, accounts)
    process_tps = run_service_processes(channel, accounts)
    http_tps = run_http(channel, accounts)
    print(ratio_line("service TPS (threads)", service_tps, "pgbench TPS", pg_tps, ">= 0.5"))
    print(ratio_line("service TPS (processes)", process_tps, "pgbench TPS", pg_tps, ">= 0.5"))
    print(ratio_line(f"service TPS ({CLIENTS} clients)", service_tps, "service TPS (1 client)",
                     single_tps, "> 1 means concurrency helps"))  # fmt: skip
    if http_tps is not None:
        print(ratio_line("HTTP TPS", http_tps, "pgbench TPS", pg_tps, "(none)"))
    from casefunds.selectors import ledger_check

    check = ledger_check()
    print(f"ledger after the run: {check.accounts} accounts, {check.transfers} transfers, "
          f"{len(check.drifts)} drift(s)")  # fmt: skip
    purge_bench_broker()


if __name__ == "__main__":
    main()

"""The public blacklist search over HTTP at 1,000,000 published entries, next to a bare view.

1. Seed ``BENCH_PUBLIC_ENTRIES`` (1,000,000) published entries in the scratch database
   ``courtexec_bench_public`` with ``manage.py seed_public_blacklist`` (COPY in batches; a
   second run reuses them), printing the seeding rate.
2. Start gunicorn (2 workers × 4 threads, as ``make run``) with ``bench/_bare_settings.py``:
   the project plus ``/bench/bare/``, a DRF view answering a constant JSON body. The rate limit
   stays on (counted in Redis on every search) with a limit no client reaches.
3. 8 client threads, each on its own keep-alive connection, alternate rounds of the bare view
   and of ``GET /api/v1/public/blacklist/?q=`` with a mix of queries: full names, name prefixes
   (two characters), persons' ID numbers, organisations' credit codes and misses of each kind.

Prints median and p95 latency of each and the ratio search / bare (target p95 <= 2x).
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, ratio_line, setup_django

ENTRIES = int(os.environ.get("BENCH_PUBLIC_ENTRIES", "1000000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))  # per endpoint and round
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SEARCH = "/api/v1/public/blacklist/"
BARE = "/bench/bare/"


def seed() -> None:
    from django.core.management import call_command

    from debtors import public_seed

    have = public_seed.seeded_count()
    started = time.monotonic()
    call_command("seed_public_blacklist", count=ENTRIES)
    added = public_seed.seeded_count() - have
    seconds = time.monotonic() - started
    if added:
        print(f"seeded {added:,} entries in {seconds:.0f} s = {added / seconds:,.0f} entries/s "
              f"(parties, cases, links, entries, their history rows, the read model)",
              flush=True)  # fmt: skip
    else:
        print(f"{have:,} seeded entries already there", flush=True)


def query_mix(size: int = 400) -> list[str]:
    """Names, two-character prefixes, ID numbers and credit codes of published entries, and
    misses of each kind (a name nobody has, a valid-looking ID the seed never issues)."""
    from django.db import connection

    from debtors.public_seed import BIRTH_AREAS, resident_id

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.name, p.id_number, p.kind FROM debtors_publiclisting l"
            " JOIN debtors_blacklistentry e ON e.id = l.entry_id"
            " JOIN enforcement_caseparty cp ON cp.id = e.respondent_id"
            " JOIN enforcement_party p ON p.id = cp.party_id"
            " WHERE l.entry_id %% 997 = 0 ORDER BY l.entry_id LIMIT %s",
            [size],
        )
        rows = cursor.fetchall()
    rng = random.Random(5)
    persons = [r for r in rows if r[2] == "person"]
    organisations = [r for r in rows if r[2] == "organisation"]
    import datetime as dt

    mix: list[str] = []
    for n in range(size):
        kind = n % 8
        if kind in (0, 1):
            mix.append(rng.choice(persons)[0])  # a person's full name
        elif kind == 2:
            mix.append(rng.choice(rows)[0][:2])  # a two-character prefix
        elif kind == 3:
            mix.append(rng.choice(persons)[1])  # a person's ID number
        elif kind == 4:
            mix.append(rng.choice(organisations)[1])  # a credit code
        elif kind == 5:
            mix.append(rng.choice(organisations)[0])  # an organisation's name
        elif kind == 6:
            mix.append(f"查无此人{n}")  # a name miss
        else:  # an ID miss: order code 899 is never seeded
            mix.append(resident_id(rng.choice(BIRTH_AREAS), dt.date(1990, 1, 1 + n % 28), 899))
    return mix


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench._bare_settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_SEARCH_RATE": "1000000000/minute",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "courtexec.wsgi", "-b",
         f"127.0.0.1:{port}", "-w", "2", "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", BARE)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /bench/bare/ within 60 s")


def run(port: int, paths: list[str], seconds: float) -> tuple[list[float], dict[int, int]]:
    """``CLIENTS`` threads on keep-alive connections GET ``paths`` in turn for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        stop = time.monotonic() + seconds
        n = index * 7919
        while time.monotonic() < stop:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Language": "zh-hans"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            latencies[index].append(time.perf_counter() - started)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [x for per in latencies for x in per], statuses


def summary(
    name: str, samples: list[float], statuses: dict[int, int], seconds: float
) -> tuple[float, float]:
    ordered = sorted(samples)
    median = statistics.median(ordered) * 1000
    p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000
    print(f"{name}: {len(ordered):,} requests, {len(ordered) / seconds:,.0f}/s, "
          f"median {median:.1f} ms, p95 {p95:.1f} ms, statuses {statuses}", flush=True)  # fmt: skip
    return median, p95


def main() -> None:
    setup_django("courtexec_bench_public")
    seed()
    queries = query_mix()
    search_paths = [f"{SEARCH}?{urllib.parse.urlencode({'q': q})}" for q in queries]
    port = free_port()
    server = start_server(port)
    try:
        run(port, [BARE], 2)  # warm both up (imports, connections, caches)
        run(port, search_paths, 3)
        bare: list[float] = []
        search: list[float] = []
        bare_status: dict[int, int] = {}
        search_status: dict[int, int] = {}
        for _round in range(ROUNDS):  # alternate, so drift on a shared machine hits both
            samples, statuses = run(port, [BARE], SECONDS)
            bare += samples
            for k, v in statuses.items():
                bare_status[k] = bare_status.get(k, 0) + v
            samples, statuses = run(port, search_paths, SECONDS)
            search += samples
            for k, v in statuses.items():
                search_status[k] = search_status.get(k, 0) + v
    finally:
        server.terminate()
        server.wait(timeout=30)
    from debtors.models import PublicListing

    print(f"{PublicListing.objects.count():,} published entries; {CLIENTS} clients; "
          f"{len(queries)} queries (names, prefixes, IDs, credit codes, misses)")  # fmt: skip
    bare_median, bare_p95 = summary(f"bare JSON {BARE}", bare, bare_status, SECONDS * ROUNDS)
    median, p95 = summary(f"public search {SEARCH}", search, search_status, SECONDS * ROUNDS)
    print(ratio_line("search median", median, "bare median", bare_median, "(none)"))
    print(ratio_line("search p95", p95, "bare p95", bare_p95, "<= 2"))
    bad = {k: v for k, v in search_status.items() if k != 200}
    if bad:
        print(f"search answered other than 200: {bad}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

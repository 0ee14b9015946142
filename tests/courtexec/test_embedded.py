"""The embedded PostgreSQL and Redis: reuse across processes, recovery after a crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]


def embedded_cli(var_dir: Path, action: str) -> list[dict]:
    env = {**os.environ, "COURTEXEC_VAR_DIR": str(var_dir)}
    out = subprocess.run(
        [sys.executable, "-m", "courtexec.embedded", action],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} still runs")


@pytest.fixture
def var_dir(tmp_path):
    yield tmp_path / "var"
    embedded_cli(tmp_path / "var", "stop")


def test_second_process_reuses_the_running_servers(var_dir):
    first_urls, first = embedded_cli(var_dir, "start")
    second_urls, second = embedded_cli(var_dir, "start")
    assert first["postgres_pid"] and first["redis_pid"]
    pids = ("postgres_pid", "redis_pid")
    assert [second[key] for key in pids] == [first[key] for key in pids]
    assert second_urls == first_urls
    with psycopg.connect(first_urls["postgres_url"]) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("courtexec",)
    client = redis.Redis(unix_socket_path=first_urls["redis_socket"])
    assert client.ping()


def test_servers_killed_with_sigkill_are_replaced(var_dir):
    _urls, before = embedded_cli(var_dir, "start")
    for pid in (before["postgres_pid"], before["redis_pid"]):
        os.kill(pid, signal.SIGKILL)
        wait_gone(pid)
    # Stale pid files and sockets stay behind, as after a crash.
    assert (var_dir / "pgdata" / "postmaster.pid").exists()
    urls, after = embedded_cli(var_dir, "start")
    assert after["postgres_pid"] not in (None, before["postgres_pid"])
    assert after["redis_pid"] not in (None, before["redis_pid"])
    with psycopg.connect(urls["postgres_url"]) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert redis.Redis(unix_socket_path=urls["redis_socket"]).ping()


def test_stop_stops_both(var_dir):
    embedded_cli(var_dir, "start")
    embedded_cli(var_dir, "stop")
    (status,) = embedded_cli(var_dir, "status")
    assert status["postgres_pid"] is None
    assert status["redis_pid"] is None


def test_a_one_off_command_that_started_the_servers_stops_them(var_dir):
    """`manage.py check` with nothing running starts both servers and leaves nothing behind."""
    env = {**os.environ, "COURTEXEC_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, check=True, timeout=120,
        capture_output=True,
    )  # fmt: skip
    (status,) = embedded_cli(var_dir, "status")
    assert (status["postgres_pid"], status["redis_pid"]) == (None, None)


def test_a_command_reusing_running_servers_leaves_them_running(var_dir):
    _urls, before = embedded_cli(var_dir, "start")
    env = {**os.environ, "COURTEXEC_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, check=True, timeout=120,
        capture_output=True,
    )  # fmt: skip
    (status,) = embedded_cli(var_dir, "status")
    assert status["postgres_pid"] == before["postgres_pid"]
    assert status["redis_pid"] == before["redis_pid"]

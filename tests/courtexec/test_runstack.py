"""`make run`'s supervisor: web + worker + beat come up healthy and leave nothing behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_healthy(base: str, proc: subprocess.Popen, limit: float = 90) -> dict:
    deadline = time.monotonic() + limit
    last: dict = {}
    while time.monotonic() < deadline:
        assert proc.poll() is None, "runstack exited early"
        try:
            status, body = get(f"{base}/healthz")
            last = json.loads(body)
            if status == 200:
                return last
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"not healthy within {limit} s: {last}")


def wait_all_gone(processes: list[psutil.Process], limit: float = 30) -> list[psutil.Process]:
    _gone, alive = psutil.wait_procs(processes, timeout=limit)
    return alive


@pytest.fixture
def stack():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runstack", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def descendants(proc: subprocess.Popen) -> list[psutil.Process]:
    return psutil.Process(proc.pid).children(recursive=True)


def test_ctrl_c_stops_every_child(stack):
    proc, base = stack
    health = wait_healthy(base, proc)
    assert health["failing"] == []
    status, page = get(f"{base}/accounts/login/")
    assert status == 200 and "登录" in page
    children = descendants(proc)
    assert len(children) >= 3  # gunicorn master + workers, celery worker + pool, beat
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert "CourtExec is running at" in output
    assert "courtexec-demo" in output  # demo logins are printed when DEBUG is on
    assert wait_all_gone(children) == []


def test_kill_9_of_the_supervisor_leaves_no_orphans(stack):
    proc, base = stack
    wait_healthy(base, proc)
    children = descendants(proc)
    proc.kill()
    proc.wait(timeout=10)
    assert wait_all_gone(children) == []
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/healthz", timeout=2)

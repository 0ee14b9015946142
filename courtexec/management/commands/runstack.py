"""``make run``: migrate, load demo data, then run web + one Celery worker + exactly one beat.

A small supervisor: children run in their own sessions so that Ctrl-C reaches only this process,
which stops them in order (web, beat, worker) and then releases the embedded servers. Each child
gets SIGTERM if this process dies (``PR_SET_PDEATHSIG``), and this process gets SIGTERM if
``make`` dies, so a ``kill -9`` anywhere leaves no orphaned web server holding the port.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from courtexec import embedded
from courtexec.management.commands.demo import DEMO_PASSWORD, DEMO_STAFF

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to send SIGTERM to this process when its parent exits (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Run CourtExec: web, one Celery worker and one Celery beat, with embedded services."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo data.")

    def handle(self, *args, host: str, port: int, no_demo: bool, **options) -> None:
        parent = os.getppid()
        die_with_parent()
        if os.getppid() != parent:  # the parent died before prctl took effect
            return
        if not port_is_free(host, port):
            raise CommandError(
                f"Port {port} on {host} is taken: stop what runs there or set PORT=<another port>."
            )
        uses_embedded = not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))
        if uses_embedded:
            embedded.hold()
        self.children: list[tuple[str, subprocess.Popen]] = []
        stopping = False

        def request_stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        try:
            self.prepare()
            self.start_children(host, port)
            if settings.DEBUG and not no_demo:  # demo accounts share a known password
                call_command("demo")  # while the site already serves its login page
            self.announce(host, port)
            while not stopping:
                for name, proc in self.children:
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with code {proc.returncode}; stopping.")
                        stopping = True
                time.sleep(0.5)
        finally:
            self.stop_children()
            if uses_embedded:
                embedded.release(
                    stop_postgres_server=not os.environ.get("DATABASE_URL"),
                    stop_redis_server=not os.environ.get("REDIS_URL"),
                )
            self.stdout.write("CourtExec stopped.")

    def prepare(self) -> None:
        call_command("migrate", interactive=False, verbosity=1)
        call_command("compiletranslations")
        call_command("collectstatic", interactive=False, verbosity=0)

    def spawn(self, name: str, argv: list[str]) -> None:
        proc = subprocess.Popen(argv, start_new_session=True, preexec_fn=die_with_parent)
        self.children.append((name, proc))

    def start_children(self, host: str, port: int) -> None:
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "courtexec"]
        self.spawn("worker", [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"])
        self.spawn("beat", [*celery, "beat", "--loglevel", "INFO"])
        self.spawn(
            "web",
            [
                python, "-m", "gunicorn", "courtexec.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", "2", "--access-logfile", "-",
            ],
        )  # fmt: skip

    def announce(self, host: str, port: int) -> None:
        url = f"http://{host}:{port}/"
        healthy = False
        deadline = time.monotonic() + 60
        while not healthy and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}healthz", timeout=2) as response:  # noqa: S310
                    healthy = response.status == 200
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        lines = ["", "=" * 60, f"CourtExec is running at {url}", f"API docs: {url}api/docs/"]
        if not healthy:
            lines.append(f"WARNING: {url}healthz is not answering 200 yet; see the log above.")
        if settings.DEBUG:
            lines.append(f"Demo logins (password '{DEMO_PASSWORD}'):")
            lines += [f"  {username:<13} {role.label}" for username, _n, role, *_r in DEMO_STAFF]
            lines.append(
                f"Parties sign in at {url}liaison/portal/login/ with a demo party's mobile number; "
                "the code is on the sandbox phone (the worker's log: 'SMS to …')."
            )
        lines += ["Press Ctrl-C to stop.", "=" * 60, ""]
        self.stdout.write("\n".join(str(line) for line in lines))
        self.stdout.flush()

    def stop_children(self) -> None:
        for _name, proc in reversed(self.children):
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 20
        for _name, proc in reversed(self.children):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

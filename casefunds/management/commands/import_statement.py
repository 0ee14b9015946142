"""Import a bank statement CSV from the command line, with a progress bar on stderr."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from casefunds import services
from casefunds.models import Channel
from courtexec.models import User


class ProgressBar:
    """``[#####-----]  50% 500/1000 lines 1234/s`` redrawn in place on a terminal stream."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30):
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()

    def __call__(self, done: int) -> None:
        done = min(done, self.total)
        filled = self.width * done // self.total
        rate = done / max(time.monotonic() - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'-' * (self.width - filled)}] {100 * done // self.total:3d}% "
            f"{done}/{self.total} lines {rate:,.0f}/s"
        )
        self.stream.flush()

    def finish(self) -> None:
        self(self.total)
        self.stream.write("\n")
        self.stream.flush()


def count_lines(text: str) -> int:
    """Data lines of a CSV (newlines in quoted fields are rare in bank statements)."""
    return max(len(text.strip().splitlines()) - 1, 0)


class Command(BaseCommand):
    help = "Check a bank statement CSV against the deposits on record and post what is missing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("channel", help="code of the bank channel")
        parser.add_argument("path", help="the statement CSV (UTF-8)")
        parser.add_argument("--user", required=True, help="username of the finance officer")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, channel: str, path: str, user: str, **options) -> None:
        try:
            channel_obj = Channel.objects.select_related("court").get(code=channel)
        except Channel.DoesNotExist:
            raise CommandError(f"No channel with code {channel!r}.") from None
        try:
            officer = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"No user {user!r}.") from None
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        bar = (
            None
            if options["no_progress"]
            else ProgressBar(count_lines(text), getattr(self.stderr, "_out", self.stderr))
        )
        try:
            result = services.import_statement(
                channel=channel_obj, text=text, file_name=file.name, user=officer, progress=bar
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(f"Refused: {exc}") from None
        if bar is not None:
            bar.finish()
        self.stdout.write(
            f"lines: {result.lines}; already on record: {result.matched}; "
            f"posted: {result.posted}; mismatches: {len(result.mismatches)}"
        )
        for mismatch in result.mismatches:
            self.stdout.write(f"  {mismatch}")

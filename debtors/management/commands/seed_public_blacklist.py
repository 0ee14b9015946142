"""Bulk-create published dishonest-debtor entries (for the public search and its benchmark)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from casefunds.management.commands.import_statement import ProgressBar
from debtors import public_seed


class EntryProgressBar(ProgressBar):
    """import_statement's bar, counting entries from those already seeded."""

    def __init__(self, total: int, start: int, stream) -> None:
        super().__init__(total, stream)
        self.start = start

    def __call__(self, done: int) -> None:
        import time

        done = min(done, self.total)
        filled = self.width * done // self.total
        rate = (done - self.start) / max(time.monotonic() - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'-' * (self.width - filled)}] {100 * done // self.total:3d}% "
            f"{done}/{self.total} entries {rate:,.0f}/s"
        )
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Create published dishonest-debtor entries (parties, cases, entries, change trail and "
        "the public search's read model) in batches with COPY, up to --count in all; running "
        "it again adds only what is missing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000, help="seeded entries in all")
        parser.add_argument("--batch", type=int, default=20_000, help="entries per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, count: int, batch: int, no_progress: bool, **options) -> None:
        if count < 0 or batch < 1:
            raise CommandError("--count must be 0 or more and --batch at least 1.")
        have = public_seed.seeded_count()
        bar = None
        if not no_progress and count > have:
            bar = EntryProgressBar(count, have, getattr(self.stderr, "_out", self.stderr))
            bar(have)
        added = public_seed.seed(count, batch=batch, progress=bar)
        if bar is not None:
            bar.finish()
        self.stdout.write(f"seeded entries: {have + added} ({added} added)")

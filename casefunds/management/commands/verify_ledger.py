"""Check the ledger: every account's cached totals against its postings, every transfer's sum."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from casefunds.selectors import ledger_check


class Command(BaseCommand):
    help = "Recompute account totals from postings and report any drift (exit 1 on drift)."

    def handle(self, *args, **options) -> None:
        check = ledger_check()
        for drift in check.drifts:
            self.stdout.write(f"DRIFT {drift}")
        self.stdout.write(
            f"accounts checked: {check.accounts}; transfers checked: {check.transfers}; "
            f"drift: {len(check.drifts)}"
        )
        if check.drifts:
            raise CommandError(f"{len(check.drifts)} drift(s) found", returncode=1)

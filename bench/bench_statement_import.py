"""Statement import: a 100,000-line bank statement through ``services.import_statement``.

A day's statement mostly repeats what the notice feed already booked. The script books 99% of
the lines beforehand with set-based SQL (triggers off, then every touched account's cached totals
recomputed in one statement, and ``ledger_check`` proves no drift), so the import matches
99,000 lines and posts the missing 1,000 through the service; a second import of the same file
matches every line. Lines per second are compared with parsing the same CSV with
``csv.DictReader`` alone.

Posting is measured separately on a smaller statement: the whole import is one transaction
and every posted deposit updates the bank account row, whose row versions then pile up until
commit, so the posting rate falls as a statement grows (printed per 1,000 lines).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import bench_world, ratio_line, setup_django

LINES = int(os.environ.get("BENCH_STATEMENT_LINES", "100000"))
MISSING_EVERY = 100  # every 100th line is not on record yet
POSTING_LINES = int(os.environ.get("BENCH_POSTING_LINES", "3000"))
COLUMNS = "bank_reference,virtual_account,amount,payer_name,payer_account,paid_at"


def make_statement(run_id: str, accounts, lines: int, paid_at: str) -> tuple[str, list[tuple]]:
    rng = random.Random(run_id)
    rows = []
    out = [COLUMNS]
    for i in range(lines):
        account = accounts[i % len(accounts)]
        fen = rng.randint(1, 999_999)
        reference = f"ST{run_id}-{i}"
        rows.append((reference, account.pk, fen, account.virtual_number))
        out.append(f"{reference},{account.virtual_number},{fen // 100}.{fen % 100:02d},"
                   f"付款人{i % 97},62170000{i:08d},{paid_at}")  # fmt: skip
    return "\n".join(out) + "\n", rows


def prebook(court, channel, case, rows: list[tuple]) -> float:
    """Book deposits for ``rows`` set-based (the benchmark measures the import, not posting)."""
    from django.db import connection, transaction

    from casefunds import ledger
    from casefunds.models import Account

    bank = ledger.court_account(court, Account.Kind.BANK)
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no per-row triggers
        cursor.execute(
            """
            WITH src AS (
                SELECT * FROM unnest(%(refs)s::text[], %(accounts)s::bigint[],
                                     %(amounts)s::bigint[], %(vas)s::text[])
                       AS s(ref, account_id, amount, va)
            ),
            t AS (
                INSERT INTO casefunds_transfer (court_id, code, phase, memo, created_at)
                SELECT %(court)s, 'deposit', 'posted', 'bench:' || ref, now() FROM src
                RETURNING id, memo
            ),
            m AS (SELECT t.id AS transfer_id, src.*
                    FROM t JOIN src ON t.memo = 'bench:' || src.ref),
            p AS (
                INSERT INTO casefunds_posting (transfer_id, account_id, amount)
                SELECT transfer_id, %(bank)s, amount FROM m
                UNION ALL SELECT transfer_id, account_id, -amount FROM m
            )
            INSERT INTO casefunds_deposit
                   (reference, body_digest, virtual_account, amount, payer_name, payer_account,
                    paid_at, received_at, status, suspense_reason, assignment_reason, account_id,
                    case_id, channel_id, court_id, transfer_id)
            SELECT ref, '', va, amount, '付款人', '', now(), now(), 'credited', '', '',
                   account_id, %(case)s, %(channel)s, %(court)s, transfer_id
              FROM m
            """,
            {"refs": [r[0] for r in rows], "accounts": [r[1] for r in rows],
             "amounts": [r[2] for r in rows], "vas": [r[3] for r in rows], "court": court.pk,
             "bank": bank.pk, "case": case.pk, "channel": channel.pk},
        )  # fmt: skip
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        # What the posting trigger would have done, once per account.
        cursor.execute(
            """
            UPDATE casefunds_account a
               SET debits_posted = a.debits_posted + x.debits,
                   credits_posted = a.credits_posted + x.credits,
                   funded_since = CASE WHEN a.kind = 'case' THEN COALESCE(a.funded_since, now())
                                  END,
                   next_alert_at = CASE WHEN a.kind = 'case' THEN COALESCE(a.next_alert_at,
                       now() + make_interval(days => (SELECT MIN(days) FROM casefunds_idletier)))
                                   END
              FROM (SELECT p.account_id, SUM(GREATEST(p.amount, 0)) AS debits,
                           SUM(GREATEST(-p.amount, 0)) AS credits
                      FROM casefunds_posting p JOIN casefunds_transfer t ON t.id = p.transfer_id
                     WHERE t.memo LIKE %s GROUP BY p.account_id) x
             WHERE a.id = x.account_id
            """,
            [f"bench:{rows[0][0].split('-')[0]}-%"],
        )
    return time.monotonic() - started


def timed_import(channel, user, text: str, label: str, rates: bool = False):
    from casefunds import services
    from casefunds.management.commands.import_statement import ProgressBar, count_lines

    bar = ProgressBar(count_lines(text), sys.stderr)
    marks: list[tuple[int, float]] = []

    def progress(done: int) -> None:
        marks.append((done, time.monotonic()))
        bar(done)

    started = time.monotonic()
    result = services.import_statement(
        channel=channel, text=text, file_name=f"{label}.csv", user=user, progress=progress
    )
    elapsed = time.monotonic() - started
    bar.finish()
    rate = result.lines / elapsed
    print(f"{label}: {result.lines:,} lines in {elapsed:.1f} s = {rate:,.0f} lines/s "
          f"(matched {result.matched:,}, posted {result.posted:,}, "
          f"mismatches {len(result.mismatches)})", flush=True)  # fmt: skip
    if rates and len(marks) > 1:
        steps = [f"{1000 / (b - a):,.0f}" for (_d, a), (_e, b) in itertools.pairwise(marks)]
        print(f"  posting rate per 1,000 lines as the transaction grows: {', '.join(steps)}")
    return rate


def main() -> None:
    setup_django("courtexec_bench")
    from django.utils import timezone

    from casefunds.selectors import ledger_check
    from courtexec.roles import Role

    court, people, channel, case, accounts = bench_world(200)
    finance = people[Role.FINANCE]
    run_id = uuid.uuid4().hex[:8]
    paid_at = (timezone.now() - __import__("datetime").timedelta(hours=1)).isoformat()
    text, rows = make_statement(run_id, accounts, LINES, paid_at)
    print(f"statement: {LINES:,} lines, {len(text) / 1e6:.1f} MB", flush=True)

    started = time.monotonic()
    parsed = list(csv.DictReader(io.StringIO(text)))
    baseline = len(parsed) / (time.monotonic() - started)
    print(f"baseline csv.DictReader: {baseline:,.0f} lines/s", flush=True)

    booked = [row for i, row in enumerate(rows) if i % MISSING_EVERY]
    seconds = prebook(court, channel, case, booked)
    print(f"pre-booked {len(booked):,} deposits set-based in {seconds:.1f} s", flush=True)

    first = timed_import(channel, finance, text, "import (99% on record, 1% posted)")
    second = timed_import(channel, finance, text, "same file again (all on record)")
    print(ratio_line("import lines/s", first, "csv.DictReader lines/s", baseline, "(none)"))
    print(ratio_line("re-import lines/s", second, "csv.DictReader lines/s", baseline, "(none)"))

    posting_text, _rows = make_statement(f"{run_id}p", accounts, POSTING_LINES, paid_at)
    timed_import(channel, finance, posting_text, f"posting only ({POSTING_LINES:,} new lines)",
                 rates=True)  # fmt: skip

    check = ledger_check()
    print(f"ledger after the run: {check.accounts} accounts, {check.transfers:,} transfers, "
          f"{len(check.drifts)} drift(s)")  # fmt: skip


if __name__ == "__main__":
    main()

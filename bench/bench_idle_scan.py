"""The daily idle-money scan over 1,000,000 case sub-accounts holding money.

Accounts (with their payers) are inserted set-based in a scratch database
``courtexec_bench_idle``, with ``credits_posted``, ``funded_since`` and ``next_alert_at`` set
as the posting trigger would (the benchmark measures the scan, not posting; these accounts have
no postings, so this database is not for ``verify_ledger``). The money arrived between 0 and
``BENCH_IDLE_SPREAD_DAYS`` (15.5) days ago, so about 1 in 31 accounts has reached the 15-day
tier at the first scan.

Figures: the first scan (raises those alerts and their notifications), the steady-state scan
(run again: every due tier already raised), the next day's scan (the accounts that reach 15 days
that day), and ``SELECT count(*)`` over the account table in the same run; the steady-state
ratio's target is <= 5x.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import bench_world, ratio_line, setup_django

ACCOUNTS = int(os.environ.get("BENCH_IDLE_ACCOUNTS", "1000000"))
SPREAD_DAYS = float(os.environ.get("BENCH_IDLE_SPREAD_DAYS", "15.5"))


def populate(court, case, now: dt.datetime) -> None:
    from django.db import connection, transaction

    from casefunds.models import Account

    have = Account.objects.filter(kind=Account.Kind.CASE).count()
    missing = ACCOUNTS - have
    if missing <= 0:
        print(f"{have:,} case sub-accounts already there", flush=True)
        return
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            WITH parties AS (
                INSERT INTO enforcement_party (kind, name, sex, legal_representative, phone,
                                               address, created_at, registered_by_id)
                SELECT 'person', '沉淀付款人' || g, '', '', '', '', %(now)s, %(court)s
                  FROM generate_series(1, %(n)s) g
                RETURNING id
            ),
            links AS (
                INSERT INTO enforcement_caseparty (role, payee_bank, payee_account_name,
                                                   payee_account_number, case_id, party_id)
                SELECT 'respondent', '', '', '', %(case)s, id FROM parties
                RETURNING id
            ),
            held AS (
                SELECT id AS payer_id,
                       %(now)s - make_interval(secs => random() * %(spread)s * 86400) AS since,
                       (1 + floor(random() * 5000000))::bigint AS fen
                  FROM links
            )
            INSERT INTO casefunds_account (kind, virtual_number, debits_posted, credits_posted,
                                           debits_pending, credits_pending, funded_since,
                                           next_alert_at, opened_at, case_id, court_id, payer_id)
            SELECT 'case', NULL, 0, fen, 0, 0, since,
                   since + make_interval(days => (SELECT MIN(days) FROM casefunds_idletier)),
                   since, %(case)s, %(court)s, payer_id
              FROM held
            """,
            {"n": missing, "now": now, "court": court.pk, "case": case.pk,
             "spread": SPREAD_DAYS},
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE casefunds_account")
    print(f"inserted {missing:,} sub-accounts set-based in {time.monotonic() - started:.1f} s",
          flush=True)  # fmt: skip


def timed(label: str, work):
    started = time.monotonic()
    result = work()
    seconds = time.monotonic() - started
    print(f"{label}: {seconds:.3f} s {result if result is not None else ''}", flush=True)
    return seconds


def count_accounts() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM casefunds_account")
        return cursor.fetchone()[0]


def main() -> None:
    setup_django("courtexec_bench_idle")
    from django.db import connection
    from django.utils import timezone

    from casefunds import services

    court, _people, _channel, case, _accounts = bench_world(1)
    now = timezone.now().replace(microsecond=0)
    populate(court, case, now)
    with connection.cursor() as cursor:  # a clean slate of alerts for each run
        cursor.execute("DELETE FROM casefunds_fundsalert")
        cursor.execute("DELETE FROM courtexec_notification")
        cursor.execute(
            "UPDATE casefunds_account SET next_alert_at = funded_since + make_interval(days =>"
            " (SELECT MIN(days) FROM casefunds_idletier)) WHERE kind = 'case'"
        )
        cursor.execute("VACUUM ANALYZE casefunds_account")
        cursor.execute("VACUUM ANALYZE casefunds_fundsalert")

    count_accounts()  # warm the cache as the scans will find it
    first = timed("first scan (raises the due tiers)", lambda: services.scan_idle_money(now))
    steady = timed("steady-state scan (nothing new due)", lambda: services.scan_idle_money(now))
    counted = min(timed("SELECT count(*) FROM casefunds_account", count_accounts)
                  for _ in range(3))  # fmt: skip
    next_day = timed(
        "next day's scan", lambda: services.scan_idle_money(now + dt.timedelta(days=1))
    )
    print(ratio_line("steady-state scan s", steady, "count(*) s", counted, "<= 5"))
    print(ratio_line("first scan s", first, "count(*) s", counted, "(none)"))
    print(ratio_line("next day's scan s", next_day, "count(*) s", counted, "(none)"))


if __name__ == "__main__":
    main()

"""Read-only queries of the case-funds app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from casefunds.models import Deposit

# === Ledger verification and overdue suspense (funds-qa) =======================================
# Kept together at the end of the module: other sections are added on other branches.


@dataclass(frozen=True)
class Drift:
    """A cached total that differs from what the postings say, or an unbalanced transfer."""

    kind: str  # "account" or "transfer"
    object_id: int
    column: str  # an account column, or "sum" for a transfer's postings
    cached: int
    recomputed: int

    def __str__(self) -> str:
        return (
            f"{self.kind} {self.object_id} {self.column}: cached {self.cached}, "
            f"postings say {self.recomputed}"
        )


@dataclass
class LedgerCheck:
    accounts: int = 0
    transfers: int = 0
    drifts: list[Drift] = field(default_factory=list)


_ACCOUNT_COLUMNS = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")

# Per account, from its postings: posted = phase posted/post_pending; pending = phase pending
# transfers that no post/void transfer names yet. One pass over postings, grouped.
_RECOMPUTE_ACCOUNTS = """
WITH legs AS (
    SELECT p.account_id,
           SUM(GREATEST(p.amount, 0))
               FILTER (WHERE t.phase IN ('posted', 'post_pending')) AS debits_posted,
           SUM(GREATEST(-p.amount, 0))
               FILTER (WHERE t.phase IN ('posted', 'post_pending')) AS credits_posted,
           SUM(GREATEST(p.amount, 0))
               FILTER (WHERE t.phase = 'pending' AND r.id IS NULL) AS debits_pending,
           SUM(GREATEST(-p.amount, 0))
               FILTER (WHERE t.phase = 'pending' AND r.id IS NULL) AS credits_pending
      FROM casefunds_posting p
      JOIN casefunds_transfer t ON t.id = p.transfer_id
      LEFT JOIN casefunds_transfer r ON r.pending_id = t.id
     GROUP BY p.account_id
),
compared AS (
    SELECT a.id,
           a.debits_posted, COALESCE(l.debits_posted, 0) AS r_debits_posted,
           a.credits_posted, COALESCE(l.credits_posted, 0) AS r_credits_posted,
           a.debits_pending, COALESCE(l.debits_pending, 0) AS r_debits_pending,
           a.credits_pending, COALESCE(l.credits_pending, 0) AS r_credits_pending
      FROM casefunds_account a LEFT JOIN legs l ON l.account_id = a.id
)
SELECT (SELECT count(*) FROM casefunds_account), c.*
  FROM compared c
 WHERE (c.debits_posted, c.credits_posted, c.debits_pending, c.credits_pending)
       IS DISTINCT FROM
       (c.r_debits_posted, c.r_credits_posted, c.r_debits_pending, c.r_credits_pending)
 ORDER BY c.id
"""

_UNBALANCED_TRANSFERS = """
SELECT t.id, COALESCE(SUM(p.amount), 0)
  FROM casefunds_transfer t LEFT JOIN casefunds_posting p ON p.transfer_id = t.id
 GROUP BY t.id
HAVING COALESCE(SUM(p.amount), 0) <> 0
 ORDER BY t.id
"""


def ledger_check() -> LedgerCheck:
    """Recompute every account's cached totals and every transfer's sum from the postings."""
    check = LedgerCheck()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM casefunds_account")
        check.accounts = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM casefunds_transfer")
        check.transfers = cursor.fetchone()[0]
        cursor.execute(_RECOMPUTE_ACCOUNTS)
        for row in cursor.fetchall():
            account_id, values = row[1], row[2:]
            for index, column in enumerate(_ACCOUNT_COLUMNS):
                cached, recomputed = values[2 * index], values[2 * index + 1]
                if cached != recomputed:
                    check.drifts.append(
                        Drift("account", account_id, column, int(cached), int(recomputed))
                    )
        cursor.execute(_UNBALANCED_TRANSFERS)
        for transfer_id, total in cursor.fetchall():
            check.drifts.append(Drift("transfer", transfer_id, "sum", 0, int(total)))
    return check


def ledger_drift() -> list[Drift]:
    """Every difference between the cached account totals and the postings; empty is good."""
    return ledger_check().drifts


def overdue_suspense(now: dt.datetime | None = None) -> QuerySet[Deposit]:
    """Suspense money not assigned to a case within ``FUNDS_SUSPENSE_MAX_DAYS`` (暂收款超期)."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.FUNDS_SUSPENSE_MAX_DAYS)
    return Deposit.objects.filter(status=Deposit.Status.SUSPENSE, received_at__lt=limit).order_by(
        "received_at"
    )

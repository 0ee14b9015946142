"""Per-judge workload and performance (执行法官工作量与绩效), for the chiefs.

Each figure is counted by the rule its app holds: open and overdue cases by enforcement's
selectors, cases concluded by the ``cases.concluded`` tile, money paid out by case funds' rule,
reply times by the liaison station's. The page, its Excel download and the API read the same
rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from casefunds.models import Payout
from casefunds.selectors import paid_between
from courtexec.command.figures.cases import cases, concluded
from courtexec.command.tiles import Scope, one_decimal
from courtexec.models import User
from courtexec.roles import Role
from enforcement.liaison.models import Thread
from enforcement.liaison.selectors import period_bounds, thread_reply_times
from enforcement.selectors import open_cases, overdue_cases

PERMISSIONS = ("command.view_command_centre", "command.view_workload")


@dataclass(frozen=True)
class JudgeRow:
    judge: User
    open: int = 0  # now (在办)
    concluded: int = 0  # in the period (结案)
    overdue: int = 0  # now (超期)
    paid: int = 0  # fen paid out on the judge's cases in the period (发放案款)
    answered: int = 0  # party messages answered (liaison runs begun in the period)
    reply_median: dt.timedelta | None = None
    reply_p90: dt.timedelta | None = None
    unanswered: int = 0

    @property
    def court(self) -> str:
        return self.judge.court.name if self.judge.court else ""

    @property
    def reply_median_hours(self) -> Decimal | None:
        return hours(self.reply_median)

    @property
    def reply_p90_hours(self) -> Decimal | None:
        return hours(self.reply_p90)


@dataclass(frozen=True)
class Totals:
    """The additive columns summed (a median of medians would mean nothing)."""

    open: int
    concluded: int
    overdue: int
    paid: int
    answered: int
    unanswered: int


def hours(span: dt.timedelta | None) -> Decimal | None:
    return None if span is None else one_decimal(Decimal(span.total_seconds()) / 3600)


def _per_judge(queryset: QuerySet) -> dict[int, int]:
    return dict(
        queryset.order_by().values("judge").annotate(n=Count("pk")).values_list("judge", "n")
    )


def judge_workload(scope: Scope) -> list[JudgeRow]:
    """One row per judge of the scope's courts — every active user with the judge role there,
    and anyone else with a figure (the judge of a case in scope) — by court and name. Eight
    queries whatever the number of judges."""
    scoped = cases(scope)
    open_now = _per_judge(open_cases(scoped))
    overdue_now = _per_judge(overdue_cases(scoped, scope.today))
    closed = _per_judge(concluded(scope))
    paid = dict(
        paid_between(scope.restrict(Payout.objects.all()), scope.start, scope.end)
        .order_by()
        .values("case__judge")
        .annotate(total=Sum("amount"))
        .values_list("case__judge", "total")
    )
    start, end = period_bounds(scope.start, scope.end)
    replies = {
        figure.judge.pk: figure
        for figure in thread_reply_times(scope.restrict(Thread.objects.all()), start=start, end=end)
    }
    judges = scope.restrict(User.objects.filter(is_active=True, groups__name=Role.JUDGE))
    with_figures = set(open_now) | set(overdue_now) | set(closed) | set(paid) | set(replies)
    people = User.objects.filter(Q(pk__in=judges.values("pk")) | Q(pk__in=with_figures))
    rows = []
    for person in people:
        reply = replies.get(person.pk)
        rows.append(
            JudgeRow(
                judge=person,
                open=open_now.get(person.pk, 0),
                concluded=closed.get(person.pk, 0),
                overdue=overdue_now.get(person.pk, 0),
                paid=paid.get(person.pk, 0),
                answered=reply.answered if reply else 0,
                reply_median=reply.median if reply else None,
                reply_p90=reply.p90 if reply else None,
                unanswered=reply.unanswered if reply else 0,
            )
        )
    return sorted(
        rows, key=lambda row: (row.judge.court.code if row.judge.court else "", str(row.judge))
    )


def totals(rows: list[JudgeRow]) -> Totals:
    return Totals(
        **{
            name: sum(getattr(row, name) for row in rows)
            for name in ("open", "concluded", "overdue", "paid", "answered", "unanswered")
        }
    )


# Sortable columns of the page: ``?sort=open`` ascending, ``?sort=-open`` descending.
SORTS: dict[str, Callable[[JudgeRow], object]] = {
    "judge": lambda row: str(row.judge),
    "court": lambda row: row.court,
    "open": lambda row: row.open,
    "concluded": lambda row: row.concluded,
    "overdue": lambda row: row.overdue,
    "paid": lambda row: row.paid,
    "answered": lambda row: row.answered,
    "reply_median": lambda row: row.reply_median,
    "reply_p90": lambda row: row.reply_p90,
    "unanswered": lambda row: row.unanswered,
}


def sort_rows(rows: list[JudgeRow], sort: str) -> tuple[list[JudgeRow], str]:
    """``rows`` in the order ``sort`` asks (an unknown key keeps them as they are), rows
    without a value last either way; and the sort applied ("" when none)."""
    key = SORTS.get(sort.removeprefix("-"))
    if key is None:
        return rows, ""
    valued = [row for row in rows if key(row) is not None]
    empty = [row for row in rows if key(row) is None]
    return sorted(valued, key=key, reverse=sort.startswith("-")) + empty, sort

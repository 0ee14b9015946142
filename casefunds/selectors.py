"""Reads of the case-funds app shared by pages, exports and admin.

Every read goes through :func:`courtexec.visibility.restrict`; each function runs a fixed number
of queries whatever the amount of data (aggregates in SQL, related rows joined or prefetched).
Amounts are integer fen, as in the ledger; templates show them with the ``yuan`` filter.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casefunds import virtual_accounts
from casefunds.models import (
    Account,
    CourtAccount,
    Deposit,
    FundsAlert,
    Hold,
    IdleTier,
    LitigationFee,
    Payout,
    Posting,
    StatementImport,
    Transfer,
)
from courtexec.models import User
from courtexec.visibility import restrict, visible_court_ids
from enforcement.models import CaseParty, EnforcementCase

POSTED_PHASES = (Transfer.Phase.POSTED, Transfer.Phase.POST_PENDING)
RECENT_LIMIT = 20
QUEUE_LIMIT = 100


def visible_accounts(user: User) -> QuerySet[Account]:
    return restrict(Account.objects.select_related("court", "case", "payer__party"), user)


def visible_case_accounts(user: User) -> QuerySet[Account]:
    return visible_accounts(user).filter(kind=Account.Kind.CASE)


def visible_payouts(user: User) -> QuerySet[Payout]:
    return restrict(Payout.objects.select_related("case", "source", "proposed_by"), user)


def visible_deposits(user: User) -> QuerySet[Deposit]:
    return restrict(Deposit.objects.select_related("channel", "case", "account"), user)


def visible_holds(user: User) -> QuerySet[Hold]:
    return restrict(Hold.objects.select_related("account__case", "requested_by"), user)


# --- One case ------------------------------------------------------------------------------------


@dataclass
class SubAccount:
    account: Account
    grouped_number: str
    payer_name: str
    balance: int
    available: int
    pending: int


@dataclass
class CaseFunds:
    accounts: list[SubAccount]
    deposits: list[Deposit]
    payouts: list[Payout]
    alerts: list[FundsAlert]
    holds: list[Hold]
    fees: list[LitigationFee]
    applicants: list[CaseParty]
    balance: int = 0
    available: int = 0
    received: int = 0
    paid: int = 0


def case_funds(user: User, case: EnforcementCase) -> CaseFunds:
    """Everything the case's funds tab shows, in seven queries whatever the case holds."""
    accounts = list(
        restrict(Account.objects.filter(case=case, kind=Account.Kind.CASE), user)
        .select_related("payer__party")
        .order_by("pk")
    )
    subs = [
        SubAccount(
            account=account,
            grouped_number=virtual_accounts.grouped(account.virtual_number or ""),
            payer_name=account.payer.party.name if account.payer_id else "",
            balance=account.balance,
            available=account.available,
            pending=account.debits_pending,
        )
        for account in accounts
    ]
    deposits = list(
        restrict(Deposit.objects.filter(case=case), user)
        .select_related("channel", "account")
        .order_by("-received_at", "-pk")
    )
    payouts = list(
        restrict(Payout.objects.filter(case=case), user)
        .select_related("source", "proposed_by", "approved_by", "reviewed_by")
        .order_by("-created_at", "-pk")
    )
    alerts = list(
        restrict(FundsAlert.objects.filter(account__case=case, cleared_at=None), user)
        .select_related("account", "tier", "payout")
        .order_by("-raised_at", "-pk")
    )
    holds = list(
        restrict(Hold.objects.filter(account__case=case), user)
        .select_related("account", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
    fees = list(
        restrict(LitigationFee.objects.filter(case=case), user)
        .select_related("payer__party", "recorded_by", "transfer__reversal")
        .order_by("-paid_at", "-pk")
    )
    applicants = list(
        CaseParty.objects.filter(case=case, role=CaseParty.Role.APPLICANT)
        .select_related("party")
        .order_by("pk")
    )
    return CaseFunds(
        accounts=subs,
        deposits=deposits,
        payouts=payouts,
        alerts=alerts,
        holds=holds,
        fees=fees,
        applicants=applicants,
        balance=sum(sub.balance for sub in subs),
        available=sum(sub.available for sub in subs),
        received=sum(a.credits_posted for a in accounts),
        paid=sum(p.amount for p in payouts if p.status == Payout.Status.PAID),
    )


def case_totals(case: EnforcementCase) -> tuple[int, int]:
    """(received, paid out) on the case in fen, by the same rule as :func:`case_funds` (credits
    posted to its sub-accounts; payouts paid), for readers outside the court such as the
    case's parties on the liaison portal. Two aggregate queries."""
    received = Account.objects.filter(case=case, kind=Account.Kind.CASE).aggregate(
        total=Coalesce(Sum("credits_posted"), 0)
    )["total"]
    paid = Payout.objects.filter(case=case, status=Payout.Status.PAID).aggregate(
        total=Coalesce(Sum("amount"), 0)
    )["total"]
    return received, paid


# --- Money in and out over a period -----------------------------------------------------------


def case_receipts(deposits: QuerySet[Deposit]) -> QuerySet[Deposit]:
    """The deposits among ``deposits`` that reached a case sub-account, each annotated with
    ``booked_at``: when the money reached the case (received, or assigned from suspense).

    Money still in suspense belongs to no case yet and is left out; suspense money assigned to a
    case counts on the day it was assigned, not the day it arrived (the case could not use it
    before).
    """
    return deposits.filter(status__in=[Deposit.Status.CREDITED, Deposit.Status.ASSIGNED]).annotate(
        booked_at=Coalesce("assigned_at", "received_at")
    )


def received_between(
    deposits: QuerySet[Deposit], start: dt.date, end: dt.date
) -> QuerySet[Deposit]:
    """:func:`case_receipts` booked to a case from ``start`` to ``end`` (local days)."""
    return case_receipts(deposits).filter(booked_at__date__gte=start, booked_at__date__lte=end)


def case_payouts_paid(payouts: QuerySet[Payout]) -> QuerySet[Payout]:
    """The payouts among ``payouts`` paid out of a case sub-account (执行案款发放).

    Paid means the bank confirmed it (a payout it returned is not paid). Fee refunds and judicial
    relief are paid from the court's own fee and relief accounts, not from case funds, and are
    left out.
    """
    return payouts.filter(status=Payout.Status.PAID, source__kind=Account.Kind.CASE)


def paid_between(payouts: QuerySet[Payout], start: dt.date, end: dt.date) -> QuerySet[Payout]:
    """:func:`case_payouts_paid` confirmed by the bank from ``start`` to ``end`` (local days)."""
    return case_payouts_paid(payouts).filter(
        finished_at__date__gte=start, finished_at__date__lte=end
    )


# --- Account statement -------------------------------------------------------------------------


@dataclass
class StatementLine:
    at: dt.datetime
    transfer_id: int
    code: str
    code_label: str
    phase: str
    memo: str
    money_in: int
    money_out: int
    reserved: int  # a pending reservation (no change to the balance yet)
    balance: int


@dataclass
class Statement:
    account: Account
    lines: list[StatementLine]
    opening: int = 0
    closing: int = 0
    total_in: int = 0
    total_out: int = 0


def account_statement(account: Account) -> Statement:
    """Postings of one account, oldest first, with the running posted balance (one query).

    For money owed (a case sub-account) a credit is money in; for the bank account a debit is.
    A reservation (pending phase) is listed without moving the balance; its post moves it.
    """
    sign = 1 if account.kind == Account.Kind.BANK else -1
    postings = (
        Posting.objects.filter(account=account)
        .select_related("transfer")
        .order_by("transfer__created_at", "transfer_id")
    )
    codes = dict(Transfer.Code.choices)
    lines, balance, total_in, total_out = [], 0, 0, 0
    for posting in postings:
        transfer = posting.transfer
        effect = sign * posting.amount
        reserved = 0
        money_in = money_out = 0
        if transfer.phase in POSTED_PHASES:
            balance += effect
            if effect > 0:
                money_in, total_in = effect, total_in + effect
            else:
                money_out, total_out = -effect, total_out - effect
        else:
            reserved = abs(posting.amount)
        lines.append(
            StatementLine(
                at=transfer.created_at,
                transfer_id=transfer.pk,
                code=transfer.code,
                code_label=str(codes.get(transfer.code, transfer.code)),
                phase=transfer.phase,
                memo=transfer.memo,
                money_in=money_in,
                money_out=money_out,
                reserved=reserved,
                balance=balance,
            )
        )
    return Statement(
        account=account, lines=lines, closing=balance, total_in=total_in, total_out=total_out
    )


# --- Finance workbench -------------------------------------------------------------------------


def suspense_deadline(now: dt.datetime | None = None) -> dt.datetime:
    """Suspense money received before this moment is overdue for assignment (policy)."""
    return (now or timezone.now()) - dt.timedelta(days=settings.FUNDS_SUSPENSE_MAX_DAYS)


def suspense_items(user: User, now: dt.datetime | None = None) -> list[Deposit]:
    """Money in suspense, oldest first; ``overdue`` when older than FUNDS_SUSPENSE_MAX_DAYS."""
    limit = suspense_deadline(now)
    items = list(
        restrict(Deposit.objects.filter(status=Deposit.Status.SUSPENSE), user)
        .select_related("channel", "court")
        .order_by("received_at", "pk")[:QUEUE_LIMIT]
    )
    for item in items:
        item.overdue = item.received_at < limit
    return items


def approval_queue(user: User) -> list[Payout]:
    """Proposed payouts awaiting the bureau chief, oldest first."""
    return list(
        visible_payouts(user)
        .filter(status=Payout.Status.DRAFT)
        .select_related("approved_by")
        .order_by("created_at", "pk")[:QUEUE_LIMIT]
    )


def review_queue(user: User) -> list[Payout]:
    """Approved payouts awaiting the finance review, oldest first."""
    return list(
        visible_payouts(user)
        .filter(status=Payout.Status.APPROVED)
        .select_related("approved_by")
        .order_by("approved_at", "pk")[:QUEUE_LIMIT]
    )


def bank_results(user: User, limit: int = RECENT_LIMIT) -> list[Payout]:
    """The latest answers from the bank: paid, failed and returned payouts."""
    return list(
        visible_payouts(user)
        .filter(status__in=[Payout.Status.PAID, Payout.Status.FAILED, Payout.Status.RETURNED])
        .order_by(F("finished_at").desc(nulls_last=True), "-pk")[:limit]
    )


def recent_imports(user: User, limit: int = 5) -> list[StatementImport]:
    return list(
        restrict(StatementImport.objects.select_related("channel", "imported_by"), user).order_by(
            "-imported_at", "-pk"
        )[:limit]
    )


CORRECTABLE_CODES = (Transfer.Code.FEE_PAYMENT, Transfer.Code.RELIEF_ALLOCATION)


def recent_bookings(user: User, limit: int = RECENT_LIMIT) -> list[Transfer]:
    """The latest fee payments and relief allocations, each with the money it moved
    (``amount``), its reversal if corrected (``reversal``) and its fee (``fee``): one query."""
    moved = (
        Posting.objects.filter(transfer=OuterRef("pk"), amount__gt=0)
        .order_by()
        .values("transfer")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return list(
        restrict(Transfer.objects.filter(code__in=CORRECTABLE_CODES), user)
        .annotate(amount=Subquery(moved, output_field=IntegerField()))
        .select_related("created_by", "reversal", "fee__case", "fee__payer__party")
        .order_by("-created_at", "-pk")[:limit]
    )


CHOOSER_LIMIT = 10


def search_case_accounts(user: User, text: str, limit: int = CHOOSER_LIMIT) -> list[Account]:
    """Sub-accounts of the user's own court matching ``text``: digits of the virtual number,
    the case number or the payer's name (the suspense and counter choosers). One query."""
    text = (text or "").strip()
    if user.court_id is None or not text:
        return []
    match = Q(case__number__icontains=text) | Q(payer__party__name__icontains=text)
    digits = virtual_accounts.clean(text)
    if digits.isdigit():
        match |= Q(virtual_number__contains=digits)
    return list(
        visible_case_accounts(user)
        .filter(match, court_id=user.court_id)
        .order_by("-opened_at", "-pk")[:limit]
    )


@dataclass
class TierCount:
    tier: IdleTier
    accounts: int = 0


@dataclass
class DashboardFunds:
    held: int = 0
    tiers: list[TierCount] = field(default_factory=list)
    suspense_overdue: int = 0
    approvals: int = 0
    reviews: int = 0

    @property
    def open_alerts(self) -> int:
        return sum(row.accounts for row in self.tiers)


def _count(queryset: QuerySet) -> Subquery:
    """``SELECT COUNT(*)`` of ``queryset`` as a scalar subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted[:1], output_field=IntegerField())


def dashboard_funds(user: User, now: dt.datetime | None = None) -> DashboardFunds:
    """The funds tiles of the main dashboard for the courts ``user`` may see, in two queries:
    the money on case sub-accounts with the overdue suspense items and the payouts waiting for
    approval and review (scalar subqueries of one aggregate), and the idle tiers, each with the
    accounts whose highest open alert it is (as the idle board counts them)."""
    now = now or timezone.now()
    ids = visible_court_ids(user)  # once: restrict() would ask again for every table

    def mine(queryset: QuerySet, lookup: str = "court") -> QuerySet:
        return queryset if ids is None else queryset.filter(**{f"{lookup}__in": ids})

    limit = now - dt.timedelta(days=settings.FUNDS_SUSPENSE_MAX_DAYS)
    suspense = mine(Deposit.objects.filter(status=Deposit.Status.SUSPENSE, received_at__lt=limit))
    drafts = mine(Payout.objects.filter(status=Payout.Status.DRAFT))
    approved = mine(Payout.objects.filter(status=Payout.Status.APPROVED))
    # Max() of a scalar subquery: the same number on every row, evaluated once by PostgreSQL.
    figures = (
        mine(Account.objects.all())
        .order_by()
        .aggregate(
            held=Sum(F("credits_posted") - F("debits_posted"), filter=Q(kind=Account.Kind.CASE)),
            suspense_overdue=Max(_count(suspense)),
            approvals=Max(_count(drafts)),
            reviews=Max(_count(approved)),
        )
    )
    at_tier = idle_accounts(mine(Account.objects.all())).filter(top=OuterRef("pk"))
    tiers = IdleTier.objects.annotate(n=_count(at_tier)).order_by("days")
    return DashboardFunds(
        held=figures["held"] or 0,
        tiers=[TierCount(tier=tier, accounts=tier.n or 0) for tier in tiers],
        suspense_overdue=figures["suspense_overdue"] or 0,
        approvals=figures["approvals"] or 0,
        reviews=figures["reviews"] or 0,
    )


def court_account_of(court) -> CourtAccount | None:
    return CourtAccount.objects.filter(court=court).first()


# --- Idle money ----------------------------------------------------------------------------------


@dataclass
class TierRow:
    tier: IdleTier
    accounts: int = 0
    amount: int = 0


@dataclass
class AgeBucket:
    key: str
    label: str
    accounts: int = 0
    amount: int = 0


AGE_BUCKETS = [
    ("0-15", _("Under 15 days"), 0, 15),
    ("15-30", _("15 to 30 days"), 15, 30),
    ("30-60", _("30 to 60 days"), 30, 60),
    ("60-90", _("60 to 90 days"), 60, 90),
    ("90+", _("90 days or more"), 90, None),
]


def idle_accounts(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """The case sub-accounts among ``accounts`` with an open idle alert, each annotated with the
    highest tier it has reached (``top``: the tier's id) and the money it holds now (``held``,
    fen). An account counts at its highest open tier only (the idle board's rule).

    The alerts need no court filter of their own: an alert belongs to its account's court.
    """
    open_idle = FundsAlert.objects.filter(
        kind=FundsAlert.Kind.IDLE, cleared_at=None, account=OuterRef("pk")
    ).order_by("-tier__days")
    return (
        accounts.filter(kind=Account.Kind.CASE)
        .annotate(
            top=Subquery(open_idle.values("tier_id")[:1]),
            held=F("credits_posted") - F("debits_posted"),
        )
        .filter(top__isnull=False)
    )


def idle_tiers(accounts: QuerySet[Account]) -> list[TierRow]:
    """Every idle tier, lowest first, with the accounts of ``accounts`` whose highest open alert
    it is and the money they hold: two queries."""
    per_tier = {
        row["top"]: row
        for row in idle_accounts(accounts)
        .values("top")
        .annotate(n=Count("pk"), amount=Sum("held"))
        .order_by()
    }
    return [
        TierRow(
            tier=tier,
            accounts=per_tier.get(tier.pk, {}).get("n", 0),
            amount=per_tier.get(tier.pk, {}).get("amount") or 0,
        )
        for tier in IdleTier.objects.order_by("days")
    ]


@dataclass
class IdleBoard:
    tiers: list[TierRow]
    ages: list[AgeBucket]
    open_alerts: int = 0
    held_total: int = 0


def idle_board(user: User, now: dt.datetime | None = None) -> IdleBoard:
    """Open idle alerts per tier (each account counted at its highest tier reached, with the
    money it holds now) and the accounts holding money by how long: three queries."""
    now = now or timezone.now()
    rows = idle_tiers(visible_case_accounts(user))
    held = F("credits_posted") - F("debits_posted")
    whens = []
    for key, _label, low, high in AGE_BUCKETS:
        if high is None:
            continue
        whens.append(
            When(
                funded_since__gt=now - dt.timedelta(days=high),
                funded_since__lte=now - dt.timedelta(days=low),
                then=Value(key),
            )
        )
    ages_found = {
        row["bucket"]: row
        for row in Account.objects.filter(
            pk__in=visible_case_accounts(user).values("pk"),
            funded_since__isnull=False,
            credits_posted__gt=F("debits_posted"),
        )
        .annotate(bucket=Case(*whens, default=Value("90+"), output_field=CharField()))
        .values("bucket")
        .annotate(n=Count("pk"), amount=Sum(held))
        .order_by()
    }
    ages = [
        AgeBucket(
            key=key,
            label=str(label),
            accounts=ages_found.get(key, {}).get("n", 0),
            amount=ages_found.get(key, {}).get("amount") or 0,
        )
        for key, label, _low, _high in AGE_BUCKETS
    ]
    return IdleBoard(
        tiers=rows,
        ages=ages,
        open_alerts=sum(row.accounts for row in rows),
        held_total=sum(bucket.amount for bucket in ages),
    )


def open_alerts(user: User, tier: IdleTier | None = None) -> QuerySet[FundsAlert]:
    alerts = restrict(FundsAlert.objects.filter(cleared_at=None), user).select_related(
        "account__case", "tier", "payout"
    )
    if tier is not None:
        alerts = alerts.filter(kind=FundsAlert.Kind.IDLE, tier=tier)
    return alerts.order_by("-raised_at", "-pk")


# --- Daily journal -------------------------------------------------------------------------------


@dataclass
class Journal:
    day: dt.date
    transfers: list[Transfer]
    money_in: int = 0
    money_out: int = 0


def daily_journal(user: User, day: dt.date) -> Journal:
    """The transfers booked on ``day`` (court time) with their postings; money in and out of
    the bank account (posted). Two queries."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    transfers = list(
        restrict(Transfer.objects.filter(created_at__gte=start, created_at__lt=end), user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "postings",
                queryset=Posting.objects.select_related("account__court").order_by("pk"),
            )
        )
        .order_by("created_at", "pk")
    )
    money_in = money_out = 0
    for transfer in transfers:
        for posting in transfer.postings.all():
            if transfer.phase in POSTED_PHASES and posting.account.kind == Account.Kind.BANK:
                if posting.amount > 0:
                    money_in += posting.amount
                else:
                    money_out -= posting.amount
    return Journal(day=day, transfers=transfers, money_in=money_in, money_out=money_out)


# --- From arrival to payout ----------------------------------------------------------------


TIMING_BUCKETS = [
    ("0-7", _("Within a week"), 0, 7),
    ("8-15", _("8 to 15 days"), 8, 15),
    ("16-30", _("16 to 30 days"), 16, 30),
    ("31-60", _("31 to 60 days"), 31, 60),
    ("61-90", _("61 to 90 days"), 61, 90),
    ("91+", _("Over 90 days"), 91, None),
]


@dataclass
class Timing:
    count: int = 0
    median: float | None = None
    p90: float | None = None
    within_30: float | None = None  # share, 0..1
    buckets: list[tuple[str, str, int]] = field(default_factory=list)


def _percentile(values: list[float], share: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * share
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def payout_times(payouts: QuerySet[Payout]) -> QuerySet[Payout]:
    """The paid payouts to applicants among ``payouts`` whose money's arrival is known, each
    annotated with ``arrival`` and ``days`` (from arrival to the bank's confirmation, a float,
    never below zero): the rows every arrival-to-payout figure is read from.

    Arrival is the earliest deposit received on the payout's sub-account in its episode: after
    the previous paid payout from that sub-account finished (or ever, for the first) and no
    later than the payout was proposed.
    """
    previous = (
        Payout.objects.filter(
            source=OuterRef("source"),
            status=Payout.Status.PAID,
            finished_at__lt=OuterRef("created_at"),
        )
        .order_by("-finished_at")
        .values("finished_at")[:1]
    )
    floor = Coalesce(
        Subquery(previous, output_field=DateTimeField()),
        Value(dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),
    )
    first_arrival = (
        Deposit.objects.filter(
            account=OuterRef("source"),
            received_at__lte=OuterRef("created_at"),
            received_at__gt=OuterRef("floor"),
        )
        .order_by()
        .values("account")
        .annotate(first=Min("received_at"))
        .values("first")[:1]
    )
    seconds = Func(F("finished_at") - F("arrival"), template="EXTRACT(EPOCH FROM %(expressions)s)")
    return (
        payouts.filter(
            status=Payout.Status.PAID, kind=Payout.Kind.APPLICANT, finished_at__isnull=False
        )
        .annotate(floor=floor)
        .annotate(arrival=Subquery(first_arrival, output_field=DateTimeField()))
        .filter(arrival__isnull=False)
        .annotate(days=Greatest(Cast(seconds, FloatField()) / 86400, Value(0.0)))
    )


def timing(times: QuerySet[Payout]) -> Timing:
    """The arrival-to-payout figures of ``times``, rows of :func:`payout_times`."""
    days = list(times.order_by().values_list("days", flat=True))
    buckets = []
    for key, label, low, high in TIMING_BUCKETS:
        n = sum(1 for d in days if d >= low and (high is None or d < high + 1))
        buckets.append((key, str(label), n))
    if not days:
        return Timing(buckets=buckets)
    return Timing(
        count=len(days),
        median=round(_percentile(days, 0.5), 1),
        p90=round(_percentile(days, 0.9), 1),
        within_30=sum(1 for d in days if d <= 30) / len(days),
        buckets=buckets,
    )


def arrival_to_payout(user: User, since: dt.datetime | None = None) -> Timing:
    """Days from the money's arrival to its payout, for the paid payouts to applicants ``user``
    may see that finished since ``since``. One query."""
    payouts = visible_payouts(user)
    if since is not None:
        payouts = payouts.filter(finished_at__gte=since)
    return timing(payout_times(payouts))


# --- Money arriving ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayerAccount:
    """What booking a payment needs to know about the sub-account a number names."""

    account_id: int
    case: EnforcementCase  # with ``number`` and ``judge`` (pk, phone, is_active) only


def payer_account(court_id: int, number: str) -> PayerAccount | None:
    """The court's sub-account with this virtual number, its case and judge, in one small query.

    Raw SQL on purpose: this runs for every bank notice, the system's hottest path (ADR 011).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, c.id, c.number, u.id, u.phone, u.is_active"
            "  FROM casefunds_account a"
            "  JOIN enforcement_enforcementcase c ON c.id = a.case_id"
            "  JOIN courtexec_user u ON u.id = c.judge_id"
            " WHERE a.virtual_number = %s AND a.court_id = %s",
            [number, court_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    account_id, case_id, case_number, judge_id, phone, active = row
    judge = User(pk=judge_id, phone=phone, is_active=active)
    return PayerAccount(account_id, EnforcementCase(pk=case_id, number=case_number, judge=judge))


# --- Ledger verification and overdue suspense ---------------------------------------------------


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
    from casefunds.ledger import apply_deferred

    apply_deferred()
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
    limit = suspense_deadline(now)
    return Deposit.objects.filter(status=Deposit.Status.SUSPENSE, received_at__lt=limit).order_by(
        "received_at"
    )

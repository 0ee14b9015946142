"""Reads of the liaison station. What a party may see is decided here and nowhere else."""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casefunds import virtual_accounts
from casefunds.models import Account, Deposit, Payout
from casefunds.notices import PaymentNotice, payment_notice
from casefunds.selectors import case_totals
from courtexec.models import User
from courtexec.roles import Role
from courtexec.visibility import restrict
from enforcement.liaison.models import (
    Message,
    MessageAttachment,
    PortalAccount,
    ServedDocument,
    Thread,
)
from enforcement.models import CaseParty, EnforcementCase
from enforcement.selectors import deadline_badge, my_cases

# The roles at whose cases a signed-in party looks; a third party has no liaison thread.
PORTAL_ROLES = (CaseParty.Role.APPLICANT, CaseParty.Role.RESPONDENT)


# --- Portal: the party's own cases -------------------------------------------------------------


def portal_account(user: User) -> PortalAccount | None:
    """The portal account of a signed-in party, or ``None`` for staff and anonymous users."""
    if not user.is_authenticated:
        return None
    try:
        return user.portal_account
    except PortalAccount.DoesNotExist:
        return None


def party_links(account: PortalAccount) -> QuerySet[CaseParty]:
    """The account's places in cases: applicant or respondent parties with its mobile number."""
    return CaseParty.objects.filter(party__phone=account.phone, role__in=PORTAL_ROLES)


def party_cases(account: PortalAccount) -> QuerySet[EnforcementCase]:
    return EnforcementCase.objects.filter(pk__in=party_links(account).values("case_id"))


def party_case(account: PortalAccount, pk: int) -> EnforcementCase:
    """One of the account's cases; any other case is a 404, as if it did not exist."""
    case = party_cases(account).select_related("judge", "court").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def party_threads(account: PortalAccount) -> QuerySet[Thread]:
    """The threads of the account's parties in its cases."""
    links = party_links(account)
    return Thread.objects.filter(
        case_id__in=links.values("case_id"), party_id__in=links.values("party_id")
    )


# --- Portal: what a party sees of its case (案件进度、案款、送达文书、缴款通知) ---

# Payouts a party hears about: from approval on (a proposal may still be turned down).
PARTY_VISIBLE_PAYOUTS = (
    Payout.Status.APPROVED,
    Payout.Status.REVIEWED,
    Payout.Status.SUBMITTING,
    Payout.Status.SUBMITTED,
    Payout.Status.PAID,
    Payout.Status.RETURNED,
)


def phone_on_file(phone: str) -> bool:
    """Whether an applicant or respondent with this mobile number exists (any court)."""
    return CaseParty.objects.filter(party__phone=phone, role__in=PORTAL_ROLES).exists()


@dataclass
class PortalCase:
    case: EnforcementCase
    roles: list[str]  # the account's roles in the case, as labels
    badge: str  # "overdue", "due_soon" or ""


def portal_case_list(account: PortalAccount) -> list[PortalCase]:
    """The account's cases, newest first, with its role in each (two queries)."""
    roles: dict[int, list[str]] = {}
    for link in party_links(account).order_by("pk"):
        roles.setdefault(link.case_id, []).append(link.get_role_display())
    today = timezone.localdate()
    cases = party_cases(account).select_related("judge", "court").order_by("-filed_on", "-pk")
    return [PortalCase(case, roles[case.pk], deadline_badge(case, today)) for case in cases]


@dataclass
class PartyPayout:
    amount: int
    status: str
    status_label: str
    at: object


@dataclass
class PartyDeposit:
    amount: int
    paid_at: object


@dataclass
class PortalFunds:
    """Money on the case as a party may see it: the case's totals and its own movements only
    (never another party's accounts or bank details)."""

    received: int
    paid_out: int
    payouts_to_me: list[PartyPayout] = field(default_factory=list)  # as applicant
    paid_in_by_me: int = 0  # as respondent, on its own sub-account
    deposits_by_me: list[PartyDeposit] = field(default_factory=list)


@dataclass
class PortalCaseView:
    case: EnforcementCase
    roles: list[str]
    badge: str
    is_respondent: bool
    funds: PortalFunds
    documents: list[ServedDocument]
    virtual_number: str  # the respondent's own sub-account (一人一案一账号), grouped
    payment_notice: PaymentNotice | None  # the respondent's notice for that sub-account


def _case_links(account: PortalAccount, case: EnforcementCase) -> list[CaseParty]:
    return list(party_links(account).filter(case=case).select_related("party").order_by("pk"))


def _party_funds(case: EnforcementCase, links: list[CaseParty]) -> PortalFunds:
    received, paid_out = case_totals(case)
    funds = PortalFunds(received=received, paid_out=paid_out)
    applicant_accounts = [
        link.payee_account_number
        for link in links
        if link.role == CaseParty.Role.APPLICANT and link.payee_account_number
    ]
    if applicant_accounts:
        payouts = Payout.objects.filter(
            case=case,
            kind__in=[Payout.Kind.APPLICANT, Payout.Kind.RELIEF],
            payee_account__in=applicant_accounts,
            status__in=PARTY_VISIBLE_PAYOUTS,
        ).order_by("-created_at", "-pk")
        funds.payouts_to_me = [
            PartyPayout(p.amount, p.status, p.get_status_display(), p.finished_at or p.created_at)
            for p in payouts
        ]
    own = [link.pk for link in links if link.role == CaseParty.Role.RESPONDENT]
    if own:
        accounts = Account.objects.filter(payer_id__in=own, kind=Account.Kind.CASE)
        funds.paid_in_by_me = sum(a.credits_posted for a in accounts)
        deposits = Deposit.objects.filter(account__in=accounts).order_by("-paid_at", "-pk")
        funds.deposits_by_me = [PartyDeposit(d.amount, d.paid_at) for d in deposits]
    return funds


def respondent_account(account: PortalAccount, case: EnforcementCase) -> Account | None:
    """The account's own virtual sub-account in the case, if it is a respondent there."""
    return (
        Account.objects.filter(
            kind=Account.Kind.CASE,
            payer__in=party_links(account).filter(case=case, role=CaseParty.Role.RESPONDENT),
        )
        .select_related("case", "court", "payer__party")
        .order_by("pk")
        .first()
    )


def portal_case_view(account: PortalAccount, pk: int, *, with_notice: bool) -> PortalCaseView:
    """One of the account's cases as its portal page shows it; any other case is a 404.

    ``with_notice`` also draws a respondent's payment notice (its QR code is the costly part:
    the API gives it inline, the page links to it)."""
    case = party_case(account, pk)
    links = _case_links(account, case)
    sub_account = respondent_account(account, case)
    return PortalCaseView(
        case=case,
        roles=[link.get_role_display() for link in links],
        badge=deadline_badge(case, timezone.localdate()),
        is_respondent=any(link.role == CaseParty.Role.RESPONDENT for link in links),
        funds=_party_funds(case, links),
        documents=list(party_documents(account).filter(case=case)),
        virtual_number=virtual_accounts.grouped(sub_account.virtual_number or "")
        if sub_account
        else "",
        payment_notice=payment_notice(sub_account) if sub_account and with_notice else None,
    )


def party_documents(account: PortalAccount) -> QuerySet[ServedDocument]:
    """Documents served on the account's parties in their cases (not another party's)."""
    links = party_links(account)
    return ServedDocument.objects.filter(
        Exists(links.filter(case_id=OuterRef("case_id"), party_id=OuterRef("party_id")))
    ).select_related("case")


def party_document(account: PortalAccount, pk: int) -> ServedDocument:
    document = party_documents(account).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def party_payment_notice(account: PortalAccount, case_pk: int) -> PaymentNotice:
    """The respondent's payment notice (缴款通知书) for one of its cases: the same notice the
    court prints, for its own sub-account only; 404 for an applicant or another case."""
    case = party_case(account, case_pk)
    sub_account = respondent_account(account, case)
    if sub_account is None:
        raise Http404
    return payment_notice(sub_account)


# --- Staff: served documents of a case -------------------------------------------------------


def case_served_documents(user: User, case: EnforcementCase) -> QuerySet[ServedDocument]:
    return restrict(ServedDocument.objects.filter(case=case), user).select_related(
        "party", "issued_by"
    )


def visible_served_documents(user: User) -> QuerySet[ServedDocument]:
    return restrict(ServedDocument.objects.all(), user).select_related("case", "party", "issued_by")


# --- Messaging (一对一沟通) --------------------------------------------------------------------

# Who reads every thread of their court (the inbox of others sees only their own cases).
THREAD_OVERSEERS = (Role.SECTION_CHIEF, Role.BUREAU_CHIEF, Role.PRESIDENT)


def is_case_staff(case: EnforcementCase, user: User) -> bool:
    """The case's judge or one of its assistants: who answers the party and whose opening of
    the thread counts as the court having read it."""
    return user.pk == case.judge_id or case.assistants.filter(pk=user.pk).exists()


def is_overseer(user: User) -> bool:
    return user.is_superuser or any(user.has_role(role) for role in THREAD_OVERSEERS)


def thread_party_users(thread: Thread) -> QuerySet[User]:
    """The portal users behind the thread's party (its mobile number), to be told of answers."""
    return User.objects.filter(portal_account__phone=thread.party.phone, is_active=True)


def visible_threads(user: User) -> QuerySet[Thread]:
    """Threads of cases in courts the staff member sees (another court's are a 404)."""
    return restrict(Thread.objects.select_related("case__judge", "case__court", "party"), user)


def inbox_threads(user: User) -> QuerySet[Thread]:
    """The liaison inbox: threads of the cases the user judges or assists, a chief's whole
    court; each with the count of party messages the court has not read."""
    threads = visible_threads(user)
    if not is_overseer(user):
        threads = threads.filter(case__in=my_cases(user).values("pk"))
    return with_unread(threads)


def case_threads(user: User, case: EnforcementCase) -> QuerySet[Thread]:
    """The threads of one case (its Messages tab), for anyone who sees the case."""
    return with_unread(visible_threads(user).filter(case=case))


def with_unread(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    unread = Q(messages__author=Message.Author.PARTY, messages__read_at__isnull=True)
    # An aggregate drops Meta.ordering: newest activity first, explicitly.
    return threads.annotate(unread=Count("messages", filter=unread)).order_by(
        "-last_message_at", "-pk"
    )


def thread_messages(thread: Thread) -> QuerySet[Message]:
    return thread.messages.select_related("staff_author").prefetch_related("attachments")


def party_thread(account: PortalAccount, case: EnforcementCase) -> Thread | None:
    """The account's thread on one of its cases (``None`` before the first message)."""
    return party_threads(account).filter(case=case).select_related("case__judge", "party").first()


def party_attachment(account: PortalAccount, pk: int) -> MessageAttachment:
    """A file of one of the party's own threads; any other is a 404."""
    attachments = MessageAttachment.objects.filter(message__thread__in=party_threads(account))
    return get_object_or_404(attachments, pk=pk)


def staff_attachment(user: User, pk: int) -> MessageAttachment:
    """A file of a thread on a case the staff member sees; any other is a 404."""
    return get_object_or_404(restrict(MessageAttachment.objects.all(), user), pk=pk)


def message_timeline_events(case: EnforcementCase) -> list:
    """The case's messages as timeline events (one query), for ``case_timeline``."""
    from enforcement.selectors import TIMELINE_KINDS, TimelineEvent

    label = str(TIMELINE_KINDS["message"])
    messages = (
        Message.objects.filter(thread__case_id=case.pk)
        .select_related("thread__party", "staff_author")
        .annotate(files=Count("attachments"))
    )
    return [
        TimelineEvent(
            at=message.created_at,
            kind="message",
            kind_label=label,
            action=str(message.get_author_display()),
            summary=f"{message.thread.party} · {message.body[:80]}"
            + (f" 📎{message.files}" if message.files else ""),
            user=str(message.staff_author or ""),
        )
        for message in messages
    ]


@dataclass(frozen=True)
class ReplyTimes:
    """One judge's answering over a period (答复时长): waiting runs begun in it, how many were
    answered and how fast (median, 90th percentile), and how many still wait."""

    judge: User
    answered: int
    median: dt.timedelta | None
    p90: dt.timedelta | None
    unanswered: int


def _waiting_runs(messages) -> list[tuple[int, dt.datetime, dt.datetime | None]]:
    """(thread, first party message of a run, first staff answer or ``None``), from one
    thread-ordered pass over (thread, author, time) rows; system notes change nothing."""
    runs = []
    current: dict[int, int] = {}  # thread -> index of its open run
    for thread_id, author, at in messages:
        if author == Message.Author.PARTY and thread_id not in current:
            current[thread_id] = len(runs)
            runs.append((thread_id, at, None))
        elif author == Message.Author.STAFF and thread_id in current:
            index = current.pop(thread_id)
            runs[index] = (thread_id, runs[index][1], at)
    return runs


def _nearest_rank(values: list[dt.timedelta], fraction: float) -> dt.timedelta:
    return values[max(math.ceil(fraction * len(values)) - 1, 0)]


def reply_times(user: User, *, start: dt.datetime, end: dt.datetime) -> list[ReplyTimes]:
    """Each judge's reply times over the threads of the courts ``user`` sees."""
    return thread_reply_times(visible_threads(user), start=start, end=end)


def thread_reply_times(
    threads: QuerySet[Thread], *, start: dt.datetime, end: dt.datetime
) -> list[ReplyTimes]:
    """Each judge's reply times for waiting runs begun in [start, end), over ``threads`` (those
    of some courts); a run belongs to the case's current judge. Percentiles are nearest-rank;
    times are wall-clock (a night counts). Three queries."""
    threads = threads.filter(
        messages__author=Message.Author.PARTY,
        messages__created_at__gte=start,
        messages__created_at__lt=end,
    )
    judges = dict(threads.values_list("pk", "case__judge_id").distinct())
    rows = (
        Message.objects.filter(thread_id__in=judges)
        .exclude(author=Message.Author.SYSTEM)
        .order_by("thread_id", "created_at", "pk")
        .values_list("thread_id", "author", "created_at")
    )
    waits: dict[int, list[dt.timedelta]] = defaultdict(list)
    unanswered: dict[int, int] = defaultdict(int)
    for thread_id, began, answered_at in _waiting_runs(rows):
        if not start <= began < end:
            continue
        judge_id = judges[thread_id]
        if answered_at is None:
            unanswered[judge_id] += 1
        else:
            waits[judge_id].append(answered_at - began)
    people = User.objects.in_bulk(set(waits) | set(unanswered))
    figures = []
    for judge_id, judge in people.items():
        times = sorted(waits[judge_id])
        figures.append(
            ReplyTimes(
                judge=judge,
                answered=len(times),
                median=statistics.median(times) if times else None,
                p90=_nearest_rank(times, 0.9) if times else None,
                unanswered=unanswered[judge_id],
            )
        )
    return sorted(figures, key=lambda figure: str(figure.judge))


def filter_threads(
    threads: QuerySet[Thread], *, awaiting: bool = False, flagged: bool = False, case: str = ""
) -> QuerySet[Thread]:
    """The inbox's filters (page and API alike): waiting, flagged, a case by id or number."""
    if awaiting:
        threads = threads.filter(awaiting_reply_since__isnull=False)
    if flagged:
        threads = threads.filter(flagged_at__isnull=False)
    case = case.strip()
    if case:
        match = Q(case__number__icontains=case)
        is_id = re.fullmatch(r"[0-9]{1,18}", case) is not None  # not "²", which isdigit()
        threads = threads.filter(match | Q(case_id=int(case)) if is_id else match)
    return threads


def period_bounds(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in court time; by default the last 30 days."""
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=29)
    midnight = lambda day: timezone.make_aware(dt.datetime.combine(day, dt.time()))  # noqa: E731
    return midnight(start), midnight(end + dt.timedelta(days=1))

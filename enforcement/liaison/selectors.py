"""Reads of the liaison station. What a party may see is decided here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from casefunds import virtual_accounts
from casefunds.models import Account, Deposit, Payout
from casefunds.notices import PaymentNotice, payment_notice
from casefunds.selectors import case_totals
from courtexec.models import User
from courtexec.visibility import restrict
from enforcement.liaison.models import PortalAccount, ServedDocument, Thread
from enforcement.models import CaseParty, EnforcementCase
from enforcement.selectors import deadline_badge

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

"""Reads of the liaison station. What a party may see is decided here and nowhere else."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from courtexec.models import User
from enforcement.liaison.models import PortalAccount, Thread
from enforcement.models import CaseParty, EnforcementCase

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

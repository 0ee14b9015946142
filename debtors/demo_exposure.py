"""Demo exposure (360°曝光): every published demo entry of the court is shown on the big screen
and on the notice board where the debtor lives; the first few also in the newspaper.

Idempotent: an outlet already used for an entry (open or withdrawn) is not used again, so a
second run records nothing. With no published entries it records nothing.
"""

from __future__ import annotations

from django.utils import timezone

from courtexec.models import Court, User
from courtexec.roles import Role
from debtors import selectors, services
from debtors.models import ExposureRecord

BIG_SCREEN = "武林广场户外大屏"
NEWSPAPER = "杭州日报"
NEWSPAPER_ENTRIES = 3


def _outlets(entry, index: int) -> list[tuple[str, str, str]]:
    address = entry.respondent.party.address or "所在社区"
    outlets = [
        (ExposureRecord.Channel.BIG_SCREEN, BIG_SCREEN, ""),
        (ExposureRecord.Channel.NOTICE_BOARD, f"{address}公告栏"[:200], ""),
    ]
    if index < NEWSPAPER_ENTRIES:
        outlets.append((ExposureRecord.Channel.NEWSPAPER, NEWSPAPER, "A6版 失信被执行人名单"))
    return outlets


def load_exposure(court: Court, staff: dict[Role, User]) -> int:
    """Record the demo exposures of ``court``'s published entries; returns how many are new."""
    officer = staff.get(Role.CLERK) or staff[Role.JUDGE]
    recorded = 0
    entries = selectors.published_entries(court=court).order_by("published_at", "pk")
    for index, entry in enumerate(entries):
        for channel, outlet, reference in _outlets(entry, index):
            if ExposureRecord.objects.filter(entry=entry, channel=channel, outlet=outlet).exists():
                continue
            services.record_exposure(
                entry=entry,
                channel=channel,
                outlet=outlet,
                reference=reference,
                published_on=timezone.localdate(entry.published_at),
                user=officer,
            )
            recorded += 1
    return recorded

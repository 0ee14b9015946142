"""Reads of property investigation and control that views, API and tasks share."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courtexec.models import Court, User
from debtors.models import (
    BlacklistEntry,
    DeletionTask,
    Freeze,
    InvestigationRequest,
    PublicListing,
    RestrictionOrder,
)


def expiring(*, court: Court | None = None, within_days: int = 30) -> QuerySet[Freeze]:
    """Live freezes whose legal end falls within ``within_days`` from today (soonest first)."""
    today = timezone.localdate()
    queryset = Freeze.objects.filter(
        released_on__isnull=True,
        to_date__gte=today,
        to_date__lte=today + dt.timedelta(days=within_days),
    )
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.select_related("case", "finding").order_by("to_date", "pk")


def expired(*, court: Court | None = None) -> QuerySet[Freeze]:
    """Freezes past their end without release or renewal: the property is no longer held."""
    queryset = Freeze.objects.filter(released_on__isnull=True, to_date__lt=timezone.localdate())
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.order_by("to_date", "pk")


def investigation_queue(*, user: User) -> QuerySet[InvestigationRequest]:
    """Open requests of the user's court: those assigned to the user first, then the rest."""
    return (
        InvestigationRequest.objects.filter(case__court_id=user.court_id)
        .exclude(status=InvestigationRequest.Status.DONE)
        .select_related("case", "respondent__party", "assigned_to")
        .order_by("requested_at", "pk")
    )


def overdue_deletion_tasks(
    *, court: Court | None = None, today: dt.date | None = None
) -> QuerySet[DeletionTask]:
    """Deletion tasks past their due date whose entry is still not deleted (oldest first)."""
    today = today or timezone.localdate()
    queryset = DeletionTask.objects.filter(due_on__lt=today).exclude(
        entry__status=BlacklistEntry.Status.DELETED
    )
    if court is not None:
        queryset = queryset.filter(entry__case__court=court)
    return queryset.select_related("entry__case", "entry__respondent__party").order_by("due_on")


def published_entries(*, court: Court | None = None) -> QuerySet[BlacklistEntry]:
    """Entries on the public list now."""
    queryset = BlacklistEntry.objects.filter(status=BlacklistEntry.Status.PUBLISHED)
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.select_related("case", "respondent__party").order_by("-published_at")


def restrictions_in_force(*, court: Court | None = None) -> QuerySet[RestrictionOrder]:
    queryset = RestrictionOrder.objects.filter(lifted_on__isnull=True)
    if court is not None:
        queryset = queryset.filter(case__court=court)
    return queryset.select_related("case", "respondent__party").order_by("-issued_on")


# --- Public search (公开查询) ------------------------------------------------------------------

# A resident ID (18 characters, or the old 15 digits) or a unified social credit code (two
# registration characters, a six-digit area code, ten more): looked up exactly, never by prefix.
_IDENTITY = re.compile(r"\d{15}|\d{17}[\dX]|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
PUBLIC_QUERY_MIN_LENGTH = 2


def public_key(text: str | None) -> str:
    """How names and identity numbers are compared: NFKC (full-width → half-width), no
    whitespace, upper case. The read model stores it; queries are normalised the same way."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def looks_like_identity_number(key: str) -> bool:
    return _IDENTITY.fullmatch(key) is not None


def public_query_key(query: str | None) -> str:
    """The normalised query, or a field error when fewer than two characters are left."""
    key = public_key(query)
    if len(key) < PUBLIC_QUERY_MIN_LENGTH:
        raise ValidationError(
            {
                "q": ValidationError(
                    _("Enter at least %(min)d characters: a name, ID number or credit code.")
                    % {"min": PUBLIC_QUERY_MIN_LENGTH},
                    code="too_short",
                )
            }
        )
    return key


@dataclass(frozen=True)
class PublicResult:
    """One published entry as the public may see it (Art. 6, with the ID number masked)."""

    name: str
    kind: str
    id_number: str
    legal_representative: str | None
    case_number: str
    court: str
    grounds: list[str]
    obligation: str
    performance: str
    published_at: dt.datetime


@dataclass(frozen=True)
class PublicPage:
    count: int
    page: int
    pages: int
    results: list[PublicResult]

    @property
    def capped(self) -> bool:
        """More matches than can be paged to: the page asks for a narrower query."""
        return self.count >= settings.PUBLIC_SEARCH_PAGE_SIZE * settings.PUBLIC_SEARCH_MAX_PAGES


def _performance(to_enforce: Decimal, performed: Decimal) -> str:
    if performed <= 0:
        return _("Not performed")  # 全部未履行
    if performed < to_enforce:
        return _("Partly performed")  # 部分履行
    return _("Fully performed")  # 全部履行


def _public_result(row: dict) -> PublicResult:
    """``row``: the ``PUBLIC_FIELDS`` of one entry (plain values: no model instances are built
    for the public search, which answers many anonymous requests)."""
    from debtors import rules  # the law of the list: masking, grounds

    is_person = row["respondent__party__kind"] == "person"
    identity = row["respondent__party__id_number"] or ""
    to_enforce = row["case__amount_to_enforce"]
    return PublicResult(
        name=row["respondent__party__name"],
        kind=row["respondent__party__kind"],
        id_number=rules.mask_id_number(identity) if is_person else identity,
        legal_representative=None if is_person else row["respondent__party__legal_representative"],
        case_number=row["case__number"],
        court=row["case__court__name"],
        grounds=[str(rules.Ground(g).label) for g in row["grounds"]],
        obligation=_("%(amount)s yuan under %(instrument)s of %(issuer)s")
        % {
            "amount": f"{to_enforce:,.2f}",
            "instrument": row["case__instrument_number"],
            "issuer": row["case__issuing_body"],
        },
        performance=_performance(to_enforce, row["case__amount_performed"]),
        published_at=row["published_at"],
    )


def _public_page_sql() -> str:
    from courtexec.models import Court
    from enforcement.models import CaseParty, EnforcementCase, Party

    tables = {
        "listing": PublicListing._meta.db_table, "entry": BlacklistEntry._meta.db_table,
        "case": EnforcementCase._meta.db_table, "court": Court._meta.db_table,
        "link": CaseParty._meta.db_table, "party": Party._meta.db_table,
    }  # fmt: skip
    # Only table names from the models' metadata and fixed column names go into the text;
    # every value is a bound parameter.
    return (  # noqa: S608
        'SELECT l.entry_id, l.total, e.grounds, e.published_at, c.number AS "case__number",'
        ' c.amount_to_enforce AS "case__amount_to_enforce",'
        ' c.amount_performed AS "case__amount_performed",'
        ' c.instrument_number AS "case__instrument_number",'
        ' c.issuing_body AS "case__issuing_body", ct.name AS "case__court__name",'
        ' p.name AS "respondent__party__name", p.kind AS "respondent__party__kind",'
        ' p.id_number AS "respondent__party__id_number",'
        ' p.legal_representative AS "respondent__party__legal_representative"'
        " FROM (SELECT entry_id, sort_key, count(*) OVER () AS total FROM"
        "        (SELECT entry_id, {{column}} AS sort_key"
        '           FROM "{listing}" WHERE {{condition}} ORDER BY {{column}}, entry_id'
        "          LIMIT %s) reachable"
        "       ORDER BY sort_key, entry_id LIMIT %s OFFSET %s) l"
        ' JOIN "{entry}" e ON e.id = l.entry_id AND e.status = %s'
        ' JOIN "{case}" c ON c.id = e.case_id JOIN "{court}" ct ON ct.id = c.court_id'
        ' JOIN "{link}" cp ON cp.id = e.respondent_id JOIN "{party}" p ON p.id = cp.party_id'
        " ORDER BY l.sort_key, l.entry_id"
    ).format(**tables)


PUBLIC_PAGE_SQL = _public_page_sql()


def public_blacklist_search(*, query: str | None, page: int = 1) -> PublicPage:
    """Published entries matching a name (prefix), a person's ID number or an organisation's
    credit code (exact), ``PUBLIC_SEARCH_PAGE_SIZE`` a page; ``count`` stops at the matches
    that can be paged to (page size × ``PUBLIC_SEARCH_MAX_PAGES``).

    Only the read model is searched: it holds published entries only (deleted and corrected
    ones leave it in the same transaction). Order: by name key then entry for names, by entry
    for identity numbers — both straight from an index, so deterministic and cheap.
    """
    key = public_query_key(query)
    size = settings.PUBLIC_SEARCH_PAGE_SIZE
    if page < 1 or page > settings.PUBLIC_SEARCH_MAX_PAGES:
        raise ValidationError(
            {
                "page": ValidationError(
                    _("Choose a page from 1 to %(max)d; refine the search for more.")
                    % {"max": settings.PUBLIC_SEARCH_MAX_PAGES},
                    code="page",
                )
            }
        )
    if looks_like_identity_number(key):
        column, condition, bounds = "id_key", "id_key = %s AND %s::text IS NOT NULL", [key, key]
        matches = PublicListing.objects.filter(id_key=key)
    else:
        # A prefix as a range: in the "C" collation every string that starts with ``key`` lies
        # in [key, key + U+10FFFF), so the plan needs no constant to use the index.
        column, condition, bounds = "name_key", "name_key >= %s AND name_key < %s", [
            key, key + "\U0010ffff"
        ]  # fmt: skip
        matches = PublicListing.objects.filter(name_key__startswith=key)
    # Only the first ``cap`` matches can be paged to, so no more are counted: ``count`` is the
    # number of matches up to ``cap`` (1,000), and a search never scans more index entries.
    cap = size * settings.PUBLIC_SEARCH_MAX_PAGES
    # One round trip: the page of the read model (an index range scan, in index order) with
    # the number of matches (the window counts the rows before LIMIT), joined to what is
    # shown. Raw SQL because the ORM cannot join to a limited subquery; bound on the server and
    # prepared, so each connection plans the two shapes of the query once.
    sql = PUBLIC_PAGE_SQL.format(column=column, condition=condition)
    params = [*bounds, cap + 1, size, (page - 1) * size, BlacklistEntry.Status.PUBLISHED]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if rows:
        count = min(rows[0]["total"], cap)
    elif page > 1:  # past the last page: no row carries the count
        count = matches[: cap + 1].count()
    else:
        count = 0
    results = [_public_result(row) for row in rows]
    return PublicPage(count=count, page=page, pages=-(-count // size), results=results)

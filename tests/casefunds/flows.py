"""Payout and tier helpers shared by the case-funds QA tests (no mocks: real services)."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from django.db import connection

from casefunds import services
from casefunds.models import IdleTier, Payout
from enforcement.models import CaseParty

DEFAULT_TIERS = [
    (15, "15日提示", "info", ["enforcement_judge"]),
    (30, "30日超期", "warning", ["section_chief"]),
    (60, "60日严重超期", "orange", ["bureau_chief"]),
    (90, "90日重大超期", "danger", ["court_president"]),
]


def ensure_tiers() -> list[IdleTier]:
    """The default tiers (a transactional test's flush removes the migration's rows)."""
    for days, label, colour, roles in DEFAULT_TIERS:
        IdleTier.objects.get_or_create(
            days=days, defaults={"label": label, "colour": colour, "notify_roles": roles}
        )
    return list(IdleTier.objects.order_by("days"))


def applicant_party(case) -> CaseParty:
    return case.parties.get(role=CaseParty.Role.APPLICANT)


def set_payee_account(case, number: str) -> CaseParty:
    party = applicant_party(case)
    party.payee_account_number = number
    party.save(update_fields=["payee_account_number"])
    return party


def propose(case, judge, source, amount: int, key: str | None = None) -> Payout:
    payout, _created = services.propose_payout(
        case=case,
        kind=Payout.Kind.APPLICANT,
        amount=amount,
        idempotency_key=key or f"qa-{uuid.uuid4().hex}",
        user=judge,
        payee_party=applicant_party(case),
        source=source,
        purpose="执行款发放",
    )
    return payout


def approve_and_review(payout: Payout, chief, finance) -> Payout:
    payout = services.approve_payout(payout=payout, user=chief)
    return services.review_payout(payout=payout, user=finance)


def pay(case, judge, chief, finance, source, amount: int) -> Payout:
    """Propose, approve, review and send one payout; answers the fresh row."""
    payout = approve_and_review(propose(case, judge, source, amount), chief, finance)
    services.send_payout(payout.pk)
    return Payout.objects.get(pk=payout.pk)


def subprocess_database_url() -> str:
    """A DATABASE_URL to pytest-django's test database on the same server and socket, for a
    subprocess (a worker, ``manage.py``) that must see what a transactional test committed."""
    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    if host.startswith("/"):  # a unix socket directory
        return f"postgresql://{user}:{password}@{port}/{db['NAME']}?host={quote(host)}"
    return f"postgresql://{user}:{password}@{host}{port}/{db['NAME']}"

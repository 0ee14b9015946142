"""Shared set-up of the benchmarks: Django on a scratch database of the same PostgreSQL server.

``setup_django("courtexec_bench")`` creates the database when missing, points ``DATABASE_URL`` at
it, configures Django and migrates, so the development database is never touched. Celery
messages (text messages queued by the services) go to a Redis database of their own (12).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_BROKER_DB = 12


def _with_dbname(url: str, name: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{name}").geturl()


def server_url() -> str:
    """A URL to the server Django would use (embedded under var/ unless DATABASE_URL is set)."""
    if os.environ.get("COURTEXEC_BENCH_SERVER_URL"):
        return os.environ["COURTEXEC_BENCH_SERVER_URL"]
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from courtexec import embedded

    return embedded.postgres_url()


def create_database(name: str, *, fresh: bool = False) -> str:
    import psycopg

    base = server_url()
    os.environ["COURTEXEC_BENCH_SERVER_URL"] = base
    with psycopg.connect(_with_dbname(base, "postgres"), autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return _with_dbname(base, name)


def libpq_args(url: str) -> tuple[list[str], dict[str, str]]:
    """``-h/-p/-U`` arguments and environment for pgbench on the same server and socket."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    host = query.get("host") or parts.hostname or ""
    args = []
    if host:
        args += ["-h", host]
    if parts.port:
        args += ["-p", str(parts.port)]
    if parts.username:
        args += ["-U", parts.username]
    env = {**os.environ}
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return args, env


def setup_django(database: str, *, fresh: bool = False) -> str:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtexec.settings")
    url = create_database(database, fresh=fresh)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from courtexec.redis_urls import with_db

    settings.CELERY_BROKER_URL = with_db(settings.CELERY_BROKER_URL, BENCH_BROKER_DB)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"database {database}: migrated in {time.monotonic() - started:.1f} s", flush=True)
    return url


def purge_bench_broker() -> None:
    from courtexec.celery import app

    app.control.purge()


def bench_world(sub_accounts: int):
    """A court, staff, one case and ``sub_accounts`` payer sub-accounts (created once)."""
    from django.contrib.auth.models import Group

    from casefunds import services as funds
    from casefunds.models import Account, Channel, IdleTier
    from courtexec.models import Court, User
    from courtexec.roles import Role
    from enforcement import services
    from enforcement.models import CaseParty, EnforcementCase, Party

    court, _ = Court.objects.get_or_create(
        code="浙9999", defaults={"name": "基准测试人民法院", "level": Court.Level.BASIC}
    )
    people = {}
    for role in (Role.JUDGE, Role.FINANCE, Role.BUREAU_CHIEF):
        user, created = User.objects.get_or_create(
            username=f"bench_{role.value}", defaults={"court": court, "display_name": role.label}
        )
        if created:
            user.set_password("bench-password-not-secret")
            user.save()
            user.groups.set(Group.objects.filter(name=role.value))
        people[role] = user
    channel, _ = Channel.objects.get_or_create(
        code="bench-bank",
        defaults={"court": court, "kind": Channel.Kind.BANK, "name": "基准银行",
                  "secret": "bench-secret"},
    )  # fmt: skip
    if not IdleTier.objects.exists():
        from tests.casefunds.flows import ensure_tiers

        ensure_tiers()
    case = EnforcementCase.objects.filter(court=court).first()
    if case is None:
        applicant = services.register_party(
            court=court, kind=Party.Kind.PERSON, name="基准申请人", id_number="11010519491231002X"
        )
        respondent = services.register_party(
            court=court, kind=Party.Kind.ORGANISATION, name="基准被执行人",
            id_number="91110000600037341L",
        )  # fmt: skip
        import datetime as dt
        from decimal import Decimal

        case = services.file_case(
            court=court, user=people[Role.JUDGE],
            type_code=EnforcementCase.TypeCode.FIRST,
            category=EnforcementCase.Category.FINANCIAL, issuing_body="基准法院",
            instrument_number="(2020)基准民初1号", instrument_effective_on=dt.date(2020, 1, 1),
            instrument_kind=EnforcementCase.InstrumentKind.LITIGATION,
            amount_to_enforce=Decimal("1000000.00"), filed_on=dt.date(2020, 2, 1),
            judge=people[Role.JUDGE],
            parties=[
                services.PartyRole(party=applicant, role=CaseParty.Role.APPLICANT,
                                   payee_bank="工行", payee_account_number="6222020202020202020"),
                services.PartyRole(party=respondent, role=CaseParty.Role.RESPONDENT),
            ],
        )  # fmt: skip
    have = Account.objects.filter(case=case, kind=Account.Kind.CASE).count()
    from django.db import transaction

    with transaction.atomic():
        for n in range(have, sub_accounts):
            party = Party.objects.create(
                kind=Party.Kind.PERSON, name=f"基准付款人{n}", registered_by=court
            )
            funds.open_payer_account(
                CaseParty.objects.create(case=case, party=party, role=CaseParty.Role.RESPONDENT)
            )
    accounts = list(
        Account.objects.filter(case=case, kind=Account.Kind.CASE).order_by("pk")[:sub_accounts]
    )
    return court, people, channel, case, accounts


def ratio_line(name: str, value: float, baseline_name: str, baseline: float, target: str) -> str:
    ratio = value / baseline if baseline else float("nan")
    return f"RATIO {name} / {baseline_name} = {ratio:.3f} (target {target})"

"""manage.py verify_ledger and import_statement."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from casefunds import ledger
from casefunds.models import Account, Deposit
from casefunds.selectors import ledger_drift
from tests.casefunds.conftest import deposit
from tests.casefunds.flows import pay, subprocess_database_url
from tests.casefunds.test_services import statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(bank_channel, case, sub_account, judge, chief, finance):
    deposit(bank_channel, sub_account, 50_000, "V1")
    deposit(bank_channel, Account(virtual_number=""), 3_000, "V2")
    pay(case, judge, chief, finance, sub_account, 20_000)
    return sub_account


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_ledger_finds_no_drift_after_a_scenario(scenario):
    out, _err = run("verify_ledger")
    assert "drift: 0" in out
    assert "accounts checked: 3" in out  # bank, case sub-account, suspense


def test_verify_ledger_reports_a_tampered_cached_total(scenario):
    with connection.cursor() as cursor:  # no trigger guards the cached columns themselves
        cursor.execute(
            "UPDATE casefunds_account SET credits_posted = credits_posted + 1 WHERE id = %s",
            [scenario.pk],
        )
    with pytest.raises(CommandError, match="1 drift"):
        run("verify_ledger")
    (drift,) = ledger_drift()
    assert (drift.kind, drift.object_id, drift.column) == ("account", scenario.pk, "credits_posted")
    assert drift.cached == drift.recomputed + 1


def test_verify_ledger_reports_a_posting_written_with_triggers_off(scenario):
    bank = ledger.court_account(scenario.court, Account.Kind.BANK)
    transfer = Deposit.objects.get(reference="V1").transfer
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # triggers do not fire
        try:
            cursor.execute(
                "INSERT INTO casefunds_transfer (court_id, code, phase, memo, created_at) "
                "VALUES (%s, 'deposit', 'posted', 'forged', now()) RETURNING id",
                [scenario.court_id],
            )
            forged = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO casefunds_posting (transfer_id, account_id, amount) VALUES (%s,%s,%s)",
                [forged, bank.pk, 999],
            )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    drifts = {(d.kind, d.object_id, d.column): d for d in ledger_drift()}
    assert set(drifts) == {("transfer", forged, "sum"), ("account", bank.pk, "debits_posted")}
    assert drifts["transfer", forged, "sum"].recomputed == 999
    assert transfer.pk not in {d.object_id for d in drifts.values() if d.kind == "transfer"}
    with pytest.raises(CommandError):
        run("verify_ledger")


def test_import_statement_command(tmp_path, bank_channel, sub_account, finance):
    deposit(bank_channel, sub_account, 10_000, "C-1")
    va = sub_account.virtual_number
    rows = [("C-1", va, "100.00"), ("C-2", va, "12.34")]
    rows += [(f"C-{n}", va, "1.00") for n in range(3, 1203)]
    path = tmp_path / "statement.csv"
    path.write_text(statement(*rows), encoding="utf-8")
    out, err = run("import_statement", bank_channel.code, str(path), "--user", finance.username)
    assert "lines: 1202; already on record: 1; posted: 1201; mismatches: 0" in out
    assert "1000/1202" in err and "100% 1202/1202" in err and err.endswith("\n")
    out, _err = run("import_statement", bank_channel.code, str(path), "--user", finance.username)
    assert "already on record: 1202; posted: 0" in out
    assert ledger_drift() == []
    with pytest.raises(CommandError, match="No channel"):
        run("import_statement", "nope", str(path), "--user", finance.username)
    with pytest.raises(CommandError, match="Refused"):
        run("import_statement", bank_channel.code, str(path), "--user", "a_enforcement_judge")


@pytest.mark.django_db(transaction=True)
def test_verify_ledger_exits_1_on_drift(scenario):
    def manage() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "verify_ledger"],
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "DATABASE_URL": subprocess_database_url()},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    clean = manage()
    assert clean.returncode == 0, clean.stderr
    assert "drift: 0" in clean.stdout
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE casefunds_account SET debits_pending = debits_pending + 5 WHERE id = %s",
            [scenario.pk],
        )
    drifted = manage()
    assert drifted.returncode == 1
    assert f"DRIFT account {scenario.pk} debits_pending: cached 5, postings say 0" in drifted.stdout
    assert "drift: 1" in drifted.stdout

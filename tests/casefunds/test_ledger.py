"""The ledger's rules, in Python and in PostgreSQL itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError, IntegrityError

from casefunds import ledger, virtual_accounts
from casefunds.models import Account, Posting, Transfer
from tests.casefunds.conftest import deposit, fresh

pytestmark = pytest.mark.django_db


def test_respondent_gets_a_checked_virtual_account(case, sub_account):
    assert sub_account.payer.party.name == "杭州某某贸易有限公司"
    assert virtual_accounts.is_well_formed(sub_account.virtual_number)
    digits = list(sub_account.virtual_number)
    digits[-5] = str((int(digits[-5]) + 1) % 10)  # one mistyped digit
    assert not virtual_accounts.is_well_formed("".join(digits))


def test_deposit_moves_money_and_keeps_totals(bank_channel, sub_account):
    deposit(bank_channel, sub_account, 50_000, "R1")
    account = fresh(sub_account)
    assert account.balance == 50_000
    assert account.funded_since is not None
    bank = ledger.court_account(account.court, Account.Kind.BANK)
    assert fresh(bank).balance == 50_000  # applied at commit: fresh() applies it now


def _raw_transfer(court_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO casefunds_transfer (court_id, code, phase, memo, created_at) "
            "VALUES (%s, 'deposit', 'posted', 'raw', now()) RETURNING id",
            [court_id],
        )
        return cursor.fetchone()[0]


def test_database_refuses_an_unbalanced_transfer(bank_channel, sub_account):
    transfer_id = _raw_transfer(sub_account.court_id)
    with (
        pytest.raises(IntegrityError, match="does not balance"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO casefunds_posting (transfer_id, account_id, amount) VALUES (%s,%s,%s)",
            [transfer_id, ledger.court_account(sub_account.court, "bank").pk, 100],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_database_refuses_update_and_delete_of_postings(bank_channel, sub_account):
    deposit(bank_channel, sub_account, 1_000, "R2")
    for statement in (
        "UPDATE casefunds_posting SET amount = amount * 2",
        "DELETE FROM casefunds_posting",
        "UPDATE casefunds_transfer SET memo = 'edited'",
        "DELETE FROM casefunds_transfer",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert Posting.objects.count() == 2


def test_database_refuses_an_overdraft_through_raw_sql(bank_channel, sub_account):
    deposit(bank_channel, sub_account, 1_000, "R3")
    suspense = ledger.court_account(sub_account.court, "suspense")
    transfer_id = _raw_transfer(sub_account.court_id)
    with (
        pytest.raises(IntegrityError, match="owed_account_not_overdrawn"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO casefunds_posting (transfer_id, account_id, amount) "
            "VALUES (%s,%s,%s), (%s,%s,%s)",
            [transfer_id, sub_account.pk, 1_001, transfer_id, suspense.pk, -1_001],
        )
    with (
        pytest.raises(IntegrityError, match="owed_account_not_overdrawn"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE casefunds_account SET debits_pending = 5000 WHERE id = %s",
            [sub_account.pk],
        )


def test_reservation_counts_against_available_money(bank_channel, sub_account):
    deposit(bank_channel, sub_account, 10_000, "R4")
    bank = ledger.court_account(sub_account.court, "bank")
    reservation = ledger.reserve(
        source=sub_account, bank=bank, amount=8_000, code="payout", user=None
    )
    assert fresh(sub_account).available == 2_000
    with pytest.raises(ledger.InsufficientFunds):
        ledger.reserve(source=sub_account, bank=bank, amount=2_001, code="payout", user=None)
    ledger.void(reservation)
    assert fresh(sub_account).available == 10_000
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger.void(reservation)  # a reservation is resolved once


def test_settled_reservation_posts_exactly_the_amount(bank_channel, sub_account):
    deposit(bank_channel, sub_account, 10_000, "R5")
    bank = ledger.court_account(sub_account.court, "bank")
    reservation = ledger.reserve(
        source=sub_account, bank=bank, amount=10_000, code="payout", user=None
    )
    ledger.settle(reservation)
    account = fresh(sub_account)
    assert (account.balance, account.debits_pending, account.funded_since) == (0, 0, None)


def test_reversal_mirrors_and_happens_once(court_a, finance):
    bank = ledger.court_account(court_a, "bank")
    fees = ledger.court_account(court_a, "fees")
    original = ledger.move(source=bank, target=fees, amount=500, code="fee_payment")
    ledger.reverse(original, user=finance, reason="录入错误")
    assert fresh(fees).balance == 0
    with pytest.raises(ValidationError) as refused:
        ledger.reverse(original, user=finance, reason="again")
    assert refused.value.code == "reversed"
    assert Transfer.objects.filter(reverses=original).count() == 1

"""Moving money on the ledger: the only code that writes transfers and postings.

Every function runs inside the caller's transaction (services are atomic) and locks the accounts
it touches in primary-key order first, so two movements never wait on each other crosswise.
Money arriving (:func:`book_payment`) is one database call that takes no lock of its own: its
postings, in account order, lock the rows through the posting trigger.
PostgreSQL re-checks every rule (migration 0002); the checks here give people a clear message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.models import Account, Posting, Transfer
from courtexec.models import Court, User
from courtexec.request_context import current_request_id

Leg = tuple[Account, int]  # (account, signed fen: + debit, − credit)


class InsufficientFunds(ValidationError):
    """The account does not hold enough money that is not already promised."""


def court_account(court: Court, kind: str) -> Account:
    """The court's single account of this kind (bank, suspense, fees, relief, escrow), opened on
    first use by the same database function the deposit booking uses (migration 0005)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT casefunds_court_account(%s, %s)", [court.pk, kind])
        account_id = cursor.fetchone()[0]
    return Account.objects.get(pk=account_id)


def lock_accounts(accounts: Sequence[Account]) -> dict[int, Account]:
    """Lock rows in ascending pk order (deadlock-free) and return fresh copies by pk."""
    ids = sorted({account.pk for account in accounts})
    return {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _check_now() -> None:
    """Run the deferred balance check at once, so an error surfaces here and not at commit."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS casefunds_transfer_balanced IMMEDIATE")
        cursor.execute("SET CONSTRAINTS casefunds_transfer_balanced DEFERRED")


def apply_deferred() -> None:
    """Bring the bank account's totals (applied at commit, ADR 011) up to date inside an open
    transaction, for readers that need them now (verify_ledger, tests); also runs the pending
    balance checks. Outside a transaction there is nothing deferred."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _validate(court: Court, legs: Sequence[Leg]) -> None:
    if legs:
        if sum(amount for _account, amount in legs) != 0:
            raise ValidationError(_("A transfer's postings must sum to zero."), code="unbalanced")
        if any(amount == 0 for _account, amount in legs):
            raise ValidationError(_("A posting cannot be zero."), code="zero_posting")
        if len({account.pk for account, _amount in legs}) != len(legs):
            raise ValidationError(_("One leg per account in a transfer."), code="duplicate_leg")
        if any(account.court_id != court.pk for account, _amount in legs):
            raise ValidationError(_("Money cannot move between courts."), code="cross_court")


def _lock_and_check(legs: Sequence[Leg], phase: str) -> None:
    locked = lock_accounts([account for account, _amount in legs])
    for account, amount in legs:
        fresh = locked[account.pk]
        owed_debit = amount > 0 and fresh.kind != Account.Kind.BANK
        if owed_debit and phase != "post_pending" and amount > fresh.available:
            raise InsufficientFunds(
                _("%(account)s holds ¥%(available)s not yet promised; ¥%(amount)s asked.")
                % {
                    "account": fresh,
                    "available": f"{fresh.available / 100:,.2f}",
                    "amount": f"{amount / 100:,.2f}",
                },
                code="insufficient_funds",
            )


def _post_legs(transfer: Transfer, legs: Sequence[Leg]) -> None:
    # In account order: the posting trigger updates (so locks) the rows in this order.
    ordered = sorted(legs, key=lambda leg: leg[0].pk)
    try:
        with transaction.atomic():
            Posting.objects.bulk_create(
                [Posting(transfer=transfer, account=account, amount=amount)
                 for account, amount in ordered]
            )  # fmt: skip
            _check_now()
    except IntegrityError as exc:  # the database's own overdraft or balance check
        raise InsufficientFunds(
            _("The ledger refused this movement: %(error)s") % {"error": exc}, code="refused"
        ) from exc


def _header(
    *,
    court: Court,
    code: str,
    phase: str,
    user: User | None,
    memo: str,
    at: dt.datetime | None = None,
    pending: Transfer | None = None,
    reverses: Transfer | None = None,
) -> Transfer:
    return Transfer.objects.create(
        court=court,
        code=code,
        phase=phase,
        pending=pending,
        reverses=reverses,
        memo=memo[:500],
        created_at=at or timezone.now(),
        created_by=user,
    )


def _write(
    *,
    court: Court,
    code: str,
    phase: str,
    legs: Sequence[Leg],
    user: User | None,
    memo: str,
    at: dt.datetime | None = None,
    pending: Transfer | None = None,
    reverses: Transfer | None = None,
) -> Transfer:
    _validate(court, legs)
    _lock_and_check(legs, phase)
    transfer = _header(court=court, code=code, phase=phase, user=user, memo=memo, at=at,
                       pending=pending, reverses=reverses)  # fmt: skip
    _post_legs(transfer, legs)
    return transfer


def book_payment(
    *,
    court_id: int,
    channel_id: int,
    reference: str,
    digest: str,
    virtual_account: str,
    amount: int,
    payer_name: str,
    payer_account: str,
    paid_at: dt.datetime,
    at: dt.datetime,
    account_id: int | None,
    case_id: int | None,
    suspense_reason: str,
    received_by_id: int | None,
    witnessed_by_id: int | None,
    memo: str,
    history_user_id: int | None,
) -> tuple[int, bool, int, int]:
    """Book money arriving in one database call (``casefunds_book_payment``, ADR 011).

    Claims the channel reference, writes the deposit with its history row and the transfer
    bank → ``account_id`` (suspense when ``None``). Answers ``(deposit id, created, account id,
    transfer id)``;
    ``created`` is false when the reference was already on record (nothing is written then).
    Arriving money cannot overdraw anything, so no lock is taken first: the posting trigger's
    updates, in account-id order, are the only row locks.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM casefunds_book_payment("
            "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [court_id, channel_id, reference, digest, virtual_account, amount, payer_name,
             payer_account, paid_at, at, account_id, case_id, suspense_reason, received_by_id,
             witnessed_by_id, memo[:500], history_user_id, current_request_id()],
        )  # fmt: skip
        return cursor.fetchone()


def post(
    *,
    court: Court,
    code: str,
    legs: Sequence[Leg],
    user: User | None = None,
    memo: str = "",
    at: dt.datetime | None = None,
) -> Transfer:
    """Move money now."""
    return _write(court=court, code=code, phase="posted", legs=legs, user=user, memo=memo, at=at)


def move(
    *,
    source: Account,
    target: Account,
    amount: int,
    code: str,
    user: User | None = None,
    memo: str = "",
    at: dt.datetime | None = None,
) -> Transfer:
    """Move ``amount`` fen of what ``source`` holds to ``target``.

    For owed accounts "holding" is a credit, so the source is debited; money arriving in (or
    leaving) the bank account is the other way round, which the signs below take care of.
    """
    return post(
        court=source.court, code=code, legs=[(source, amount), (target, -amount)],
        user=user, memo=memo, at=at,
    )  # fmt: skip


def reserve(
    *, source: Account, bank: Account, amount: int, code: str, user: User | None, memo: str = ""
) -> Transfer:
    """Promise money to a payee (pending debit): nobody else can promise it while in flight."""
    return _write(
        court=source.court, code=code, phase="pending",
        legs=[(source, amount), (bank, -amount)], user=user, memo=memo,
    )  # fmt: skip


def settle(reservation: Transfer, *, user: User | None = None, memo: str = "") -> Transfer:
    """The bank paid: post exactly what was reserved."""
    legs = [(p.account, p.amount) for p in reservation.postings.select_related("account")]
    return _write(
        court=reservation.court, code=reservation.code, phase="post_pending", legs=legs,
        user=user, memo=memo, pending=reservation,
    )  # fmt: skip


def void(reservation: Transfer, *, user: User | None = None, memo: str = "") -> Transfer:
    """The payout will not happen: the reserved money is free again."""
    legs = [(p.account, p.amount) for p in reservation.postings.select_related("account")]
    lock_accounts([account for account, _amount in legs])
    return Transfer.objects.create(
        court=reservation.court,
        code=reservation.code,
        phase="void_pending",
        pending=reservation,
        memo=memo[:500],
        created_by=user,
    )


def reverse(original: Transfer, *, user: User, reason: str) -> Transfer:
    """Correct a posted transfer with its mirror image (冲正), never by editing it."""
    if original.phase not in ("posted", "post_pending"):
        raise ValidationError(_("Only posted transfers can be reversed."), code="not_posted")
    if Transfer.objects.filter(reverses=original).exists():
        raise ValidationError(_("This transfer has already been reversed."), code="reversed")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    legs = [(p.account, -p.amount) for p in original.postings.select_related("account")]
    return _write(
        court=original.court, code=Transfer.Code.REVERSAL, phase="posted", legs=legs,
        user=user, memo=reason, reverses=original,
    )  # fmt: skip

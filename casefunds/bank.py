"""The bank that carries out payouts, behind an adapter.

A bank adapter has two calls, both keyed by the payout's idempotency key:

``submit(instruction)``
    Ask the bank to pay. Answers a :class:`BankAnswer`; raises :class:`BankUnavailable` when the
    bank cannot be reached or did not answer (the payment may or may not have been taken).
``query(key)``
    What became of the payment with this key: a :class:`BankAnswer`, or ``None`` when the bank
    never received it.

The wire format of the court's bank-enterprise link (银企直连) differs per bank; each real
adapter maps it onto these calls (``docs/casefunds-bank-interfaces.md``). :class:`SandboxBank`
stands in for the bank in the demo and tests: it books every instruction in its own table,
once per key, and counts the calls, so tests can prove a payout was sent exactly once.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.module_loading import import_string


class BankUnavailable(Exception):
    """No answer from the bank: whether it took the payment is unknown until queried."""


@dataclass(frozen=True)
class PaymentInstruction:
    key: str
    payee_name: str
    payee_bank: str
    payee_account: str
    amount: int  # fen
    memo: str


@dataclass(frozen=True)
class BankAnswer:
    status: str  # "accepted", "paid", "failed" or "returned"
    reference: str = ""
    reason: str = ""


class PaymentBank(Protocol):
    def submit(self, instruction: PaymentInstruction) -> BankAnswer: ...

    def query(self, key: str) -> BankAnswer | None: ...


# The sandbox's behaviour by the payee account's last four digits.
SANDBOX_FAILS = "0000"  # 户名不符: the bank refuses the payment
SANDBOX_RETURNS = "9999"  # paid, then returned by the payee's bank (退汇)


class SandboxBank:
    """A bank in a table. ``COURTEXEC_SANDBOX_BANK_DELAY`` (seconds) slows its answer down,
    after the instruction is booked, as a slow network would (the crash tests use it)."""

    def submit(self, instruction: PaymentInstruction) -> BankAnswer:
        from casefunds.models import SandboxBankInstruction

        ending = instruction.payee_account[-4:]
        outcome = {SANDBOX_FAILS: "failed", SANDBOX_RETURNS: "returned"}.get(ending, "paid")
        try:
            with transaction.atomic():
                SandboxBankInstruction.objects.create(
                    key=instruction.key,
                    payee_account=instruction.payee_account,
                    payee_name=instruction.payee_name,
                    amount=instruction.amount,
                    memo=instruction.memo[:300],
                    outcome=outcome,
                    reference=f"SBX{uuid.uuid4().hex[:20].upper()}",
                )
        except IntegrityError:  # the same key again: a real bank answers with the first booking
            SandboxBankInstruction.objects.filter(key=instruction.key).update(calls=F("calls") + 1)
        delay = float(os.environ.get("COURTEXEC_SANDBOX_BANK_DELAY", "0"))
        if delay:
            time.sleep(delay)
        return BankAnswer(status="accepted", reference=self._reference(instruction.key))

    def query(self, key: str) -> BankAnswer | None:
        from casefunds.models import SandboxBankInstruction

        booked = SandboxBankInstruction.objects.filter(key=key).first()
        if booked is None:
            return None
        reason = (
            "户名与账号不符 (name and account do not match)" if booked.outcome == "failed" else ""
        )
        return BankAnswer(status=booked.outcome, reference=booked.reference, reason=reason)

    @staticmethod
    def _reference(key: str) -> str:
        from casefunds.models import SandboxBankInstruction

        return SandboxBankInstruction.objects.filter(key=key).values_list("reference", flat=True)[0]


def bank() -> PaymentBank:
    return import_string(settings.FUNDS_BANK_ADAPTER)()

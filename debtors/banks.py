"""Point-to-point bank channel (点对点查控): the adapter interface and a sandbox bank.

Every electronic order names the case number and the officer. The sandbox answers
deterministically from the party's identity number, so demos and tests see the same accounts
every time, and the same deduction order gets the same reference (a repeated answer books once).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Order:
    """What every electronic order carries: the case and the officer who gives it."""

    case_number: str
    officer: str  # name (and badge/username) of the officer


@dataclass(frozen=True)
class Account:
    institution: str
    number: str
    balance: int  # fen


@dataclass(frozen=True)
class FreezeAnswer:
    reference: str
    amount: int  # fen actually frozen


@dataclass(frozen=True)
class DeductionAnswer:
    reference: str
    account: str
    amount: int  # fen
    at: dt.datetime


class BankAdapter(Protocol):
    def search(self, *, id_number: str, name: str, order: Order) -> list[Account]: ...

    def freeze(self, *, account: str, amount: int, order: Order) -> FreezeAnswer: ...

    def unfreeze(self, *, account: str, reference: str, order: Order) -> None: ...

    def deduct(self, *, account: str, amount: int, order: Order) -> DeductionAnswer: ...


def _hex(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


class SandboxBank:
    """Deterministic accounts per identity number: 1 to 3 accounts with fixed balances."""

    BANKS = ["中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "招商银行"]

    def search(self, *, id_number: str, name: str, order: Order) -> list[Account]:
        if not id_number:
            return []
        digest = _hex("accounts", id_number)
        count = 1 + int(digest[0], 16) % 3
        accounts = []
        for i in range(count):
            chunk = digest[4 + i * 12 : 16 + i * 12]
            number = "62" + str(int(chunk, 16))[:17].rjust(17, "0")
            balance = (int(chunk[:6], 16) % 50_000_00) + 100_00  # 100 to 50,100 yuan
            accounts.append(Account(self.BANKS[int(chunk[0], 16) % 5], number, balance))
        return accounts

    def freeze(self, *, account: str, amount: int, order: Order) -> FreezeAnswer:
        return FreezeAnswer(_hex("freeze", account, order.case_number)[:24].upper(), amount)

    def unfreeze(self, *, account: str, reference: str, order: Order) -> None:
        return None

    def deduct(self, *, account: str, amount: int, order: Order) -> DeductionAnswer:
        reference = "KH" + _hex("deduct", account, order.case_number, str(amount))[:22].upper()
        return DeductionAnswer(reference, account, amount, timezone.now())


def get_bank() -> BankAdapter:
    return import_string(settings.DEBTORS_BANK_ADAPTER)()

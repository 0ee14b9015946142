"""Fixtures for case-funds tests: a filed case with its respondent's sub-account, channels,
and a second finance officer (counter receipts and reviews need two people)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casefunds import ledger, services
from casefunds.models import Account, Channel
from casefunds.signatures import hmac_hex
from courtexec.roles import Role
from tests.factories import UserFactory

BANK_SECRET = "test-bank-secret"


@pytest.fixture
def chief(staff):
    return staff[Role.BUREAU_CHIEF]


@pytest.fixture
def finance(staff):
    return staff[Role.FINANCE]


@pytest.fixture
def finance_2(court_a):
    return UserFactory(username="a_finance_2", court=court_a, roles=[Role.FINANCE])


@pytest.fixture
def bank_channel(court_a):
    return Channel.objects.create(
        court=court_a, kind=Channel.Kind.BANK, code="icbc-a", name="工行", secret=BANK_SECRET
    )


@pytest.fixture
def counter_channel(court_a):
    return Channel.objects.create(
        court=court_a, kind=Channel.Kind.COUNTER, code="counter-a", name="柜台"
    )


@pytest.fixture
def sub_account(case) -> Account:
    return Account.objects.get(case=case, kind=Account.Kind.CASE)


def notice_body(reference: str, virtual_account: str, amount: str = "1234.56", **extra) -> dict:
    body = {
        "bank_reference": reference,
        "virtual_account": virtual_account,
        "amount": amount,
        "payer_name": "杭州某某贸易有限公司",
        "payer_account": "6217000010001234567",
        "paid_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(),
    }
    body.update(extra)
    return body


def signed(body: dict, secret: str = BANK_SECRET) -> tuple[bytes, str]:
    raw = json.dumps(body, ensure_ascii=False).encode()
    return raw, hmac_hex(secret, raw)


def deposit(channel, account, amount_fen: int, reference: str, at=None):
    """Book a payment straight through the service (no HTTP)."""
    notice = services.Notice(
        reference=reference,
        virtual_account=account.virtual_number or "",
        amount=amount_fen,
        payer_name="付款人",
        payer_account="",
        paid_at=at or timezone.now(),
    )
    return services.receive_payment(channel=channel, notice=notice, at=at)[0]


def fresh(account: Account) -> Account:
    """The account as committed would show it (the bank's totals are applied at commit)."""
    ledger.apply_deferred()
    return Account.objects.get(pk=account.pk)


def client_for(user) -> Client:
    """A logged-in test client reading English pages."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def funds_url(case) -> str:
    return reverse("casefunds:case-funds", args=[case.pk])


def tab_url(case) -> str:
    return reverse("enforcement:case-detail", args=[case.pk]) + "?tab=funds#funds"


__all__ = ["client_for", "deposit", "fresh", "funds_url", "ledger", "messages_of", "notice_body",
           "signed", "tab_url"]  # fmt: skip

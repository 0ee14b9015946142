"""The demo's case funds: every payout state, suspense, every idle tier, a balanced ledger."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from casefunds.models import Channel, Deposit, FundsAlert, Hold, IdleTier, Payout, Posting

pytestmark = pytest.mark.django_db


def test_demo_funds_cover_every_state_and_load_once():
    call_command("demo", stdout=io.StringIO())
    statuses = set(Payout.objects.values_list("status", flat=True))
    assert {"draft", "approved", "reviewed", "paid", "failed", "returned", "rejected"} <= statuses
    assert Deposit.objects.filter(status=Deposit.Status.SUSPENSE).count() >= 2
    assert Deposit.objects.filter(status=Deposit.Status.ASSIGNED).exists()
    assert Deposit.objects.exclude(received_by=None).exists()  # a counter receipt
    raised_tiers = set(
        FundsAlert.objects.filter(kind="idle", cleared_at=None).values_list("tier__days", flat=True)
    )
    assert raised_tiers == set(IdleTier.objects.values_list("days", flat=True))
    assert FundsAlert.objects.filter(kind="step").exists()
    assert set(Hold.objects.values_list("kind", flat=True)) == {"deferral", "escrow"}
    assert Channel.objects.filter(kind=Channel.Kind.ALIPAY).exclude(public_key="").exists()
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)  # exits 1 (SystemExit) on any drift
    assert "drift: 0" in out.getvalue()
    postings = Posting.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Posting.objects.count() == postings

"""Admin of case funds: every changelist renders, the ledger cannot be written, actions call
the services, configuration rules (write-only secret, fixed prefix, re-timed tiers) hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casefunds import services
from casefunds.models import (
    Account,
    Channel,
    CourtAccount,
    IdleTier,
    Payout,
    Posting,
    Transfer,
)
from courtexec.models import Delivery, Notification
from courtexec.roles import Role
from enforcement.models import CaseParty
from tests.casefunds.conftest import deposit, fresh
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


CASEFUNDS_MODELS = sorted(
    (m for m in apps.get_app_config("casefunds").get_models() if not m.__name__.startswith("Hist")),
    key=lambda m: m.__name__,
)
LEDGER = [Account, Transfer, Posting]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(court_a):
    return UserFactory(
        username="a_admin", court=court_a, roles=[Role.SYSADMIN], is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(superuser) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(superuser)
    return client


@pytest.fixture
def ledger_records(judge, case, sub_account, bank_channel):
    deposit(bank_channel, sub_account, 100_000, "ADM-1")
    payout, _ = services.propose_payout(
        case=case, kind="applicant", amount=40_000, idempotency_key="adm-p", user=judge,
        payee_party=case.parties.get(role=CaseParty.Role.APPLICANT), source=fresh(sub_account),
    )  # fmt: skip
    return payout


def test_every_casefunds_model_is_registered():
    registered = set(admin.site._registry)
    assert [m for m in CASEFUNDS_MODELS if m not in registered] == []
    assert Notification in registered and Delivery in registered


def test_changelists_render(admin_client, ledger_records):
    for model in [*CASEFUNDS_MODELS, Notification, Delivery]:
        response = admin_client.get(_url(model, "changelist"))
        assert response.status_code == 200, model.__name__


def test_ledger_rows_cannot_be_added_changed_or_deleted(admin_client, superuser, ledger_records):
    request = type("R", (), {"user": superuser})()
    for model in [*LEDGER, Payout]:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert not model_admin.has_change_permission(request)
    assert admin_client.get(_url(Account, "add")).status_code == 403
    transfer = Transfer.objects.first()
    page = admin_client.get(_url(Transfer, "change", transfer.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_chief_approves_a_payout_by_admin_action(staff, ledger_records):
    chief = staff[Role.BUREAU_CHIEF]
    chief.is_staff = True
    chief.save()
    client = Client(headers={"accept-language": "en"})
    client.force_login(chief)
    response = client.post(
        _url(Payout, "changelist"),
        {"action": "approve", "_selected_action": [ledger_records.pk]},
        follow=True,
    )
    assert response.status_code == 200
    ledger_records.refresh_from_db()
    assert ledger_records.status == Payout.Status.APPROVED
    again = client.post(
        _url(Payout, "changelist"),
        {"action": "approve", "_selected_action": [ledger_records.pk]},
        follow=True,
    )
    text = " ".join(str(m) for m in get_messages(again.wsgi_request))
    assert "Only a proposed payout can be approved." in text


def test_channel_secret_is_write_only(admin_client, bank_channel):
    page = admin_client.get(_url(Channel, "change", bank_channel.pk)).content.decode()
    assert bank_channel.secret not in page
    listing = admin_client.get(_url(Channel, "changelist")).content.decode()
    assert bank_channel.secret not in listing and "••••" in listing
    admin_client.post(
        _url(Channel, "change", bank_channel.pk),
        {"kind": "bank", "name": "工商银行", "secret": "", "app_id": "", "public_key": "",
         "is_active": "on"},
    )  # fmt: skip
    bank_channel.refresh_from_db()
    assert bank_channel.name == "工商银行" and bank_channel.secret == "test-bank-secret"


def test_virtual_prefix_is_fixed_once_numbers_are_issued(admin_client, sub_account):
    numbering = CourtAccount.objects.get(court=sub_account.court)
    assert numbering.last_serial > 0
    page = admin_client.get(_url(CourtAccount, "change", numbering.pk)).content.decode()
    assert 'name="virtual_prefix"' not in page
    assert 'name="bank_name"' in page


def test_saving_a_tier_retimes_the_holding_accounts(admin_client, bank_channel, sub_account):
    deposit(bank_channel, sub_account, 1_000, "T-1")
    account = fresh(sub_account)
    tier = IdleTier.objects.get(days=15)
    response = admin_client.post(
        _url(IdleTier, "change", tier.pk),
        {"days": "5", "label": tier.label, "colour": tier.colour,
         "notify_roles": ",".join(tier.notify_roles), "notify_judge": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    account = fresh(account)
    assert account.next_alert_at == account.funded_since + dt.timedelta(days=5)


def test_idle_scan_from_the_alerts_admin(staff, bank_channel, sub_account):
    deposit(bank_channel, sub_account, 1_000, "T-2")
    past = timezone.now() - dt.timedelta(days=20)
    Account.objects.filter(pk=sub_account.pk).update(funded_since=past, next_alert_at=past)
    finance = staff[Role.FINANCE]
    finance.is_staff = True
    finance.save()
    client = Client(headers={"accept-language": "en"})
    client.force_login(finance)
    services.scan_idle_money()  # one alert to select
    from casefunds.models import FundsAlert

    alert = FundsAlert.objects.get()
    response = client.post(
        reverse("admin:casefunds_fundsalert_changelist"),
        {"action": "run_idle_scan", "_selected_action": [alert.pk]},
        follow=True,
    )
    assert any("Idle scan" in str(m) for m in get_messages(response.wsgi_request))


def test_other_courts_funds_are_not_listed(court_b, ledger_records):
    outsider = UserFactory(username="b_fin", court=court_b, roles=[Role.FINANCE], is_staff=True)
    client = Client()
    client.force_login(outsider)
    page = client.get(_url(Payout, "changelist")).content.decode()
    assert ledger_records.case.number not in page
    assert client.get(_url(Posting, "changelist")).status_code == 200

"""Admin of property investigation and control: every changelist renders, the records the
services write are read-only, freezes are renewed and released by actions calling the
services, and the rotation form saves through ``services.set_rotation``."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtexec.roles import Role
from debtors import rules, services
from debtors.models import (
    Deduction,
    Finding,
    Freeze,
    FreezeRenewal,
    InvestigationRequest,
    InvestigatorRotation,
    RenewalReminder,
    RotationMember,
    Search,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEBTORS_MODELS = sorted(
    (m for m in apps.get_app_config("debtors").get_models() if not m.__name__.startswith("Hist")),
    key=lambda m: m.__name__,
)
READ_ONLY = [Search, Finding, Deduction, Freeze, FreezeRenewal, RenewalReminder,
             InvestigationRequest, RotationMember]  # fmt: skip


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(court_a):
    return UserFactory(
        username="a_admin", court=court_a, roles=[Role.SYSADMIN], is_staff=True, is_superuser=True
    )


def login(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(superuser) -> Client:
    return login(superuser)


@pytest.fixture
def records(case, judge, bank_finding, staff):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    services.renew_freeze(freeze=freeze, user=judge)
    services.deduct(freeze=freeze, amount=100, user=judge)
    freeze.refresh_from_db()
    services.raise_renewal_reminders(today=freeze.to_date)
    _listing(case, judge, staff[Role.PRESIDENT])
    services.submit_tip(court=case.court, debtor_name="杭州某某贸易有限公司", details="一辆宝马车")
    _research(case.court, judge)
    return freeze


def _research(court, judge) -> None:
    """A 终本 case whose first re-search after termination the daily job opened."""
    import datetime as dt

    from enforcement.models import Party
    from tests.debtors.test_research import terminate
    from tests.enforcement.fixtures import file_case

    applicant, respondent = (Party.objects.get(name=n) for n in ("张三", "杭州某某贸易有限公司"))
    other = file_case(court, judge, applicant, respondent, instrument_number="(2016)浙0103民初9号")
    terminate(other, judge)
    services.run_researches(today=dt.date(2017, 2, 1))


def _listing(case, judge, president) -> None:
    """One published entry with an extension, a correction, an exemption and a deletion task."""
    decided = timezone.localdate()
    entry = services.propose_listing(
        case=case, respondent=case.parties.get(role="respondent"),
        grounds=[rules.Ground.OBSTRUCTS, rules.Ground.EVADES], facts="转移财产规避执行",
        decision_number="(2026)浙0103执100号之一", decided_on=decided, user=judge,
    )  # fmt: skip
    services.approve_listing(entry=entry, user=president)
    entry = services.publish_listing(entry=entry, user=judge)
    services.record_exposure(entry=entry, channel="newspaper", outlet="杭州日报", user=judge)
    services.extend_listing(entry=entry, years=1, reason="暴力抗拒执行", user=president)
    services.request_correction(
        entry=entry, ground=rules.CorrectionGround.INACCURATE, statement="身份证号码有误",
        received_on=decided, user=judge,
    )  # fmt: skip
    services.request_exemption(
        order=entry.restriction_order, item=rules.RestrictedItem.TRAVEL_CLASS, reason="赴外地就医",
        valid_from=decided, valid_to=decided, user=judge,
    )  # fmt: skip
    services.raise_deletion_tasks(today=decided.replace(year=decided.year + 10))


def test_every_debtors_model_is_registered():
    registered = set(admin.site._registry)
    assert [m for m in DEBTORS_MODELS if m not in registered] == []


def test_changelists_and_change_pages_render(admin_client, records):
    for model in DEBTORS_MODELS:
        response = admin_client.get(_url(model, "changelist"))
        assert response.status_code == 200, model.__name__
        obj = model.objects.first()
        assert obj is not None, model.__name__
        assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200, model


def test_read_only_models_have_no_add_change_or_delete(admin_client, records):
    for model in READ_ONLY:
        model_admin = admin.site._registry[model]
        fake = type("Request", (), {})()
        fake.user = UserFactory.build(is_superuser=True, is_staff=True, is_active=True)
        assert not model_admin.has_add_permission(fake), model.__name__
        assert not model_admin.has_delete_permission(fake), model.__name__
        assert not model_admin.has_change_permission(fake), model.__name__
        assert admin_client.get(_url(model, "add")).status_code == 403, model.__name__
        obj = model.objects.first()
        assert admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    before = Finding.objects.values_list("pk", "status", "value")
    finding = Finding.objects.first()
    admin_client.post(_url(Finding, "change", finding.pk), {"status": "released", "value": 1})
    assert list(Finding.objects.values_list("pk", "status", "value")) == list(before)


def test_other_court_sees_no_records(court_b, records):
    chief_b = UserFactory(
        username="b_chief", court=court_b, roles=[Role.BUREAU_CHIEF], is_staff=True
    )
    client = login(chief_b)
    for model in [Freeze, Search, Finding, InvestigatorRotation]:
        response = client.get(_url(model, "changelist"))
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0, model.__name__
    assert client.get(_url(Freeze, "change", records.pk)).status_code in (302, 404)


def test_freeze_actions_call_the_services(staff, records):
    judge = staff[Role.JUDGE]
    judge.is_staff = True
    judge.save()
    client = login(judge)
    before = Freeze.objects.get().to_date
    response = client.post(
        _url(Freeze, "changelist"),
        {"action": "renew", "_selected_action": [records.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Freeze.objects.get().to_date > before
    assert FreezeRenewal.objects.count() == 2
    client.post(_url(Freeze, "changelist"), {"action": "release", "_selected_action": [records.pk]})
    assert Freeze.objects.get().released_on is not None
    again = client.post(
        _url(Freeze, "changelist"),
        {"action": "release", "_selected_action": [records.pk]},
        follow=True,
    )
    assert any("already released" in str(m) for m in get_messages(again.wsgi_request))


def test_rotation_form_saves_through_the_service(staff, investigators, rotation):
    chief = staff[Role.BUREAU_CHIEF]
    chief.is_staff = True
    chief.save()
    client = login(chief)
    url = _url(InvestigatorRotation, "change", rotation.pk)
    page = client.get(url)
    assert page.status_code == 200
    usernames = [u.username for u in investigators]
    assert ", ".join(usernames) in page.content.decode()

    body = {
        "period_days": 14,
        "start_date": "2026-04-06",
        "members": ", ".join(reversed(usernames)),
        "members-TOTAL_FORMS": 0,
        "members-INITIAL_FORMS": 0,
    }
    saved = client.post(url, body)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    rotation.refresh_from_db()
    assert rotation.period_days == 14
    assert [m.user for m in rotation.members.order_by("position")] == list(reversed(investigators))

    refused = client.post(url, {**body, "members": f"{usernames[0]}, {staff[Role.JUDGE].username}"})
    assert refused.status_code == 200
    assert "investigation group" in refused.content.decode()
    unknown = client.post(url, {**body, "members": "nobody"})
    assert unknown.status_code == 200
    assert "Unknown users: nobody" in unknown.content.decode()
    assert [m.user for m in rotation.members.order_by("position")] == list(reversed(investigators))
    assert client.post(_url(InvestigatorRotation, "delete", rotation.pk)).status_code == 403


def test_a_court_rotation_is_added_through_the_service(admin_client, court_b):
    first = UserFactory(username="b_inv_1", court=court_b, roles=[Role.INVESTIGATOR])
    second = UserFactory(username="b_inv_2", court=court_b, roles=[Role.INVESTIGATOR])
    body = {
        "court": court_b.pk,
        "period_days": 7,
        "start_date": "2026-03-02",
        "members": "b_inv_2，b_inv_1",
        "members-TOTAL_FORMS": 0,
        "members-INITIAL_FORMS": 0,
    }
    added = admin_client.post(_url(InvestigatorRotation, "add"), body)
    assert added.status_code == 302, added.context["errors"]
    rotation = InvestigatorRotation.objects.get(court=court_b)
    assert [m.user for m in rotation.members.order_by("position")] == [second, first]
    assert rotation.history.exists()

    zero = admin_client.post(_url(InvestigatorRotation, "add"), {**body, "period_days": 0})
    assert zero.status_code == 200
    assert InvestigatorRotation.objects.filter(court=court_b).count() == 1

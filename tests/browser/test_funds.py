"""A judge proposes a payout from a case's funds tab on a phone (Chromium, zh-CN)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from casefunds import services as funds
from casefunds.models import Account, Channel, Payout
from courtexec.roles import Role
from enforcement import services
from enforcement.models import Party
from tests.browser.test_cases import log_in
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID, file_case
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def funded_case():
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    judge = UserFactory(username="xc_judge", display_name="王法官", court=court, roles=[Role.JUDGE])
    applicant = services.register_party(
        court=court, kind=Party.Kind.PERSON, name="张三", id_number=PERSON_ID
    )
    respondent = services.register_party(
        court=court, kind=Party.Kind.ORGANISATION, name="杭州某某贸易有限公司",
        id_number=CREDIT_CODE, legal_representative="李四",
    )  # fmt: skip
    case = file_case(court, judge, applicant, respondent)
    account = Account.objects.get(case=case, kind=Account.Kind.CASE)
    channel = Channel.objects.create(court=court, kind="bank", code="icbc", name="工行", secret="s")
    funds.receive_payment(
        channel=channel,
        notice=funds.Notice(
            reference="B-1", virtual_account=account.virtual_number, amount=800_000,
            payer_name="杭州某某贸易有限公司", payer_account="", paid_at=timezone.now(),
        ),
    )  # fmt: skip
    return judge, case, account


def test_judge_proposes_a_payout_on_a_phone(phone_page, live_server, funded_case):
    judge, case, account = funded_case
    base = live_server.url
    phone = phone_page
    log_in(phone, base, judge.username)
    phone.goto(f"{base}/cases/{case.pk}/?tab=funds#funds")
    assert phone.get_by_test_id("pane-funds").is_visible()
    form = phone.get_by_test_id("payout-form")
    form.wait_for()  # fetched by htmx when the tab shows
    grouped = phone.get_by_test_id("virtual-number").first.inner_text()
    assert grouped.replace(" ", "") == account.virtual_number
    form.locator("summary").click()
    phone.select_option("#id_payout-source", str(account.pk))
    phone.select_option("#id_payout-payee_party", index=1)
    phone.fill("#id_payout-amount", "3000")
    phone.fill("#id_payout-purpose", "执行款发放")
    submit = form.locator("button[type=submit]")
    assert submit.bounding_box()["width"] > 300  # full width on a 390 px screen
    submit.click()
    phone.wait_for_url(re.compile(rf"/cases/{case.pk}/\?tab=funds#funds$"))
    assert phone.locator(".alert-success").is_visible()  # the service's success message
    payout = Payout.objects.get()
    assert payout.amount == 300_000 and payout.status == Payout.Status.DRAFT
    phone.get_by_test_id(f"payout-{payout.pk}").wait_for()
    badge = phone.get_by_test_id(f"payout-{payout.pk}").locator("[data-status]")
    assert badge.get_attribute("data-status") == "draft"

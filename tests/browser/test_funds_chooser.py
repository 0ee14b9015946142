"""Finance assigns suspense money by picking the sub-account from search-as-you-type results."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casefunds import services as funds
from casefunds.models import Account, Channel, Deposit
from courtexec.roles import Role
from enforcement import services
from enforcement.models import Party
from tests.browser.test_cases import log_in
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID, file_case
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_picks_the_sub_account_from_the_chooser(page, live_server):
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    judge = UserFactory(username="ch_judge", court=court, roles=[Role.JUDGE])
    finance = UserFactory(username="ch_finance", court=court, roles=[Role.FINANCE])
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
    stray, _created = funds.receive_payment(
        channel=channel,
        notice=funds.Notice(
            reference="S-1", virtual_account="", amount=12_300, payer_name="某某",
            payer_account="", paid_at=timezone.now(),
        ),
    )  # fmt: skip

    base = live_server.url
    log_in(page, base, finance.username)
    page.goto(f"{base}/funds/")
    form = page.get_by_test_id("assign-form")
    form.locator("summary").click()
    field = page.locator(f"#id_assign-{stray.pk}-target")
    field.press_sequentially("某某贸易", delay=30)
    choice = page.get_by_test_id("account-choice").first
    choice.wait_for()
    choice.click()
    assert field.input_value() == account.virtual_number
    assert page.get_by_test_id("account-choice").count() == 0  # the list closes
    page.fill(f"#id_assign-{stray.pk}-reason", "付款人来电确认")
    form.locator("button[type=submit]").click()
    page.locator(".alert-success").wait_for()
    stray.refresh_from_db()
    assert stray.status == Deposit.Status.ASSIGNED and stray.account_id == account.pk

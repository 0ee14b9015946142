"""A judge works a case's property tab on a phone, and the expiring board filters with htmx
(Chromium, zh-CN)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtexec.roles import Role
from debtors import services as debtors
from debtors.models import AssetClass, Freeze, InvestigationRequest
from enforcement import services
from enforcement.models import CaseParty, Party
from tests.browser.test_cases import log_in
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID, file_case
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def court_case():
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    judge = UserFactory(username="xc_judge", display_name="王法官", court=court, roles=[Role.JUDGE])
    investigator = UserFactory(
        username="xc_inv", display_name="查控员", court=court, roles=[Role.INVESTIGATOR]
    )
    applicant = services.register_party(
        court=court, kind=Party.Kind.PERSON, name="张三", id_number=PERSON_ID
    )
    respondent = services.register_party(
        court=court, kind=Party.Kind.ORGANISATION, name="杭州某某贸易有限公司",
        id_number=CREDIT_CODE, legal_representative="李四",
    )  # fmt: skip
    return judge, investigator, file_case(court, judge, applicant, respondent)


def test_judge_requests_a_search_and_freezes_on_a_phone(phone_page, live_server, court_case):
    judge, investigator, case = court_case
    base = live_server.url
    phone = phone_page
    log_in(phone, base, judge.username)
    phone.goto(f"{base}/cases/{case.pk}/?tab=property#property")
    form = phone.get_by_test_id("request-form")
    form.wait_for()  # fetched by htmx when the tab shows
    form.locator("summary").click()
    phone.check(f"input[name='investigation-asset_classes'][value='{AssetClass.VEHICLE}']")
    form.get_by_role("button").click()
    phone.get_by_test_id("requests").wait_for()
    request = InvestigationRequest.objects.get()
    assert request.asset_classes == [AssetClass.BANK_DEPOSIT, AssetClass.VEHICLE]
    assert phone.url.endswith("#property")

    # The group searches; the judge freezes what it found, from the same tab.
    debtors.perform_searches(request=request, user=investigator)
    phone.reload()
    freeze_form = phone.get_by_test_id("freeze-form").first
    freeze_form.wait_for()
    freeze_form.locator("summary").click()
    freeze_form.get_by_role("button").click()
    phone.get_by_test_id("freezes").wait_for()
    assert Freeze.objects.filter(case=case).count() == 1


def test_expiring_board_filters_in_place(page, live_server, court_case):
    judge, investigator, case = court_case
    respondent = case.parties.get(role=CaseParty.Role.RESPONDENT)
    request = debtors.request_investigation(
        case=case, respondent=respondent, asset_classes=[AssetClass.BANK_DEPOSIT], user=judge
    )
    debtors.perform_searches(request=request, user=investigator)
    finding = request.searches.get().findings.first()
    freeze = debtors.freeze(
        finding=finding,
        case=case,
        user=judge,
        from_date=timezone.localdate() - dt.timedelta(days=360),
    )
    base = live_server.url
    log_in(page, base, judge.username)
    page.goto(f"{base}/debtors/freezes/expiring/")
    row = page.get_by_test_id(f"expiring-{freeze.pk}")
    row.wait_for()
    page.select_option("#id_kind", Freeze.Kind.SEIZURE)
    page.get_by_test_id("empty").wait_for()  # swapped by htmx, no reload
    assert "kind=seizure" in page.url
    page.select_option("#id_kind", "")
    row.wait_for()

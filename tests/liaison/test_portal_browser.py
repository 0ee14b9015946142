"""In Chromium on a phone: a respondent asks for a code, reads it from the sandbox SMS outbox,
signs in, opens its case and sees its judge, its virtual account and a served document."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from courtexec.channels.sms import sandbox_phone
from courtexec.notifications import relay_deliveries
from courtexec.roles import Role
from enforcement import services as case_services
from enforcement.liaison import services
from enforcement.liaison.models import ServedDocument
from enforcement.models import Party
from tests.browser import conftest as browser_fixtures
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID, file_case
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

browser = browser_fixtures.browser
phone_page = browser_fixtures.phone_page
RESPONDENT_PHONE = "13900000002"


@pytest.fixture
def served_case(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    judge = UserFactory(username="xc_judge", display_name="王法官", court=court, roles=[Role.JUDGE])
    applicant = case_services.register_party(
        court=court, kind=Party.Kind.PERSON, name="张三", id_number=PERSON_ID, phone="13900000001"
    )
    respondent = case_services.register_party(
        court=court, kind=Party.Kind.ORGANISATION, name="杭州某某贸易有限公司",
        id_number=CREDIT_CODE, legal_representative="李四", phone=RESPONDENT_PHONE,
    )  # fmt: skip
    case = file_case(court, judge, applicant, respondent)
    services.serve_document(
        user=judge,
        case=case,
        party=respondent,
        kind=ServedDocument.Kind.EXECUTION_NOTICE,
        title="执行通知书",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="notice.pdf"),
    )
    return case


def test_a_respondent_signs_in_with_a_code_and_sees_its_case(phone_page, live_server, served_case):
    page = phone_page
    page.goto(f"{live_server.url}/liaison/portal/login/")
    page.fill("#id_phone", RESPONDENT_PHONE)
    page.get_by_test_id("portal-phone-form").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/liaison/portal/login/code/$"))
    relay_deliveries()  # the worker's part: the sandbox gateway texts the phone
    text = sandbox_phone(RESPONDENT_PHONE)[-1]
    page.fill("#id_code", re.search(r"(?<![0-9])[0-9]{6}(?![0-9])", text).group(0))
    page.get_by_test_id("portal-code-form").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/liaison/portal/$"))

    card = page.get_by_test_id("portal-case")
    assert served_case.number in card.inner_text() and "王法官" in card.inner_text()
    card.click()
    page.wait_for_url(re.compile(rf"/liaison/portal/cases/{served_case.pk}/$"))
    assert page.get_by_test_id("portal-judge").inner_text() == "王法官"
    assert re.fullmatch(r"[\d ]+", page.get_by_test_id("portal-virtual-number").inner_text())
    assert page.get_by_test_id("portal-document").count() == 1
    # Phone first: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    page.get_by_test_id("portal-notice-link").click()
    page.wait_for_url(re.compile(r"/notice/$"))
    assert page.get_by_test_id("notice-qr").locator("svg").count() == 1

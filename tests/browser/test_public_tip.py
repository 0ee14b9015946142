"""A member of the public, not signed in, sends a tip from a phone and sees its reference."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from courtexec.models import Notification
from courtexec.roles import Role
from debtors.models import Tip
from enforcement import services
from enforcement.models import Party
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID, file_case
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_case(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBTORS_TIP_MIN_FILL_SECONDS = 1  # the real default (5 s) would only slow the test
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    judge = UserFactory(username="xc_judge", display_name="王法官", court=court, roles=[Role.JUDGE])
    applicant = services.register_party(
        court=court, kind=Party.Kind.PERSON, name="张三", id_number=PERSON_ID
    )
    respondent = services.register_party(
        court=court, kind=Party.Kind.ORGANISATION, name="杭州某某贸易有限公司",
        id_number=CREDIT_CODE, legal_representative="李四",
    )  # fmt: skip
    return judge, file_case(court, judge, applicant, respondent)


def test_a_member_of_the_public_sends_a_tip_from_a_phone(phone_page, live_server, open_case):
    judge, case = open_case
    page = phone_page
    page.goto(f"{live_server.url}/public/tips/")
    assert page.get_by_test_id("tip-form").is_visible()
    assert "0571-85190000" in page.locator("footer").inner_text()
    assert not page.locator("#id_website").is_visible()  # the honeypot stays out of sight
    page.fill("#id_debtor_name", "杭州某某贸易有限公司")
    page.fill("#id_debtor_id_number", CREDIT_CODE)
    page.fill("#id_details", "公司老板每天开一辆白色宝马车，车牌浙A12345")
    page.fill("#id_location", "杭州市下城区某某路8号地下车库")
    page.fill("#id_contact_phone", "13800138000")
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(photo, "JPEG")
    page.set_input_files(
        "#id_photo",
        files=[{"name": "car.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}],
    )
    page.wait_for_timeout(1100)  # a person takes longer than the configured minimum
    page.get_by_test_id("tip-submit").click()
    page.wait_for_url(re.compile(r"/public/tips/received/$"))
    reference = page.get_by_test_id("tip-reference").inner_text()
    tip = Tip.objects.get()
    assert reference == tip.reference and re.fullmatch(r"JB\d{6}-[2-9A-Z]{6}", reference)
    assert (tip.status, tip.case_id, tip.judge_id) == (Tip.Status.ROUTED, case.pk, judge.pk)
    assert tip.photo.name.startswith("tips/")
    assert Notification.objects.filter(recipient=judge, kind="tip").exists()
    # The page fits a phone: nothing wider than the screen.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('*')]
        .filter(e => e.getBoundingClientRect().right > 391)
        .map(e => e.tagName + '.' + e.className)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide

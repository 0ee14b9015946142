"""A judge files a case in Chromium, records a field action from a phone, and closes the case.

Pages are in the browser's language (zh-CN), so the steps find elements by id and test id,
never by their wording.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image

from courtexec.roles import Role
from enforcement import services
from enforcement.models import CaseParty, EnforcementCase, FieldAction, Party
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID, PERSON_ID_2
from tests.factories import PASSWORD, CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def judge(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    return UserFactory(username="xc_judge", display_name="王法官", court=court, roles=[Role.JUDGE])


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (32, 24), (155, 28, 28)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_judge_files_records_field_work_on_a_phone_and_closes(page, phone_page, live_server, judge):
    base = live_server.url
    # 1. File the case on the desktop, from the nav's Cases link.
    log_in(page, base, judge.username)
    page.click("nav a.nav-link[href='/cases/']")
    page.wait_for_url(f"{base}/cases/")
    page.get_by_test_id("new-case").click()
    page.wait_for_url(f"{base}/cases/new/")
    page.select_option("#id_case-category", "financial")
    page.fill("#id_case-issuing_body", "杭州市下城区人民法院")
    page.fill("#id_case-instrument_number", "(2024)浙0103民初88号")
    page.fill("#id_case-instrument_effective_on", "2024-03-01")
    page.fill("#id_case-amount_to_enforce", "250000")
    page.check("#id_applicant-kind_0")
    page.fill("#id_applicant-id_number", PERSON_ID)
    page.fill("#id_applicant-name", "张三")
    page.fill("#id_applicant-payee_bank", "中国工商银行杭州分行")
    page.fill("#id_applicant-payee_account_number", "6222020202020202020")
    page.check("#id_respondent-kind_1")
    page.fill("#id_respondent-id_number", CREDIT_CODE)
    page.fill("#id_respondent-name", "杭州某某贸易有限公司")
    page.fill("#id_respondent-legal_representative", "李四")
    page.click("[data-testid=case-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = EnforcementCase.objects.get()
    number = f"({timezone.localdate().year})浙0103执1号"
    assert case.number == number
    assert page.get_by_test_id("case-number").inner_text() == number
    assert number in page.locator(".alert-success").inner_text()  # the success message
    assert page.get_by_test_id("case-status").get_attribute("data-status") == "filed"

    # 2. Record a field action on the phone, with its position and a photo from the camera.
    phone = phone_page
    phone.context.grant_permissions(["geolocation"], origin=base)
    phone.context.set_geolocation({"latitude": 30.281234, "longitude": 120.171234})
    log_in(phone, base, judge.username)
    phone.goto(f"{base}/cases/{case.pk}/field/new/")
    assert phone.locator("#id_photos").get_attribute("capture") == "environment"
    phone.select_option("#id_kind", "seizure")
    phone.fill("#id_place", "杭州市下城区某路1号")
    phone.click("#use-location")
    phone.wait_for_function("document.getElementById('id_latitude').value !== ''")
    assert phone.input_value("#id_latitude") == "30.281234"
    assert phone.input_value("#id_longitude") == "120.171234"
    phone.fill("#id_participants", "王法官、周法警")
    phone.fill("#id_notes", "查封车辆一辆")
    phone.set_input_files(
        "#id_photos",
        files=[{"name": "seizure.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    submit = phone.locator("[data-testid=field-action-form] button[type=submit]")
    assert submit.bounding_box()["width"] > 300  # a full-width button on a 390 px screen
    submit.click()
    phone.wait_for_url(re.compile(rf"/cases/{case.pk}/#field$"))
    assert phone.get_by_test_id("pane-field").is_visible()  # the tab named in the hash opened
    assert phone.get_by_test_id("field-photo").count() == 1
    action = FieldAction.objects.get()
    assert action.kind == "seizure" and action.latitude == Decimal("30.281234")
    assert action.photos.count() == 1

    # 3. Back on the desktop: 终本 is refused with its unmet conditions; the full amount is
    # performed and the case concluded as 执行完毕.
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("[data-testid=close-form] summary")
    page.select_option("#id_close-mode", "terminated_for_now")
    page.fill("#id_close-reason", "无可供执行财产")
    page.click("[data-testid=close-form] button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator("[data-testid=close-form] .invalid-feedback")
    assert errors.count() >= 4  # one line per unmet condition, the form left open
    assert page.get_by_test_id("case-status").get_attribute("data-status") == "filed"

    page.goto(f"{base}/cases/{case.pk}/")
    page.click("[data-testid=performance-form] summary")
    page.fill("#id_performance-amount", "250000")
    page.fill("#id_performance-note", "被执行人直接支付申请人")
    page.click("[data-testid=performance-form] button[type=submit]")
    page.wait_for_url(re.compile(r"#overview$"))
    page.click("[data-testid=close-form] summary")
    page.select_option("#id_close-mode", "performed")
    page.fill("#id_close-reason", "已全部履行")
    page.click("[data-testid=close-form] button[type=submit]")
    page.wait_for_url(re.compile(r"#overview$"))
    status = page.get_by_test_id("case-status")
    assert status.get_attribute("data-status") == "concluded"
    assert status.inner_text() == "已结案"  # the zh-hans label of Status.CONCLUDED
    assert page.get_by_test_id("closure-mode").is_visible()
    assert page.get_by_test_id("resume-form").is_visible()
    case.refresh_from_db()
    assert case.closure_mode == EnforcementCase.ClosureMode.PERFORMED


def test_live_search_and_export_link(page, live_server, judge):
    court = judge.court
    applicant = services.register_party(
        court=court, kind=Party.Kind.PERSON, name="张三", id_number=PERSON_ID
    )
    respondents = [
        services.register_party(
            court=court, kind=Party.Kind.PERSON, name="王五", id_number=PERSON_ID_2
        ),
        services.register_party(
            court=court, kind=Party.Kind.ORGANISATION, name="某某公司", id_number=CREDIT_CODE
        ),
    ]
    for respondent in respondents:
        services.file_case(
            court=court,
            user=judge,
            type_code="执",
            category="financial",
            issuing_body="杭州市下城区人民法院",
            instrument_number="(2016)浙0103民初1号",
            instrument_effective_on=dt.date(2016, 3, 1),
            instrument_kind="litigation",
            amount_to_enforce=Decimal("1000"),
            filed_on=timezone.localdate(),
            judge=judge,
            parties=[
                services.PartyRole(
                    party=applicant,
                    role=CaseParty.Role.APPLICANT,
                    payee_bank="工行",
                    payee_account_number="6222000011112222",
                ),
                services.PartyRole(party=respondent, role=CaseParty.Role.RESPONDENT),
            ],
        )
    base = live_server.url
    log_in(page, base, judge.username)
    page.goto(f"{base}/cases/")
    rows = page.locator("[data-testid=case-table] tbody tr")
    assert rows.count() == 2
    page.fill("#id_q", "王五")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=case-table] tbody tr').length === 1"
    )
    assert "q=" in page.url  # the search is in the address, so it survives a reload
    assert "deadline=" not in page.url  # empty filters are left out
    assert "王五" in rows.first.inner_text()
    assert "format=xlsx" in page.get_by_test_id("export-xlsx").get_attribute("href")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")

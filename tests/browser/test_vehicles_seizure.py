"""An officer records a seizure in the field from a phone: the seize form with the camera input
and the damage checklist, a photo attached, and the chain of custody showing it afterwards."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import PASSWORD
from tests.vehicles.lifecycle_fixtures import png_bytes
from vehicles.models import Impound, Vehicle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_seizes_a_vehicle_with_a_photo_on_a_phone(
    phone_page, live_server, judge, respondent, case
):
    vehicle = Vehicle.objects.create(
        court=case.court, plate="浙A12345", owner=respondent, registered_by=judge
    )
    page = phone_page
    assert page.viewport_size["width"] <= 414
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", judge.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{vehicle.get_absolute_url()}")
    page.get_by_test_id("seize-link").click()
    form = page.get_by_test_id("seize-form")
    form.locator("#id_case").select_option(str(case.pk))
    form.locator("#id_decision_number").fill("(2026)浙0103执100号之一")
    form.locator("#id_place").fill("杭州市某小区地下车库")
    form.locator("#id_holder_name").fill("张三")
    form.locator("label[for=id_damage_0]").click()  # front bumper, a big toggle
    form.locator("label[for=id_documents_received_0]").click()
    photos = form.locator("#id_photos")
    assert photos.get_attribute("capture") == "environment"
    photos.set_input_files(
        [{"name": "front.png", "mimeType": "image/png", "buffer": png_bytes("blue", (64, 48))}]
    )
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{vehicle.get_absolute_url()}")
    panel = page.get_by_test_id("custody-panel")
    with translation.override("zh-hans"):
        seized = str(Impound.State.SEIZED.label)
    assert panel.get_by_test_id("impound-state").inner_text().strip() == seized
    assert Impound.objects.get(vehicle=vehicle).events.get().photos.count() == 1
    thumbnail = panel.get_by_test_id("custody-photo").first
    thumbnail.wait_for()
    page.wait_for_function(
        "document.querySelector('[data-testid=custody-photo]').naturalWidth === 64"
    )
    assert "张三" in panel.get_by_test_id("custody-timeline").inner_text()

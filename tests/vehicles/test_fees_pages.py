"""Custody pages: the overview with occupancy, the statement (page, Excel) and posting from it,
invoices issued once, the stock check form, the vehicle-page fees panel, custodian scoping."""

from __future__ import annotations

import io

import openpyxl
import pytest
import time_machine
from django.test import Client

from courtexec.roles import Role
from tests.vehicles.conftest import local
from tests.vehicles.fee_fixtures import kept
from vehicles.models import CustodyInvoice, FeePosting, StockCheck

pytest_plugins = ["tests.vehicles.fee_fixtures"]
pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_overview_shows_occupancy_and_chart(released, judge, lot, custodian_user):
    page = browser(judge).get("/vehicles/custody/")
    assert page.status_code == 200
    assert b"lot-chart-data" in page.content and b"Never checked" in page.content
    assert page.context["chart"]["occupancy"] == [0]
    assert browser(custodian_user).get("/vehicles/custody/").status_code == 403


def test_statement_page_excel_and_posting(released, judge):
    with time_machine.travel(local(2026, 4, 2, 9), tick=False):
        page = browser(judge).get(f"/vehicles/statements/{released.pk}/")
        assert b"2,200.00" in page.content
        excel = browser(judge).get(f"/vehicles/statements/{released.pk}/?format=xlsx")
        assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "filename*=utf-8''" in excel["Content-Disposition"]  # a Chinese file name
        sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
        total = sheet.cell(row=sheet.max_row, column=6)
        assert (total.value, total.number_format) == (2200, "#,##0.00")
        assert sheet.cell(row=1, column=1).font.bold
        posted = browser(judge).post(
            f"/vehicles/statements/{released.pk}/post/", {"through": "2026-01-31"}
        )
        assert posted.status_code == 302
        wrong = browser(judge).post(
            f"/vehicles/statements/{released.pk}/post/", {"through": "2026-01-15"}
        )
        assert wrong.status_code == 400 and b"already" in wrong.content
        panel = browser(judge).get(released.vehicle.get_absolute_url())
    assert FeePosting.objects.get().amount == 40000
    assert b"fees-panel" in panel.content and b"400.00" in panel.content


def test_invoice_pages_once_a_month(released, custodian, staff, custodian_user):
    chief = staff[Role.BUREAU_CHIEF]
    with time_machine.travel(local(2026, 4, 2, 9), tick=False):
        made = browser(chief).post(
            "/vehicles/invoices/", {"custodian": custodian.pk, "month": "2026-02-01"}
        )
        again = browser(chief).post(
            "/vehicles/invoices/", {"custodian": custodian.pk, "month": "2026-02-01"}
        )
    invoice = CustodyInvoice.objects.get()
    assert made.status_code == 302 and again.status_code == 409
    assert browser(custodian_user).get(f"/vehicles/invoices/{invoice.pk}/").status_code == 200
    excel = browser(custodian_user).get(f"/vehicles/invoices/{invoice.pk}/?format=xlsx")
    assert excel.status_code == 200


def test_stock_check_page_records_a_count(
    lot, custodian_user, vehicle, case, judge, custodian, agreements
):
    impound = kept(vehicle, case, judge, custodian, lot, towed=local(2026, 2, 5, 9),
                   intake=local(2026, 2, 5, 10))  # fmt: skip
    page = browser(custodian_user).get(f"/vehicles/lots/{lot.pk}/stock-check/")
    assert page.status_code == 200 and b"No stock check yet" in page.content
    assert f'name="present_{impound.pk}"'.encode() in page.content
    with time_machine.travel(local(2026, 2, 10, 12), tick=False):
        done = browser(custodian_user).post(
            f"/vehicles/lots/{lot.pk}/stock-check/",
            {"checked_at": "2026-02-10T10:00", f"present_{impound.pk}": "on",
             "unexpected_plates": "浙A99999\n", "notes": ""},
        )  # fmt: skip
    assert done.status_code == 302
    check = StockCheck.objects.get()
    assert (check.expected, check.counted, check.unexpected_plates) == (1, 2, ["浙A99999"])
    history = browser(custodian_user).get(f"/vehicles/lots/{lot.pk}/stock-check/")
    assert b"table-danger" in history.content

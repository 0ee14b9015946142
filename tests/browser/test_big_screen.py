"""The public big screen (曝光大屏) in Chromium: more published debtors than fit one page, so it
turns to the next page by itself; the hotline is shown; new listings appear without a reload."""

from __future__ import annotations

import pytest
import time_machine

from courtexec.roles import Role
from debtors import services
from enforcement import services as enforcement
from enforcement.models import Party
from tests.debtors.listing import NOW, publish
from tests.enforcement.fixtures import file_case
from tests.factories import CourtFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOTLINE = "0571-87654321"


def _publish_debtors(count: int):
    court = CourtFactory(code="浙0103", name="杭州市下城区人民法院")
    judge = UserFactory(username="xc_judge", court=court, roles=[Role.JUDGE])
    president = UserFactory(username="xc_president", court=court, roles=[Role.PRESIDENT])
    applicant = enforcement.register_party(
        court=court, kind=Party.Kind.ORGANISATION, name="某银行杭州分行"
    )
    entries = []
    with time_machine.travel(NOW, tick=False):
        for n in range(count):
            debtor = enforcement.register_party(
                court=court,
                kind=Party.Kind.ORGANISATION,
                name=f"杭州某某{n:02d}贸易有限公司",
                legal_representative=f"法人{n:02d}",
            )
            case = file_case(
                court, judge, applicant, debtor, instrument_number=f"(2016)浙0103民初{500 + n}号"
            )
            entries.append(publish(case, judge, president))
    return court, judge, entries


def test_big_screen_rotates_pages_and_shows_the_hotline(page, live_server, settings):
    settings.DEBTORS_TIP_HOTLINE = HOTLINE
    court, _judge, _entries = _publish_debtors(5)
    page.goto(f"{live_server.url}/public/big-screen/?court={court.code}&per_page=2&interval=1")
    screen = page.get_by_test_id("big-screen")
    assert HOTLINE in page.get_by_test_id("hotline").inner_text()
    rows = page.get_by_test_id("debtor-row")
    assert rows.count() == 2
    first_page = rows.all_inner_texts()
    assert page.get_by_test_id("page-indicator").inner_text() == "1 / 3"
    # Without any click the screen turns to page 2, with other debtors.
    page.wait_for_function("document.getElementById('big-screen').dataset.page === '2'")
    assert page.get_by_test_id("page-indicator").inner_text() == "2 / 3"
    assert rows.all_inner_texts() != first_page
    assert screen.is_visible()
    # …and then to page 3 (one debtor) and round to page 1.
    page.wait_for_function("document.getElementById('big-screen').dataset.page === '3'")
    assert rows.count() == 1
    page.wait_for_function("document.getElementById('big-screen').dataset.page === '1'")


def test_big_screen_refreshes_its_data_and_has_an_empty_state(page, live_server):
    _court, judge, entries = _publish_debtors(1)
    page.goto(f"{live_server.url}/public/big-screen/?per_page=5&interval=60&refresh=2")
    assert page.get_by_test_id("debtor-row").count() == 1
    assert not page.get_by_test_id("empty").is_visible()
    with time_machine.travel(NOW, tick=False):
        services.delete_listing(
            entry=entries[0], ground="period_expired", arose_on=NOW.date(), user=judge
        )
    # The deleted debtor vanishes at the next refresh, without a reload; the empty state shows.
    page.get_by_test_id("empty").wait_for(state="visible")
    assert page.get_by_test_id("debtor-row").count() == 0

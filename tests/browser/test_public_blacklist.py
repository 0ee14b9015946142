"""A member of the public, not signed in, searches the dishonest-debtor list on a phone."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from debtors.models import BlacklistEntry
from enforcement.models import Party

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_searches_the_blacklist_on_a_phone(phone_page, live_server):
    call_command("seed_public_blacklist", count=30, no_progress=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    person = (
        BlacklistEntry.objects.filter(respondent__party__kind=Party.Kind.PERSON)
        .select_related("respondent__party")
        .order_by("pk")
        .first()
        .respondent.party
    )
    page = phone_page
    page.goto(f"{live_server.url}/public/blacklist/")
    assert "/accounts/login/" not in page.url  # no sign-in
    # Too short: the field message comes back in place (a 400 partial).
    page.fill("#id_q", "王")
    page.get_by_test_id("search-button").click()
    page.get_by_test_id("search-error").wait_for()

    # By ID number: one masked result; the full number and birth date appear nowhere.
    page.fill("#id_q", person.id_number)
    page.get_by_test_id("search-button").click()
    result = page.get_by_test_id("result").first
    result.wait_for()
    assert page.get_by_test_id("result").count() == 1
    assert person.name in result.inner_text()
    masked = page.get_by_test_id("id-number").first.inner_text()
    assert masked == person.id_number[:4] + "*" * 10 + person.id_number[-4:]
    html = page.content()
    assert person.id_number not in html.replace(f'value="{person.id_number}"', "")
    assert person.birth_date.strftime("%Y%m%d") not in page.locator("#results").inner_html()

    # By name: the same person among the results, still masked.
    page.fill("#id_q", person.name)
    page.get_by_test_id("search-button").click()
    page.get_by_test_id("result-count").wait_for()
    assert masked in page.locator("#results").inner_text()
    assert person.id_number not in page.locator("#results").inner_html()
    # Phone-sized: nothing wider than the screen.
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide

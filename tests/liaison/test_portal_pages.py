"""What a party sees on the portal, pages and API alike: its own cases with status, deadline and
judge; the money on the case (totals and its own movements only); documents served on it; a
respondent's virtual account and payment notice. Nothing of another party's case, by any URL."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from casefunds.models import Account, Channel
from courtexec.roles import Role
from enforcement.liaison import services
from enforcement.liaison.models import ServedDocument
from enforcement.models import CaseParty
from tests.casefunds.conftest import deposit
from tests.casefunds.flows import pay
from tests.liaison.conftest import signed_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a served document\n%%EOF\n"


def serve(case, party, judge, title="执行通知书") -> ServedDocument:
    return services.serve_document(
        user=judge,
        case=case,
        party=party,
        kind=ServedDocument.Kind.EXECUTION_NOTICE,
        title=title,
        file=ContentFile(PDF, name="notice.pdf"),
    )


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_my_cases_lists_only_mine(case, other_case, applicant_client, other_account):
    page = english(applicant_client).get(reverse("liaison:portal-home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert case.number in html and other_case.number not in html
    assert str(case.judge) in html and "Applicant" in html and case.court.name in html
    api = applicant_client.get("/api/v1/liaison/portal/cases/").json()
    assert [row["number"] for row in api] == [case.number]
    row = api[0]
    assert row["judge"] == str(case.judge) and row["my_roles"] == ["Applicant"]
    assert row["due_on"] == case.due_on.isoformat() and row["status"] == case.status
    other = english(signed_in(other_account)).get("/api/v1/liaison/portal/cases/").json()
    assert [row["number"] for row in other] == [other_case.number]


def test_a_number_with_no_case_sees_an_empty_state(case):
    from tests.liaison.conftest import make_account

    client = english(signed_in(make_account("13600000000")))
    page = client.get(reverse("liaison:portal-home"))
    assert 'data-testid="portal-empty"' in page.content.decode()


def test_respondent_sees_its_virtual_account_and_notice(case, respondent_client):
    own = Account.objects.get(case=case, payer__role=CaseParty.Role.RESPONDENT)
    page = english(respondent_client).get(reverse("liaison:portal-case", args=[case.pk]))
    html = page.content.decode()
    assert 'data-testid="portal-virtual-number"' in html
    assert own.virtual_number[:4] in html.replace(" ", "")
    notice = respondent_client.get(reverse("liaison:portal-notice", args=[case.pk]))
    assert notice.status_code == 200
    body = notice.content.decode()
    assert f'data-number="{own.virtual_number}"' in body and "<svg" in body
    assert f'href="{reverse("enforcement:case-detail", args=[case.pk])}' not in body  # staff
    detail = respondent_client.get(f"/api/v1/liaison/portal/cases/{case.pk}/").json()
    assert detail["payment_notice"]["virtual_number"] == own.virtual_number
    assert detail["my_roles"] == ["Respondent"]


def test_applicant_has_no_virtual_account_or_notice(case, applicant_client):
    page = applicant_client.get(reverse("liaison:portal-case", args=[case.pk]))
    assert 'data-testid="portal-virtual-number"' not in page.content.decode()
    assert applicant_client.get(reverse("liaison:portal-notice", args=[case.pk])).status_code == 404
    detail = applicant_client.get(f"/api/v1/liaison/portal/cases/{case.pk}/").json()
    assert detail["payment_notice"] is None


@pytest.fixture
def bank(court_a):
    return Channel.objects.create(court=court_a, kind=Channel.Kind.BANK, code="icbc", name="工行")


def test_money_on_the_case(case, judge, staff, bank, applicant_client, respondent_client):
    """Two deposits of 3,000.00 and 1,500.50 on the respondent's sub-account, one payout of
    2,000.00 paid to the applicant: both parties see 4,500.50 received and 2,000.00 paid out;
    the applicant its payout, the respondent what it paid in; nobody a bank account."""
    own = Account.objects.get(case=case, payer__role=CaseParty.Role.RESPONDENT)
    deposit(bank, own, 300000, "REF-1")
    deposit(bank, own, 150050, "REF-2")
    own.refresh_from_db()
    payout = pay(case, judge, staff[Role.BUREAU_CHIEF], staff[Role.FINANCE], own, 200000)
    assert payout.status == "paid"

    applicant_view = applicant_client.get(f"/api/v1/liaison/portal/cases/{case.pk}/").json()
    funds = applicant_view["funds"]
    assert (funds["received"], funds["paid_out"]) == ("4500.50", "2000.00")
    assert [(p["amount"], p["status"]) for p in funds["payouts_to_me"]] == [("2000.00", "paid")]
    assert funds["deposits_by_me"] == [] and funds["paid_in_by_me"] == "0.00"

    respondent_view = respondent_client.get(f"/api/v1/liaison/portal/cases/{case.pk}/").json()
    funds = respondent_view["funds"]
    assert (funds["received"], funds["paid_out"]) == ("4500.50", "2000.00")
    assert funds["payouts_to_me"] == []
    assert funds["paid_in_by_me"] == "4500.50"
    assert sorted(d["amount"] for d in funds["deposits_by_me"]) == ["1500.50", "3000.00"]

    page = english(applicant_client).get(reverse("liaison:portal-case", args=[case.pk]))
    html = page.content.decode()
    assert "4,500.50" in html and "2,000.00" in html
    for secret in (payout.payee_account, "6217000010001234567", own.virtual_number):
        assert secret not in html
        assert secret not in str(applicant_view)


def test_documents_served_on_me_only(case, judge, applicant, respondent, applicant_client):
    mine = serve(case, applicant, judge, "受理通知书")
    theirs = serve(case, respondent, judge, "报告财产令（被执行人）")
    page = applicant_client.get(reverse("liaison:portal-case", args=[case.pk])).content.decode()
    assert mine.title in page and theirs.title not in page
    api = applicant_client.get(f"/api/v1/liaison/portal/cases/{case.pk}/").json()
    assert [d["id"] for d in api["documents"]] == [mine.pk]

    response = applicant_client.get(reverse("liaison:portal-document", args=[mine.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    mine.refresh_from_db()
    first = mine.first_opened_at
    assert first is not None
    api_download = applicant_client.get(f"/api/v1/liaison/portal/documents/{mine.pk}/download/")
    assert api_download.status_code == 200
    mine.refresh_from_db()
    assert mine.first_opened_at == first  # the first opening is kept
    theirs.refresh_from_db()
    assert theirs.first_opened_at is None


def _portal_urls(case, document) -> list[str]:
    return [
        reverse("liaison:portal-case", args=[case.pk]),
        reverse("liaison:portal-notice", args=[case.pk]),
        reverse("liaison:portal-document", args=[document.pk]),
        f"/api/v1/liaison/portal/cases/{case.pk}/",
        f"/api/v1/liaison/portal/documents/{document.pk}/download/",
    ]


@pytest.mark.parametrize("index", range(5))
def test_another_partys_case_is_not_found_by_any_url(
    index, case, other_case, judge, respondent, applicant_client, other_account
):
    """The applicant of ``case`` asks for ``other_case`` (same respondent, same court) and for
    documents served there — on the other applicant and on the shared respondent."""
    other_applicant = other_case.parties.get(role=CaseParty.Role.APPLICANT).party
    served = (serve(other_case, other_applicant, judge), serve(other_case, respondent, judge))
    for document in served:
        url = _portal_urls(other_case, document)[index]
        assert applicant_client.get(url).status_code == 404, url
    # The owner reaches the same URL (so 404 above is isolation, not a broken route).
    owner = signed_in(other_account)
    document = ServedDocument.objects.filter(party=other_applicant).get()
    url = _portal_urls(other_case, document)[index]
    expected = 404 if "notice" in url else 200  # an applicant has no payment notice
    assert owner.get(url).status_code == expected, url


def test_a_respondent_does_not_get_a_document_served_on_the_applicant(
    case, judge, applicant, respondent_client
):
    document = serve(case, applicant, judge)
    urls = _portal_urls(case, document)
    for url in (urls[2], urls[4]):
        assert respondent_client.get(url).status_code == 404


def test_staff_are_not_parties(case, staff):
    judge_client = Client()
    judge_client.force_login(staff[Role.JUDGE])
    for url in (reverse("liaison:portal-home"), reverse("liaison:portal-case", args=[case.pk])):
        assert judge_client.get(url)["Location"] == reverse("liaison:portal-login")
    assert judge_client.get("/api/v1/liaison/portal/cases/").status_code == 403
    assert Client().get(reverse("liaison:portal-home"))["Location"] == reverse(
        "liaison:portal-login"
    )


def test_parties_cannot_reach_staff_pages(case, judge, applicant, applicant_client):
    document = serve(case, applicant, judge)
    assert applicant_client.get(reverse("dashboard"))["Location"] == reverse("liaison:portal-home")
    for url in (
        reverse("enforcement:case-detail", args=[case.pk]),
        reverse("liaison:case-documents", args=[case.pk]),
        reverse("liaison:document-file", args=[document.pk]),
        "/api/v1/liaison/documents/",
        f"/api/v1/cases/{case.pk}/",
    ):
        assert applicant_client.get(url).status_code in (403, 404), url
    assert applicant_client.get("/admin/").status_code == 302


def test_portal_pages_are_built_for_phones(case, respondent_client):
    for url in (
        reverse("liaison:portal-home"),
        reverse("liaison:portal-case", args=[case.pk]),
        reverse("liaison:portal-notice", args=[case.pk]),
    ):
        html = respondent_client.get(url).content.decode()
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
        assert "bootstrap.min.css" in html and "//cdn" not in html
        assert 'id="mainNav"' not in html and "/admin/" not in html  # no staff navigation
        assert "<table" not in html or "notice" in url  # lists are cards, not wide tables
    login = Client().get(reverse("liaison:portal-login")).content.decode()
    assert 'inputmode="numeric"' in login and "form-control-lg" in login


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_cases_costs_the_same_however_many_cases(
    case, court_a, judge, applicant, respondent, applicant_client
):
    from tests.enforcement.fixtures import file_case

    url = reverse("liaison:portal-home")
    one = _queries(applicant_client, url)
    for _index in range(3):
        file_case(court_a, judge, applicant, respondent)
    assert _queries(applicant_client, url) == one
    assert _queries(applicant_client, "/api/v1/liaison/portal/cases/") <= one


def test_a_case_page_costs_the_same_however_many_documents(
    case, judge, respondent, respondent_client
):
    url = reverse("liaison:portal-case", args=[case.pk])
    serve(case, respondent, judge)
    one = _queries(respondent_client, url)
    for _index in range(3):
        serve(case, respondent, judge)
    assert _queries(respondent_client, url) == one

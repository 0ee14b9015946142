"""The public search of the dishonest-debtor list: page and API, no sign-in (issue 5 item 8)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from courtexec.roles import Role
from debtors import rules, selectors, services
from debtors.models import BlacklistEntry, PublicListing
from debtors.public_seed import resident_id
from enforcement import services as enforcement
from enforcement.models import Party
from enforcement.validators import normalise_credit_code, normalise_resident_id
from tests.debtors.conftest import respondent_of
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID_2, file_case

pytestmark = pytest.mark.django_db

API = "/api/v1/public/blacklist/"
PAGE = "/public/blacklist/"
DECIDED = dt.date(2026, 3, 2)
G = rules.Ground
KEYS = {"name", "id_number", "legal_representative", "case_number", "court", "grounds",
        "obligation", "performance", "published_at"}  # fmt: skip


@pytest.fixture
def president(staff):
    return staff[Role.PRESIDENT]


@pytest.fixture(autouse=True)
def travel_2026():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _list(case, judge, president, *, publish=True, number="(2026)浙0103执100号之一"):
    entry = services.propose_listing(
        case=case, respondent=respondent_of(case), grounds=[G.EVADES], facts="转移财产规避执行",
        decision_number=number, decided_on=DECIDED, user=judge,
    )  # fmt: skip
    services.approve_listing(entry=entry, user=president)
    services.record_listing_service(entry=entry, served_on=DECIDED, user=judge)
    if publish:
        entry = services.publish_listing(entry=entry, user=judge)
    return entry


@pytest.fixture
def person_case(court_a, judge, applicant, person_respondent):
    return file_case(court_a, judge, applicant, person_respondent,
                     instrument_number="(2016)浙0103民初300号")  # fmt: skip


@pytest.fixture
def listed(case, person_case, judge, president):
    """The organisation of ``case`` and the person of ``person_case``, both published."""
    return {
        "organisation": _list(case, judge, president),
        "person": _list(person_case, judge, president, number="(2026)浙0103执101号之一"),
    }


def _listed_person(court, judge, president, applicant, name: str, n: int) -> BlacklistEntry:
    party = enforcement.register_party(
        court=court, kind=Party.Kind.PERSON, name=name,
        id_number=resident_id("110105", dt.date(1985, 1, 1), 100 + n),
    )  # fmt: skip
    case = file_case(court, judge, applicant, party, instrument_number=f"(2016)浙0103民初{n}号")
    return _list(case, judge, president, number=f"(2026)浙0103执{500 + n}号之一")


def _search(client, q, **extra):
    return client.get(API, {"q": q}, **extra)


# --- What is found --------------------------------------------------------------------------


def test_search_by_name_person_id_and_credit_code(client, listed):
    by_name = _search(client, "王五")
    assert by_name.status_code == 200, by_name.content
    body = by_name.json()
    assert set(body) == {"count", "results"}
    assert body["count"] == 1
    (person,) = body["results"]
    assert set(person) == KEYS
    assert person["name"] == "王五"
    assert person["id_number"] == "1101**********0016"
    assert person["legal_representative"] is None
    assert person["case_number"] == listed["person"].case.number
    assert person["court"] == "杭州市下城区人民法院"
    assert len(person["grounds"]) == 1
    assert person["published_at"]

    by_id = _search(client, PERSON_ID_2).json()
    assert [r["name"] for r in by_id["results"]] == ["王五"]
    # Full-width characters and spaces are normalised away; a partial ID number finds nothing.
    assert _search(client, " 王 五 ").json()["count"] == 1
    assert _search(client, PERSON_ID_2[:-1]).json()["count"] == 0


def test_organisation_shows_credit_code_and_legal_representative(client, listed):
    for q in (CREDIT_CODE.lower(), "杭州某某", "杭州某某贸易有限公司"):
        body = _search(client, q).json()
        assert body["count"] == 1, q
        (organisation,) = body["results"]
        assert organisation["name"] == "杭州某某贸易有限公司"
        assert organisation["id_number"] == CREDIT_CODE
        assert organisation["legal_representative"] == "李四"
    page = client.get(PAGE, {"q": "杭州某某"})
    assert page.status_code == 200
    text = page.content.decode()
    assert CREDIT_CODE in text and "李四" in text


def test_name_matches_from_the_start_in_a_fixed_order(
    client, listed, court_a, judge, president, applicant
):
    for n, name in enumerate(["王五二", "王五一"]):
        _listed_person(court_a, judge, president, applicant, name, n)
    names = [r["name"] for r in _search(client, "王五").json()["results"]]
    assert names == ["王五", "王五一", "王五二"]
    assert _search(client, "五一").json()["count"] == 0  # not a substring search


def test_no_unpublished_deleted_or_corrected_entry_ever_appears(
    client, case, person_case, judge, president, court_a, applicant
):
    proposed_party = enforcement.register_party(
        court=court_a, kind=Party.Kind.PERSON, name="王五甲",
        id_number=resident_id("110105", dt.date(1985, 1, 1), 99),
    )  # fmt: skip
    proposed_case = file_case(court_a, judge, applicant, proposed_party,
                              instrument_number="(2016)浙0103民初400号")  # fmt: skip
    services.propose_listing(
        case=proposed_case, respondent=respondent_of(proposed_case), grounds=[G.EVADES],
        facts="f", decision_number="d", decided_on=DECIDED, user=judge,
    )  # fmt: skip
    approved = _list(person_case, judge, president, publish=False)
    deleted = _list(case, judge, president)
    assert _search(client, "杭州某某").json()["count"] == 1
    services.delete_listing(
        entry=deleted, ground=rules.DeletionGround.PERIOD_EXPIRED, arose_on=DECIDED, user=judge
    )
    published = services.publish_listing(entry=approved, user=judge)
    request = services.request_correction(
        entry=published, ground=rules.CorrectionGround.INACCURATE, statement="有误",
        received_on=DECIDED, user=judge,
    )  # fmt: skip
    request = services.review_correction(
        request=request, upheld=True, reviewed_on=DECIDED, user=judge
    )
    assert _search(client, PERSON_ID_2).json()["count"] == 1  # published until corrected
    services.correct_entry(request=request, user=judge)

    assert BlacklistEntry.objects.filter(status=BlacklistEntry.Status.PUBLISHED).count() == 0
    assert PublicListing.objects.count() == 0
    for q in ("王五", "王五甲", PERSON_ID_2, CREDIT_CODE, "杭州某某"):
        assert _search(client, q).json() == {"count": 0, "results": []}, q
        assert client.get(PAGE, {"q": q}).context["found"].count == 0


def test_a_renamed_party_is_found_by_its_new_name(client, listed):
    party = Party.objects.get(id_number=PERSON_ID_2)
    party.name = "王五改"
    party.save()
    assert _search(client, "王五改").json()["count"] == 1
    assert [r["name"] for r in _search(client, "王五").json()["results"]] == ["王五改"]


# --- Masking --------------------------------------------------------------------------------


def test_no_full_id_number_or_birth_date_in_any_response(client, listed):
    secrets = [PERSON_ID_2, "19800101", "1980-01-01", "1980年1月1日", "198001"]
    responses = [
        _search(client, PERSON_ID_2),
        _search(client, "王五"),
        client.get(PAGE, {"q": PERSON_ID_2}),
        client.get(PAGE, {"q": "王五"}),
        client.get(PAGE, {"q": PERSON_ID_2}, headers={"HX-Request": "true"}),
        client.get(PAGE, {"q": PERSON_ID_2.lower()}, headers={"HX-Request": "true"}),
    ]
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode()
        assert "1101**********0016" in body
        for secret in secrets:
            assert secret not in body, (response.request, secret)
        # No run of digits long enough to hold a birth date.
        rest = body.replace(CREDIT_CODE, "").replace(settings.DEBTORS_TIP_HOTLINE, "")
        assert not re.search(r"\d{8}", rest), response.request


# --- Bad input and the rate limit -----------------------------------------------------------


@pytest.mark.parametrize("q", ["", " ", "王", " 王 ", "Ａ"])
def test_a_query_shorter_than_two_characters_is_a_400(client, q):
    response = client.get(API, {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_short"
    assert body["field_codes"]["q"] == ["too_short"]
    assert "at least 2 characters" in body["fields"]["q"][0]
    assert client.get(PAGE, {"q": q}).status_code == 400


@pytest.mark.parametrize("q", ["王五\x00", "\x00\x00ab"])
def test_a_query_with_a_nul_character_is_a_400_not_a_database_error(client, q):
    response = client.get(API, {"q": q})
    assert response.status_code == 400
    assert response.json()["field_codes"]["q"] == ["null_characters_not_allowed"]
    assert client.get(PAGE, {"q": q}).status_code == 400


def test_missing_query_and_bad_page(client):
    assert client.get(API).status_code == 400
    assert client.get(API, {"q": "王五", "page": "x"}).status_code == 400
    assert client.get(API, {"q": "王五", "page": "0"}).status_code == 400
    assert client.get(API, {"q": "王五", "page": "51"}).status_code == 400
    assert client.get(PAGE).status_code == 200  # the page itself, no search yet


def test_pages_of_twenty(client, court_a, judge, president, applicant):
    for n in range(23):
        _listed_person(court_a, judge, president, applicant, f"赵六{n:02d}", n)
    with override_settings(PUBLIC_SEARCH_MAX_PAGES=1):  # 20 can be paged to: the count stops
        assert client.get(API, {"q": "赵六"}).json()["count"] == 20
        assert client.get(API, {"q": "赵六", "page": 2}).status_code == 400
        page = client.get(PAGE, {"q": "赵六"})
        assert page.context["found"].capped
    first = client.get(API, {"q": "赵六"}).json()
    second = client.get(API, {"q": "赵六", "page": 2}).json()
    assert first["count"] == second["count"] == 23
    assert [r["name"] for r in first["results"] + second["results"]] == [
        f"赵六{n:02d}" for n in range(23)
    ]


@override_settings(PUBLIC_SEARCH_RATE="3/minute")
def test_429_beyond_the_limit_per_address_page_and_api_together(client):
    from django.core.cache import caches

    assert "redis" in type(caches["default"]).__module__  # the real Redis cache
    assert _search(client, "王五").status_code == 200
    assert _search(client, "王五").status_code == 200
    assert client.get(PAGE, {"q": "王五"}).status_code == 200
    limited = _search(client, "王五")
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled"
    assert 0 < int(limited["Retry-After"]) <= 60
    assert client.get(PAGE, {"q": "王五"}).status_code == 429
    # Another address has its own budget; X-Forwarded-For is not trusted without NUM_PROXIES.
    assert _search(client, "王五", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert _search(client, "王五", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
    # A minute later the window has passed.
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 1, 1, tzinfo=dt.UTC), tick=False):
        assert _search(client, "王五").status_code == 200


def test_openapi_documents_the_public_search(client, staff):
    client.force_login(staff[Role.JUDGE])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "page"}
    assert set(operation["responses"]) >= {"200", "400", "429"}
    assert operation.get("security") in (None, [], [{}])  # no sign-in


# --- The seed command -----------------------------------------------------------------------


def test_seed_command_creates_published_searchable_entries(client):
    call_command("seed_public_blacklist", count=40, batch=15, no_progress=True)
    assert BlacklistEntry.objects.filter(status=BlacklistEntry.Status.PUBLISHED).count() == 40
    assert PublicListing.objects.count() == 40
    # Run again: nothing new; a larger count tops up.
    call_command("seed_public_blacklist", count=40, no_progress=True)
    assert PublicListing.objects.count() == 40
    call_command("seed_public_blacklist", count=55, no_progress=True)
    assert PublicListing.objects.count() == 55
    entries = BlacklistEntry.objects.select_related("respondent__party", "case")
    kinds = set()
    for entry in entries:
        party = entry.respondent.party
        kinds.add(party.kind)
        if party.kind == Party.Kind.PERSON:
            assert normalise_resident_id(party.id_number) == party.id_number
            assert party.birth_date.strftime("%Y%m%d") == party.id_number[6:14]
        else:
            assert normalise_credit_code(party.id_number) == party.id_number
            assert party.legal_representative
        assert entry.history.count() == 1  # the change trail records the seeding
        assert entry.case.history.count() == 1
        assert entry.published_at and entry.respondent.role == "respondent"
    assert kinds == {Party.Kind.PERSON, Party.Kind.ORGANISATION}
    some = entries.filter(respondent__party__kind=Party.Kind.PERSON).first().respondent.party
    found = _search(client, some.id_number).json()
    assert found["count"] >= 1 and found["results"][0]["name"] == some.name
    assert some.id_number not in _search(client, some.name).content.decode()
    listing = selectors.public_blacklist_search(query=some.name)
    assert listing.count >= 1

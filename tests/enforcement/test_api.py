"""The enforcement API under /api/v1/: filing to closure, the rules behind each door, court
isolation on every endpoint, permissions, history, and query counts."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from courtexec.models import User
from courtexec.roles import Role
from enforcement import services
from enforcement.models import (
    CaseParty,
    CoerciveMeasure,
    EnforcementCase,
    FieldPhoto,
    Party,
    TravelRequest,
)
from tests.enforcement.fixtures import PERSON_ID, file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
# Other valid fictitious identity numbers (check digits computed with python-stdnum).
PERSON_ID_3 = "110105198001010032"
CREDIT_CODE_2 = "91330100MA27XJ7Q37"


def client_for(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def filing(judge, applicant, respondent, /, **overrides) -> dict:
    body = {
        "type_code": "执",
        "category": "financial",
        "issuing_body": "杭州市下城区人民法院",
        "instrument_number": "(2016)浙0103民初100号",
        "instrument_effective_on": "2016-03-01",
        "instrument_kind": "litigation",
        "amount_to_enforce": "120000.00",
        "filed_on": "2016-04-01",
        "judge": judge.pk,
        "parties": [
            {
                "party": applicant.pk,
                "role": "applicant",
                "payee_bank": "中国工商银行杭州分行",
                "payee_account_number": "6222 0202 0202 0202 020",
            },
            {"party": respondent.pk, "role": "respondent"},
        ],
    }
    body.update(overrides)
    return body


def png_upload(name: str = "site.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def as_judge(judge):
    return client_for(judge)


@pytest.fixture
def case_with_person(court_a, judge, applicant, respondent, person_respondent):
    return file_case(
        court_a,
        judge,
        applicant,
        respondent,
        parties=[
            services.PartyRole(
                party=applicant,
                role=CaseParty.Role.APPLICANT,
                payee_bank="中国银行",
                payee_account_number="6216600000000000000",
            ),
            services.PartyRole(party=respondent, role=CaseParty.Role.RESPONDENT),
            services.PartyRole(party=person_respondent, role=CaseParty.Role.RESPONDENT),
        ],
    )


# --- Filing and numbering ---------------------------------------------------------------------


def test_filing_issues_consecutive_numbers_per_type(as_judge, judge, applicant, respondent):
    first = as_judge.post(f"{API}/cases/", filing(judge, applicant, respondent), format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["number"] == "(2016)浙0103执1号"
    assert body["court_code"] == "浙0103"
    assert body["status"] == "filed"
    assert body["due_on"] == "2016-10-01"
    assert body["is_legacy_number"] is False
    roles = {link["role"]: link for link in body["parties"]}
    assert roles["applicant"]["payee_account_number"] == "6222020202020202020"
    assert roles["applicant"]["payee_account_name"] == "张三"
    assert roles["respondent"]["party"]["name"] == "杭州某某贸易有限公司"

    second = as_judge.post(f"{API}/cases/", filing(judge, applicant, respondent), format="json")
    assert second.json()["number"] == "(2016)浙0103执2号"
    preservation = as_judge.post(
        f"{API}/cases/",
        filing(judge, applicant, respondent, type_code="执保", instrument_kind="non_litigation"),
        format="json",
    )
    assert preservation.json()["number"] == "(2016)浙0103执保1号"
    assert preservation.json()["due_on"] == "2016-07-01"


def test_legacy_numbers_import_as_given_and_refuse_bad_or_duplicate(
    as_judge, judge, applicant, respondent
):
    legacy = "(2015)杭下执民字第2741号"
    ok = as_judge.post(
        f"{API}/cases/",
        filing(judge, applicant, respondent, legacy_number=legacy, filed_on="2015-06-01"),
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["number"] == legacy
    assert ok.json()["is_legacy_number"] is True
    assert ok.json()["year"] == 2015

    duplicate = as_judge.post(
        f"{API}/cases/", filing(judge, applicant, respondent, legacy_number=legacy), format="json"
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "invalid"
    assert "legacy_number" in duplicate.json()["fields"]

    malformed = as_judge.post(
        f"{API}/cases/",
        filing(judge, applicant, respondent, legacy_number="杭下执字2741"),
        format="json",
    )
    assert malformed.status_code == 400
    assert "legacy_number" in malformed.json()["fields"]
    assert EnforcementCase.objects.count() == 1


def test_filing_with_bad_input_names_every_field(as_judge, judge, applicant, respondent):
    response = as_judge.post(
        f"{API}/cases/",
        filing(
            judge,
            applicant,
            respondent,
            type_code="执行",
            category=7,
            amount_to_enforce="a lot",
            filed_on="2016-13-45",
            instrument_effective_on="yesterday",
            judge="judge",
            assistants=[99_999_999],
            flags=["urgent"],
            parties=[{"party": 10**30, "role": "debtor"}],
        ),
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {
        "type_code",
        "category",
        "amount_to_enforce",
        "filed_on",
        "instrument_effective_on",
        "judge",
        "assistants",
        "flags",
        "parties",
    }
    assert set(fields["parties"]["0"]) == {"party", "role"}  # errors keyed by list index

    empty = as_judge.post(f"{API}/cases/", {}, format="json")
    assert empty.status_code == 400
    assert {"type_code", "judge", "parties", "filed_on"} <= set(empty.json()["fields"])

    not_an_object = as_judge.post(f"{API}/cases/", ["x"], format="json")
    assert not_an_object.status_code == 400

    broken_json = as_judge.post(f"{API}/cases/", data="{not json", content_type="application/json")
    assert broken_json.status_code == 400


def test_filing_rules_come_from_the_service(as_judge, judge, applicant, respondent, staff):
    no_respondent = filing(judge, applicant, respondent)
    no_respondent["parties"] = no_respondent["parties"][:1]
    response = as_judge.post(f"{API}/cases/", no_respondent, format="json")
    assert response.status_code == 400
    assert "parties" in response.json()["fields"]

    future = as_judge.post(
        f"{API}/cases/",
        filing(judge, applicant, respondent, filed_on=str(timezone.localdate() + dt.timedelta(1))),
        format="json",
    )
    assert "filed_on" in future.json()["fields"]

    clerk_as_judge = as_judge.post(
        f"{API}/cases/",
        filing(staff[Role.CLERK], applicant, respondent),
        format="json",
    )
    assert clerk_as_judge.status_code == 400
    assert "judge" in clerk_as_judge.json()["fields"]

    no_payee = filing(judge, applicant, respondent)
    del no_payee["parties"][0]["payee_account_number"]
    assert (
        "payee_account_number"
        in as_judge.post(f"{API}/cases/", no_payee, format="json").json()["fields"]
    )
    assert EnforcementCase.objects.count() == 0


# --- Closure, milestones, extensions, resumption ---------------------------------------------


def test_terminated_for_now_lists_unmet_conditions_then_closes(as_judge, case):
    url = f"{API}/cases/{case.pk}/close/"
    refused = as_judge.post(
        url,
        {"mode": "terminated_for_now", "reason": "无财产"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    unmet = refused.json()["fields"]["mode"]
    assert len(unmet) == 5
    assert "Issue the consumption restriction order." in unmet
    assert not any("three months" in message for message in unmet)  # filed in 2016

    for milestone in services.MILESTONES:
        if milestone == "blacklisted_on":
            continue
        step = as_judge.post(
            f"{API}/cases/{case.pk}/milestones/",
            {"milestone": milestone, "on": "2016-05-02"},
            format="json",
        )
        assert step.status_code == 200, step.json()
    assert as_judge.post(f"{API}/cases/{case.pk}/no-blacklist-grounds/").status_code == 200

    closed = as_judge.post(
        url,
        {"mode": "terminated_for_now", "reason": "经网络查控未发现财产", "on": "2016-08-02"},
        format="json",
    )
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "concluded"
    assert closed.json()["closure_mode"] == "terminated_for_now"
    assert closed.json()["closed_on"] == "2016-08-02"

    again = as_judge.post(url, {"mode": "performed", "reason": "x"}, format="json")
    assert again.status_code == 400


def test_performed_needs_nothing_outstanding(as_judge, case):
    url = f"{API}/cases/{case.pk}/close/"
    refused = as_judge.post(url, {"mode": "performed", "reason": "已履行"}, format="json")
    assert refused.status_code == 400
    assert "120,000.00" in refused.json()["fields"]["mode"][0]

    too_much = as_judge.post(
        f"{API}/cases/{case.pk}/performance/", {"amount": "120000.01", "note": "x"}, format="json"
    )
    assert "amount" in too_much.json()["fields"]
    paid = as_judge.post(
        f"{API}/cases/{case.pk}/performance/",
        {"amount": "120000.00", "note": "被执行人直接支付"},
        format="json",
    )
    assert paid.json()["outstanding"] == "0.00"
    closed = as_judge.post(url, {"mode": "performed", "reason": "已履行完毕"}, format="json")
    assert closed.status_code == 200
    assert closed.json()["closure_reason"] == "已履行完毕"


def test_close_with_bad_input_is_a_400(as_judge, case):
    url = f"{API}/cases/{case.pk}/close/"
    response = as_judge.post(url, {"mode": "gone", "on": "31/12/2016"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"mode", "reason", "on"}
    before_filing = as_judge.post(
        url, {"mode": "withdrawn", "reason": "撤回", "on": "2016-01-01"}, format="json"
    )
    assert "on" in before_filing.json()["fields"]


def test_extension_needs_the_president_and_at_most_three_months(as_judge, case, staff):
    too_long = as_judge.post(
        f"{API}/cases/{case.pk}/extend/", {"months": 4, "reason": "复杂"}, format="json"
    )
    assert too_long.status_code == 400
    assert "months" in too_long.json()["fields"]
    assert (
        "months"
        in as_judge.post(
            f"{API}/cases/{case.pk}/extend/", {"months": "two", "reason": "x"}, format="json"
        ).json()["fields"]
    )

    requested = as_judge.post(
        f"{API}/cases/{case.pk}/extend/", {"months": 2, "reason": "拍卖尚未完成"}, format="json"
    )
    assert requested.status_code == 201, requested.json()
    extension = requested.json()
    assert extension["status"] == "requested"
    decide = f"{API}/cases/{case.pk}/extensions/{extension['id']}/decide/"

    assert as_judge.post(decide, {"approve": True}, format="json").status_code == 403
    president = client_for(staff[Role.PRESIDENT])
    approved = president.post(decide, {"approve": True, "note": "同意"}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == staff[Role.PRESIDENT].pk
    case.refresh_from_db()
    assert case.due_on == dt.date(2016, 12, 1)
    detail = as_judge.get(f"{API}/cases/{case.pk}/").json()
    assert detail["due_on"] == "2016-12-01"
    assert detail["extensions"][0]["status"] == "approved"

    decided_twice = president.post(decide, {"approve": False}, format="json")
    assert decided_twice.status_code == 400
    one_left = as_judge.post(
        f"{API}/cases/{case.pk}/extend/", {"months": 2, "reason": "仍需时间"}, format="json"
    )
    assert "months" in one_left.json()["fields"]
    assert (
        president.post(
            f"{API}/cases/{case.pk}/extensions/999999/decide/", {"approve": True}, format="json"
        ).status_code
        == 404
    )


def test_resume_files_a_linked_resumed_case(as_judge, case):
    as_judge.post(
        f"{API}/cases/{case.pk}/performance/", {"amount": "100000", "note": "部分"}, format="json"
    )
    refused = as_judge.post(f"{API}/cases/{case.pk}/resume/", {"reason": "x"}, format="json")
    assert refused.status_code == 400
    as_judge.post(
        f"{API}/cases/{case.pk}/close/", {"mode": "terminated", "reason": "终结"}, format="json"
    )
    resumed = as_judge.post(
        f"{API}/cases/{case.pk}/resume/", {"reason": "发现新财产"}, format="json"
    )
    assert resumed.status_code == 201, resumed.json()
    body = resumed.json()
    year = timezone.localdate().year
    assert body["number"] == f"({year})浙0103执恢1号"
    assert body["resumed_from"] == case.pk
    assert body["amount_to_enforce"] == "20000.00"
    assert len(body["parties"]) == 2


def test_suspend_and_continue(as_judge, case):
    url = f"{API}/cases/{case.pk}/suspend/"
    suspended = as_judge.post(url, {"suspended": True, "reason": "案外人异议"}, format="json")
    assert suspended.json()["status"] == "suspended"
    twice = as_judge.post(url, {"suspended": True, "reason": "again"}, format="json")
    assert "status" in twice.json()["fields"]
    resumed = as_judge.post(url, {"suspended": False, "reason": "异议驳回"}, format="json")
    assert resumed.json()["status"] == "in_progress"
    assert "suspended" in as_judge.post(url, {"reason": "x"}, format="json").json()["fields"]


def test_milestones_refuse_unknown_steps_and_future_dates(as_judge, case):
    url = f"{API}/cases/{case.pk}/milestones/"
    unknown = as_judge.post(url, {"milestone": "party_time", "on": "2016-05-01"}, format="json")
    assert "milestone" in unknown.json()["fields"]
    future = as_judge.post(
        url,
        {
            "milestone": "execution_notice_sent_on",
            "on": str(timezone.localdate() + dt.timedelta(3)),
        },
        format="json",
    )
    assert "on" in future.json()["fields"]
    ok = as_judge.post(url, {"milestone": "execution_notice_sent_on", "on": "2016-04-02"})
    assert ok.status_code == 200
    assert ok.json()["status"] == "in_progress"
    assert ok.json()["execution_notice_sent_on"] == "2016-04-02"


def test_timeline_lists_events_and_filters_by_kind(as_judge, case, judge):
    as_judge.post(
        f"{API}/cases/{case.pk}/milestones/",
        {"milestone": "execution_notice_sent_on", "on": "2016-04-02"},
        format="json",
    )
    as_judge.post(
        f"{API}/objections/",
        {
            "case": case.pk,
            "objector_name": "赵六",
            "contested_act": "查封",
            "filed_on": "2016-05-01",
        },
        format="json",
    )
    events = as_judge.get(f"{API}/cases/{case.pk}/timeline/").json()
    kinds = {event["kind"] for event in events}
    assert {"case", "party", "objection"} <= kinds
    assert events[0]["at"] >= events[-1]["at"]
    by_api = [event for event in events if event["kind"] == "case" and event["user"]]
    assert by_api and {event["user"] for event in by_api} == {str(judge)}

    only = as_judge.get(f"{API}/cases/{case.pk}/timeline/?kind=objection,party").json()
    assert {event["kind"] for event in only} == {"objection", "party"}
    bad = as_judge.get(f"{API}/cases/{case.pk}/timeline/?kind=gossip")
    assert bad.status_code == 400
    assert "kind" in bad.json()["fields"]


# --- Case list: filters, search, query count -------------------------------------------------


def test_case_list_filters_and_search(as_judge, court_a, judge, applicant, respondent, staff):
    other_party = services.register_party(court=court_a, kind="person", name="孙七")
    first = file_case(court_a, judge, applicant, respondent)
    second = file_case(
        court_a,
        judge,
        applicant,
        other_party,
        category=EnforcementCase.Category.LIVELIHOOD,
        filed_on=timezone.localdate(),
    )
    services.close_case(case=first, user=judge, mode="withdrawn", reason="撤回")

    def numbers(query: str) -> set[str]:
        response = as_judge.get(f"{API}/cases/{query}")
        assert response.status_code == 200, response.json()
        return {row["number"] for row in response.json()["results"]}

    assert numbers("") == {first.number, second.number}
    assert numbers("?status=concluded") == {first.number}
    assert numbers("?category=livelihood") == {second.number}
    assert numbers("?q=孙七") == {second.number}
    assert numbers(f"?q={PERSON_ID}") == {first.number, second.number}
    assert numbers(f"?q={first.number}") == {first.number}
    assert numbers(f"?judge={judge.pk}") == {first.number, second.number}
    assert numbers("?deadline=overdue") == set()
    listed = as_judge.get(f"{API}/cases/?ordering=-filed_on").json()["results"]
    assert [row["number"] for row in listed] == [second.number, first.number]
    assert as_judge.get(f"{API}/cases/?status=lost").status_code == 400
    assert as_judge.get(f"{API}/cases/?filed_after=someday").status_code == 400


def test_case_list_query_count_does_not_grow(court_a, judge, applicant, respondent, staff):
    def add_cases(n: int) -> None:
        for _ in range(n):
            file_case(court_a, judge, applicant, respondent, assistants=[staff[Role.CLERK]])

    def count_queries() -> tuple[int, int]:
        client = client_for(User.objects.get(pk=judge.pk))  # no permission cache carried over
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/cases/")
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    add_cases(3)
    three, listed = count_queries()
    assert listed == 3
    add_cases(12)
    fifteen, listed = count_queries()
    assert listed == 15
    assert fifteen == three
    assert three <= 12


# --- Parties ----------------------------------------------------------------------------------


def test_party_registration_is_one_record_per_identity(as_judge):
    body = {"kind": "person", "name": "钱八", "id_number": PERSON_ID_3.lower()}
    created = as_judge.post(f"{API}/parties/", body, format="json")
    assert created.status_code == 201, created.json()
    party = created.json()
    assert party["id_number"] == PERSON_ID_3
    assert party["lacks_id"] is False
    assert party["birth_date"] == "1980-01-01"
    assert party["sex"] == "M"

    again = as_judge.post(f"{API}/parties/", {**body, "name": "钱八（重复）"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == party["id"]
    assert Party.objects.filter(id_number=PERSON_ID_3).count() == 1

    no_id = as_judge.post(f"{API}/parties/", {"kind": "person", "name": "无名氏"}, format="json")
    assert no_id.status_code == 201
    assert no_id.json()["lacks_id"] is True
    assert no_id.json()["id_number"] is None

    organisation = as_judge.post(
        f"{API}/parties/",
        {"kind": "organisation", "name": "某某公司", "id_number": CREDIT_CODE_2,
         "legal_representative": "周九"},
        format="json",
    )  # fmt: skip
    assert organisation.status_code == 201, organisation.json()


def test_party_registration_bad_input(as_judge):
    bad_digit = as_judge.post(
        f"{API}/parties/",
        {"kind": "person", "name": "x", "id_number": PERSON_ID_3[:-1] + "9"},
        format="json",
    )
    assert bad_digit.status_code == 400
    assert "id_number" in bad_digit.json()["fields"]
    short = as_judge.post(
        f"{API}/parties/", {"kind": "organisation", "name": "x", "id_number": "123"}, format="json"
    )
    assert "id_number" in short.json()["fields"]
    response = as_judge.post(
        f"{API}/parties/", {"kind": "robot", "name": "", "birth_date": "1990-02-30"}, format="json"
    )
    assert set(response.json()["fields"]) == {"kind", "name", "birth_date"}
    kind_clash = as_judge.post(
        f"{API}/parties/",
        {"kind": "organisation", "name": "x", "id_number": PERSON_ID},
        format="json",
    )
    assert kind_clash.status_code == 400


def test_party_list_filters_and_search(as_judge, applicant, respondent, person_respondent):
    def names(query: str) -> set[str]:
        return {row["name"] for row in as_judge.get(f"{API}/parties/{query}").json()["results"]}

    assert names("") == {"张三", "杭州某某贸易有限公司", "王五"}
    assert names("?kind=organisation") == {"杭州某某贸易有限公司"}
    assert names("?search=王") == {"王五"}
    assert names(f"?search={PERSON_ID}") == {"张三"}
    detail = as_judge.get(f"{API}/parties/{applicant.pk}/").json()
    assert detail["phone"] == "13900000001"  # staff see everything unmasked
    assert detail["id_number"] == PERSON_ID


# --- Coercive measures ------------------------------------------------------------------------


def test_measure_limits(as_judge, case_with_person, respondent, person_respondent, staff):
    base = {"case": case_with_person.pk, "reason": "拒不履行", "decided_on": "2016-06-01"}

    def decide(**body):
        return as_judge.post(f"{API}/measures/", {**base, **body}, format="json")

    detention_16 = decide(kind="detention", subject=person_respondent.pk, detention_days=16)
    assert detention_16.status_code == 400
    assert "detention_days" in detention_16.json()["fields"]
    org_detention = decide(kind="detention", subject=respondent.pk, detention_days=5)
    assert "subject" in org_detention.json()["fields"]
    person_fine = decide(kind="fine", subject=person_respondent.pk, fine_amount="100001")
    assert person_fine.status_code == 400
    assert "fine_amount" in person_fine.json()["fields"]
    org_fine = decide(kind="fine", subject=respondent.pk, fine_amount="40000")
    assert org_fine.status_code == 400
    assert "fine_amount" in org_fine.json()["fields"]
    nonsense = decide(kind="flogging", subject=10**12, detention_days="many")
    assert set(nonsense.json()["fields"]) == {"kind", "subject", "detention_days"}
    assert CoerciveMeasure.objects.count() == 0

    assert decide(kind="fine", subject=respondent.pk, fine_amount="50000").status_code == 201
    detention = decide(kind="detention", subject=person_respondent.pk, detention_days=15)
    assert detention.status_code == 201, detention.json()
    measure = detention.json()
    assert measure["approved_by"] is None
    assert measure["family_notice_late"] is False

    approve = f"{API}/measures/{measure['id']}/approve/"
    assert as_judge.post(approve).status_code == 403
    approved = client_for(staff[Role.PRESIDENT]).post(approve)
    assert approved.status_code == 200
    assert approved.json()["approved_by"] == staff[Role.PRESIDENT].pk

    notice = as_judge.post(
        f"{API}/measures/{measure['id']}/family-notice/",
        {"notified_at": timezone.now().isoformat()},
        format="json",
    )
    assert notice.status_code == 200, notice.json()
    assert notice.json()["family_notified_at"]
    late_review = as_judge.post(
        f"{API}/measures/{measure['id']}/review/", {"requested_on": "2016-06-10"}, format="json"
    )
    assert "review_requested_on" in late_review.json()["fields"]
    review = as_judge.post(
        f"{API}/measures/{measure['id']}/review/",
        {"requested_on": "2016-06-03", "decided_on": "2016-06-07"},
        format="json",
    )
    assert review.status_code == 200
    assert as_judge.get(f"{API}/measures/?kind=detention").json()["count"] == 1


# --- Objections -------------------------------------------------------------------------------


def test_objection_review_deadline_and_ruling(as_judge, case, applicant):
    filed = as_judge.post(
        f"{API}/objections/",
        {
            "case": case.pk,
            "objector_party": applicant.pk,
            "objector_name": "张三",
            "contested_act": "扣划存款超出标的",
            "filed_on": "2016-05-10",
        },
        format="json",
    )
    assert filed.status_code == 201, filed.json()
    objection = filed.json()
    assert objection["review_due_on"] == "2016-05-25"
    assert objection["ruling"] == "pending"
    assert objection["overdue"] is True
    assert as_judge.get(f"{API}/objections/?overdue=true").json()["count"] == 1

    rule = f"{API}/objections/{objection['id']}/rule/"
    bad = as_judge.post(rule, {"ruling": "pending", "reason": "", "ruled_on": "soon"})
    assert set(bad.json()["fields"]) == {"ruling", "reason", "ruled_on"}
    early = as_judge.post(
        rule, {"ruling": "dismissed", "reason": "x", "ruled_on": "2016-05-01"}, format="json"
    )
    assert "ruled_on" in early.json()["fields"]
    ruled = as_judge.post(
        rule, {"ruling": "dismissed", "reason": "理由不成立", "ruled_on": "2016-05-20"}
    )
    assert ruled.status_code == 200
    assert ruled.json()["ruling"] == "dismissed"
    assert ruled.json()["overdue"] is False
    assert (
        as_judge.post(
            rule, {"ruling": "sustained", "reason": "x", "ruled_on": "2016-05-21"}
        ).status_code
        == 400
    )


# --- Joint meeting gate -----------------------------------------------------------------------


def test_large_disposal_needs_a_joint_meeting(as_judge, case, staff):
    large = str(django_settings.JOINT_MEETING_DISPOSAL_THRESHOLD + 1)
    url = f"{API}/cases/{case.pk}/disposals/"
    refused = as_judge.post(url, {"description": "住宅一套", "amount": large}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "joint_meeting_required"
    assert "amount" in refused.json()["fields"]

    small = as_judge.post(url, {"description": "办公家具", "amount": "5000"}, format="json")
    assert small.status_code == 201
    assert small.json()["authorised_by"] is None

    attendees = [staff[Role.BUREAU_CHIEF].pk, staff[Role.SECTION_CHIEF].pk, staff[Role.JUDGE].pk]
    assert (
        as_judge.post(
            f"{API}/meetings/", {"held_on": "2016-08-01", "attendees": attendees}, format="json"
        ).status_code
        == 403
    )
    chief = client_for(staff[Role.BUREAU_CHIEF])
    meeting = chief.post(
        f"{API}/meetings/", {"held_on": "2016-08-01", "attendees": attendees}, format="json"
    )
    assert meeting.status_code == 201, meeting.json()
    meeting_id = meeting.json()["id"]
    item = chief.post(
        f"{API}/meetings/{meeting_id}/agenda/",
        {"case": case.pk, "matter": "拍卖被执行人住宅"},
        format="json",
    )
    assert item.status_code == 201, item.json()
    item_id = item.json()["id"]
    decide = f"{API}/meetings/{meeting_id}/decisions/{item_id}/decide/"
    too_many_votes = chief.post(
        decide,
        {"decision": "approved", "votes_for": 4, "votes_against": 0, "approved_amount": large},
        format="json",
    )
    assert "votes_for" in too_many_votes.json()["fields"]
    negative = chief.post(
        decide, {"decision": "approved", "votes_for": 3, "votes_against": -1}, format="json"
    )
    assert "votes_against" in negative.json()["fields"]
    assert as_judge.post(url, {"description": "住宅一套", "amount": large}).status_code == 400

    approved = chief.post(
        decide,
        {"decision": "approved", "discussion": "同意", "votes_for": 3, "votes_against": 0,
         "abstentions": 0, "approved_amount": large},
        format="json",
    )  # fmt: skip
    assert approved.status_code == 200, approved.json()
    shown = as_judge.get(f"{API}/meetings/{meeting_id}/").json()
    assert shown["decisions"][0]["decision"] == "approved"

    allowed = as_judge.post(url, {"description": "住宅一套", "amount": large}, format="json")
    assert allowed.status_code == 201, allowed.json()
    assert allowed.json()["authorised_by"] == item_id
    bigger = str(django_settings.JOINT_MEETING_DISPOSAL_THRESHOLD + 2)
    assert as_judge.post(url, {"description": "另一套", "amount": bigger}).status_code == 400


# --- Travel and tickets -----------------------------------------------------------------------


TICKET = {
    "mode": "train",
    "reference": "G7311-05-12F",
    "travel_on": "2016-06-10",
    "price": "177.50",
}


@pytest.fixture
def approved_trip(case, staff):
    trip = services.request_travel(
        case=case,
        user=staff[Role.JUDGE],
        destination="温州市",
        purpose="查封房产",
        depart_on=dt.date(2016, 6, 10),
        return_on=dt.date(2016, 6, 11),
        travellers=[staff[Role.JUDGE], staff[Role.CLERK]],
    )
    return services.decide_travel(travel=trip, user=staff[Role.BUREAU_CHIEF], approve=True)


def test_trip_request_and_approval_by_the_bureau_chief(as_judge, case, staff):
    judge, clerk = staff[Role.JUDGE], staff[Role.CLERK]
    trip = as_judge.post(
        f"{API}/ticket-requests/",
        {"case": case.pk, "destination": "温州市", "purpose": "查封房产",
         "depart_on": "2016-06-10", "return_on": "2016-06-11",
         "travellers": [judge.pk, clerk.pk]},
        format="json",
    )  # fmt: skip
    assert trip.status_code == 201, trip.json()
    assert trip.json()["status"] == "requested"
    assert sorted(trip.json()["travellers"]) == sorted([judge.pk, clerk.pk])
    decide = f"{API}/ticket-requests/{trip.json()['id']}/decide/"
    assert as_judge.post(decide, {"approve": True}, format="json").status_code == 403
    chief = client_for(staff[Role.BUREAU_CHIEF])
    approved = chief.post(decide, {"approve": True}, format="json")
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == staff[Role.BUREAU_CHIEF].pk
    assert chief.post(decide, {"approve": False}, format="json").status_code == 400
    assert "approve" in chief.post(decide, {}, format="json").json()["fields"]

    backwards = as_judge.post(
        f"{API}/ticket-requests/",
        {"case": case.pk, "destination": "x", "purpose": "y", "depart_on": "2016-06-10",
         "return_on": "2016-06-01", "travellers": [judge.pk]},
        format="json",
    )  # fmt: skip
    assert "return_on" in backwards.json()["fields"]


def test_travellers_cannot_record_their_own_tickets(approved_trip, case, staff):
    judge, ticket_clerk = staff[Role.JUDGE], staff["ticket_clerk"]
    url = f"{API}/ticket-requests/{approved_trip.pk}/tickets/"
    # An officer on the trip (without the clerk's permission) is refused outright.
    assert client_for(judge).post(url, {**TICKET, "traveller": judge.pk}).status_code == 403

    # The designated clerk is refused too when travelling on the trip.
    own_trip = services.request_travel(
        case=case,
        user=judge,
        destination="宁波市",
        purpose="送达",
        depart_on=dt.date(2016, 7, 1),
        return_on=dt.date(2016, 7, 1),
        travellers=[judge, ticket_clerk],
    )
    services.decide_travel(travel=own_trip, user=staff[Role.BUREAU_CHIEF], approve=True)
    own = client_for(ticket_clerk).post(
        f"{API}/ticket-requests/{own_trip.pk}/tickets/",
        {**TICKET, "traveller": ticket_clerk.pk, "travel_on": "2016-07-01"},
        format="json",
    )
    assert own.status_code == 403
    assert TravelRequest.objects.get(pk=own_trip.pk).tickets.count() == 0

    clerk = client_for(ticket_clerk)
    outsider = clerk.post(url, {**TICKET, "traveller": staff[Role.FINANCE].pk}, format="json")
    assert "traveller" in outsider.json()["fields"]
    bad = clerk.post(url, {**TICKET, "traveller": judge.pk, "mode": "rocket", "price": "-1"})
    assert set(bad.json()["fields"]) == {"mode", "price"}
    outside_trip = clerk.post(url, {**TICKET, "traveller": judge.pk, "travel_on": "2016-06-20"})
    assert "travel_on" in outside_trip.json()["fields"]


def test_designated_clerk_records_the_tickets(as_judge, approved_trip, staff):
    ticket_clerk = staff["ticket_clerk"]
    bought = client_for(ticket_clerk).post(
        f"{API}/ticket-requests/{approved_trip.pk}/tickets/",
        {**TICKET, "traveller": staff[Role.JUDGE].pk},
        format="json",
    )
    assert bought.status_code == 201, bought.json()
    assert bought.json()["bought_by"] == ticket_clerk.pk
    shown = as_judge.get(f"{API}/ticket-requests/{approved_trip.pk}/").json()
    assert shown["status"] == "ticketed"
    assert [ticket["reference"] for ticket in shown["tickets"]] == ["G7311-05-12F"]


# --- Field work -------------------------------------------------------------------------------


def test_field_action_with_photo_upload(as_judge, case, staff):
    occurred = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    body = {
        "case": case.pk,
        "kind": "visit",
        "occurred_at": occurred,
        "place": "杭州市下城区某某路1号",
        "latitude": "30.276000",
        "longitude": "120.170000",
        "participants": "王法官、李书记员",
        "notes": "被执行人不在家",
    }
    ok = as_judge.post(
        f"{API}/field-actions/", {**body, "photos": [png_upload(), png_upload("b.png")]},
        format="multipart",
    )  # fmt: skip
    assert ok.status_code == 201, ok.json()
    photos = ok.json()["photos"]
    assert len(photos) == 2
    stored = FieldPhoto.objects.filter(action_id=ok.json()["id"]).order_by("pk")
    assert stored.count() == 2
    assert photos[0]["url"].endswith(f"/field-actions/{ok.json()['id']}/photos/{stored[0].pk}/")
    # A random name, not the uploaded "a.png" (a hex name may itself end in "a.png": 1 in 16).
    assert re.fullmatch(r"field/\d{4}/\d{2}/[0-9a-f]{32}\.png", stored[0].image.name)
    assert as_judge.get(photos[0]["url"]).status_code == 200

    fake = SimpleUploadedFile("evil.png", b"just some text", content_type="image/png")
    refused = as_judge.post(f"{API}/field-actions/", {**body, "photos": [fake]}, format="multipart")
    assert refused.status_code == 400
    assert "photos" in refused.json()["fields"]

    half_position = {k: v for k, v in body.items() if k != "longitude"}
    assert (
        "latitude"
        in as_judge.post(f"{API}/field-actions/", half_position, format="json").json()["fields"]
    )
    bad = as_judge.post(
        f"{API}/field-actions/",
        {**body, "kind": "party", "occurred_at": "noon", "latitude": "north"},
        format="json",
    )
    assert set(bad.json()["fields"]) == {"kind", "occurred_at", "latitude"}

    police = client_for(staff[Role.JUDICIAL_POLICE])
    by_police = police.post(f"{API}/field-actions/", body, format="json")
    assert by_police.status_code == 201
    assert police.get(f"{API}/field-actions/").json()["count"] == 2


# --- Consultations and campaigns --------------------------------------------------------------


def test_consultation(as_judge, case, staff):
    body = {
        "case": case.pk,
        "held_on": "2016-07-15",
        "participants": [staff[Role.JUDGE].pk, staff[Role.SECTION_CHIEF].pk],
        "findings": "名下有车辆一辆",
        "next_steps": "评估拍卖",
        "follow_up_due": "2016-08-15",
    }
    created = as_judge.post(f"{API}/consultations/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["recorded_by"] == staff[Role.JUDGE].pk
    assert sorted(created.json()["participants"]) == sorted(body["participants"])
    backwards = as_judge.post(
        f"{API}/consultations/", {**body, "follow_up_due": "2016-07-01"}, format="json"
    )
    assert "follow_up_due" in backwards.json()["fields"]
    assert as_judge.get(f"{API}/consultations/?case={case.pk}").json()["count"] == 1


def test_campaign_figures_are_computed(as_judge, case, judge, staff):
    today = timezone.localdate()
    body = {
        "name": "金融案件专项执行活动",
        "starts_on": str(today - dt.timedelta(days=30)),
        "ends_on": str(today + dt.timedelta(days=30)),
        "categories": ["financial"],
    }
    assert as_judge.post(f"{API}/campaigns/", body, format="json").status_code == 403
    chief = client_for(staff[Role.BUREAU_CHIEF])
    created = chief.post(f"{API}/campaigns/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["figures"] == {
        "cases_concluded": 0,
        "detentions": 0,
        "blacklist_entries": 0,
        "police_transfers": 0,
    }
    services.close_case(case=case, user=judge, mode="withdrawn", reason="撤回")
    shown = as_judge.get(f"{API}/campaigns/{created.json()['id']}/").json()
    assert shown["figures"]["cases_concluded"] == 1
    bad = chief.post(
        f"{API}/campaigns/", {**body, "categories": ["sports"], "ends_on": "2000-01-01"}
    )
    assert "categories" in bad.json()["fields"]
    backwards = chief.post(f"{API}/campaigns/", {**body, "ends_on": "2000-01-01"}, format="json")
    assert "ends_on" in backwards.json()["fields"]


# --- History ----------------------------------------------------------------------------------


def test_history_records_the_api_user_and_request_id(as_judge, judge, applicant, respondent):
    response = as_judge.post(
        f"{API}/cases/",
        filing(judge, applicant, respondent),
        format="json",
        HTTP_X_REQUEST_ID="req-api-filing-1",
    )
    assert response["X-Request-ID"] == "req-api-filing-1"
    case_id = response.json()["id"]
    created = EnforcementCase.history.get(id=case_id, history_type="+")
    assert created.history_user == judge
    assert created.history_request_id == "req-api-filing-1"
    links = CaseParty.history.filter(case_id=case_id)
    assert {row.history_user_id for row in links} == {judge.pk}

    as_judge.post(
        f"{API}/cases/{case_id}/close/",
        {"mode": "withdrawn", "reason": "申请人撤回申请"},
        format="json",
        HTTP_X_REQUEST_ID="req-api-close-2",
    )
    closed = EnforcementCase.history.filter(id=case_id).latest("history_date")
    assert closed.history_user == judge
    assert closed.history_request_id == "req-api-close-2"
    assert closed.history_change_reason == "申请人撤回申请"


# --- Authentication and role permissions ------------------------------------------------------

LISTS = [
    "parties",
    "cases",
    "consultations",
    "meetings",
    "objections",
    "measures",
    "field-actions",
    "ticket-requests",
    "campaigns",
]


@pytest.mark.parametrize("resource", LISTS)
def test_unauthenticated_requests_are_refused(resource, court_a):
    client = APIClient()
    assert client.get(f"{API}/{resource}/").status_code in (401, 403)
    assert client.post(f"{API}/{resource}/", {}, format="json").status_code in (401, 403)
    assert client.get(f"{API}/{resource}/1/").status_code in (401, 403)


def test_reads_need_the_view_permission(court_a, staff, case):
    finance = client_for(staff[Role.FINANCE])
    assert finance.get(f"{API}/cases/").status_code == 200
    assert finance.get(f"{API}/consultations/").status_code == 403
    assert finance.get(f"{API}/measures/").status_code == 403
    investigator = client_for(staff[Role.INVESTIGATOR])
    assert investigator.get(f"{API}/cases/{case.pk}/").status_code == 200
    assert (
        investigator.post(
            f"{API}/cases/{case.pk}/close/", {"mode": "withdrawn", "reason": "x"}, format="json"
        ).status_code
        == 403
    )
    nobody = client_for(UserFactory(username="no_role", court=court_a))
    assert nobody.get(f"{API}/parties/").status_code == 403


# --- Query counts of every list ----------------------------------------------------------------


def one_of_each(court, staff, applicant, respondent) -> SimpleNamespace:
    """A case of ``court`` with one record of every kind around it."""
    judge, chief = staff[Role.JUDGE], staff[Role.BUREAU_CHIEF]
    case = file_case(court, judge, applicant, respondent, assistants=[staff[Role.CLERK]])
    consultation = services.record_consultation(
        case=case,
        user=judge,
        held_on=dt.date(2016, 7, 15),
        participants=[judge, chief],
        findings="无财产",
        next_steps="继续查控",
    )
    meeting = services.convene_meeting(
        court=court, user=chief, held_on=dt.date(2016, 8, 1), attendees=[chief, judge]
    )
    item = services.put_on_agenda(meeting=meeting, case=case, user=chief, matter="处置房产")
    objection = services.file_objection(
        case=case,
        user=judge,
        objector_name="赵六",
        contested_act="查封",
        filed_on=dt.date(2016, 5, 10),
    )
    measure = services.decide_measure(
        case=case,
        user=judge,
        kind="fine",
        subject=respondent,
        reason="拒不报告财产",
        decided_on=dt.date(2016, 6, 1),
        fine_amount=Decimal("50000"),
    )
    field_action = services.record_field_action(
        case=case,
        user=judge,
        kind="visit",
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        place="某某路",
        participants="王法官",
        photos=[png_upload()],
    )
    travel = services.request_travel(
        case=case,
        user=judge,
        destination="温州市",
        purpose="查封",
        depart_on=dt.date(2016, 6, 10),
        return_on=dt.date(2016, 6, 11),
        travellers=[judge],
    )
    services.decide_travel(travel=travel, user=chief, approve=True)
    extension = services.request_extension(case=case, user=judge, months=1, reason="拍卖")
    campaign = services.create_campaign(
        court=court,
        user=chief,
        name="专项活动",
        starts_on=dt.date(2016, 1, 1),
        ends_on=dt.date(2016, 12, 31),
        categories=["financial"],
    )
    return SimpleNamespace(
        case=case,
        party=applicant,
        respondent=respondent,
        consultation=consultation,
        meeting=meeting,
        item=item,
        objection=objection,
        measure=measure,
        field_action=field_action,
        travel=travel,
        extension=extension,
        campaign=campaign,
        judge=judge,
        chief=chief,
    )


@pytest.mark.parametrize("resource", [name for name in LISTS if name != "campaigns"])
def test_list_query_counts_do_not_grow(resource, court_a, staff, applicant, respondent):
    """Campaigns are left out: each one's figures are counted by its own queries."""

    def count_queries() -> tuple[int, int]:
        client = client_for(User.objects.get(pk=staff[Role.JUDGE].pk))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/{resource}/")
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    one_of_each(court_a, staff, applicant, respondent)
    one, listed_one = count_queries()
    for _ in range(3):
        one_of_each(court_a, staff, applicant, respondent)
    four, listed_four = count_queries()
    assert listed_four > listed_one or resource == "parties"
    assert four == one


# --- Court isolation on every endpoint --------------------------------------------------------


@pytest.fixture
def world(court_a, staff, applicant, respondent):
    """One record of every kind in court A."""
    return one_of_each(court_a, staff, applicant, respondent)


@pytest.fixture
def court_b_side(court_b, judge_b):
    """Court B's people with every role the court-A endpoints need, and a case of its own."""

    def person(role: Role) -> User:
        return UserFactory(username=f"b_{role.value}", court=court_b, roles=[role])

    ticket_clerk = person(Role.CLERK)
    ticket_clerk.user_permissions.add(Permission.objects.get(codename="buy_tickets"))
    chief = person(Role.BUREAU_CHIEF)
    applicant_b = services.register_party(court=court_b, kind="person", name="吴十")
    respondent_b = services.register_party(court=court_b, kind="organisation", name="上城某公司")
    case_b = file_case(court_b, judge_b, applicant_b, respondent_b)
    meeting_b = services.convene_meeting(
        court=court_b, user=chief, held_on=dt.date(2016, 8, 1), attendees=[chief, judge_b]
    )
    travel_b = services.request_travel(
        case=case_b,
        user=judge_b,
        destination="金华市",
        purpose="送达",
        depart_on=dt.date(2016, 6, 10),
        return_on=dt.date(2016, 6, 10),
        travellers=[judge_b],
    )
    services.decide_travel(travel=travel_b, user=chief, approve=True)
    return SimpleNamespace(
        judge=judge_b,
        president=person(Role.PRESIDENT),
        chief=chief,
        ticket_clerk=ticket_clerk,
        applicant=applicant_b,
        respondent=respondent_b,
        case=case_b,
        meeting=meeting_b,
        travel=travel_b,
    )


def test_other_court_sees_empty_lists(world, court_b_side):
    client = client_for(court_b_side.judge)
    for resource in LISTS:
        response = client.get(f"{API}/{resource}/")
        assert response.status_code == 200, resource
        rows = response.json()["results"]
        ids = {row["id"] for row in rows}
        own = {
            "parties": {court_b_side.applicant.pk, court_b_side.respondent.pk},
            "cases": {court_b_side.case.pk},
            "meetings": {court_b_side.meeting.pk},
            "ticket-requests": {court_b_side.travel.pk},
        }.get(resource, set())
        assert ids == own, resource
    # and court A sees its own
    assert client_for(world.judge).get(f"{API}/cases/").json()["count"] == 1


def test_other_court_gets_404_on_every_detail(world, court_b_side):
    client = client_for(court_b_side.judge)
    for url in [
        f"parties/{world.party.pk}/",
        f"cases/{world.case.pk}/",
        f"cases/{world.case.pk}/timeline/",
        f"consultations/{world.consultation.pk}/",
        f"meetings/{world.meeting.pk}/",
        f"objections/{world.objection.pk}/",
        f"measures/{world.measure.pk}/",
        f"field-actions/{world.field_action.pk}/",
        f"ticket-requests/{world.travel.pk}/",
        f"campaigns/{world.campaign.pk}/",
    ]:
        response = client.get(f"{API}/{url}")
        assert response.status_code == 404, url
        assert "detail" in response.json()


def test_other_court_gets_404_on_every_action(world, court_b_side):
    b = court_b_side
    case = world.case.pk
    attempts = [
        (b.judge, f"cases/{case}/close/", {"mode": "withdrawn", "reason": "x"}),
        (b.judge, f"cases/{case}/extend/", {"months": 1, "reason": "x"}),
        (b.president, f"cases/{case}/extensions/{world.extension.pk}/decide/", {"approve": True}),
        (b.judge, f"cases/{case}/resume/", {"reason": "x"}),
        (b.judge, f"cases/{case}/milestones/", {"milestone": "blacklisted_on", "on": "2016-05-01"}),
        (b.judge, f"cases/{case}/no-blacklist-grounds/", {}),
        (b.judge, f"cases/{case}/suspend/", {"suspended": True, "reason": "x"}),
        (b.judge, f"cases/{case}/performance/", {"amount": "1", "note": "x"}),
        (b.judge, f"cases/{case}/disposals/", {"description": "x", "amount": "1"}),
        (b.chief, f"meetings/{world.meeting.pk}/agenda/", {"case": b.case.pk, "matter": "x"}),
        (
            b.chief,
            f"meetings/{world.meeting.pk}/decisions/{world.item.pk}/decide/",
            {"decision": "approved", "votes_for": 2, "votes_against": 0},
        ),
        (
            b.chief,
            f"meetings/{b.meeting.pk}/decisions/{world.item.pk}/decide/",
            {"decision": "approved", "votes_for": 2, "votes_against": 0},
        ),
        (
            b.judge,
            f"objections/{world.objection.pk}/rule/",
            {"ruling": "sustained", "reason": "x", "ruled_on": "2016-05-12"},
        ),
        (b.president, f"measures/{world.measure.pk}/approve/", {}),
        (b.judge, f"measures/{world.measure.pk}/review/", {"requested_on": "2016-06-02"}),
        (
            b.judge,
            f"measures/{world.measure.pk}/family-notice/",
            {"notified_at": timezone.now().isoformat()},
        ),
        (b.chief, f"ticket-requests/{world.travel.pk}/decide/", {"approve": False}),
        (
            b.ticket_clerk,
            f"ticket-requests/{world.travel.pk}/tickets/",
            {"traveller": world.judge.pk, "mode": "train", "reference": "G1",
             "travel_on": "2016-06-10", "price": "10"},
        ),
    ]  # fmt: skip
    for user, url, body in attempts:
        response = client_for(user).post(f"{API}/{url}", body, format="json")
        assert response.status_code == 404, (url, response.status_code, response.json())

    world.case.refresh_from_db()
    assert world.case.status == EnforcementCase.Status.FILED
    assert world.case.disposals.count() == 0
    assert world.measure.__class__.objects.get(pk=world.measure.pk).approved_by is None
    assert world.travel.tickets.count() == 0
    assert world.meeting.decisions.count() == 1


def test_other_court_cannot_reference_ids_in_bodies(world, court_b_side):
    b = court_b_side
    judge = client_for(b.judge)

    def refused(client, url, body, field):
        response = client.post(f"{API}/{url}", body, format="json")
        assert response.status_code == 400, (url, response.json())
        assert field in response.json()["fields"], (url, response.json())

    refused(judge, "cases/", filing(b.judge, world.party, b.respondent), "parties")
    refused(judge, "cases/", filing(world.judge, b.applicant, b.respondent), "judge")
    refused(
        judge,
        "cases/",
        filing(b.judge, b.applicant, b.respondent, assistants=[world.judge.pk]),
        "assistants",
    )
    refused(
        judge,
        "consultations/",
        {"case": world.case.pk, "held_on": "2016-07-01", "participants": [b.judge.pk],
         "findings": "x", "next_steps": "y"},
        "case",
    )  # fmt: skip
    refused(
        judge,
        "consultations/",
        {"case": b.case.pk, "held_on": "2016-07-01", "participants": [world.judge.pk],
         "findings": "x", "next_steps": "y"},
        "participants",
    )  # fmt: skip
    refused(
        judge,
        "objections/",
        {"case": world.case.pk, "objector_name": "x", "contested_act": "y",
         "filed_on": "2016-05-01"},
        "case",
    )  # fmt: skip
    refused(
        judge,
        "objections/",
        {"case": b.case.pk, "objector_party": world.party.pk, "objector_name": "x",
         "contested_act": "y", "filed_on": "2016-05-01"},
        "objector_party",
    )  # fmt: skip
    refused(
        judge,
        "measures/",
        {"case": world.case.pk, "kind": "fine", "subject": world.respondent.pk,
         "fine_amount": "50000", "reason": "x", "decided_on": "2016-06-01"},
        "subject",
    )  # fmt: skip
    refused(
        judge,
        "field-actions/",
        {"case": world.case.pk, "kind": "visit", "occurred_at": "2016-05-01T10:00:00+08:00",
         "place": "x", "participants": "y"},
        "case",
    )  # fmt: skip
    refused(
        judge,
        "ticket-requests/",
        {"case": world.case.pk, "destination": "x", "purpose": "y", "depart_on": "2016-06-01",
         "return_on": "2016-06-02", "travellers": [world.judge.pk]},
        "case",
    )  # fmt: skip
    refused(
        judge,
        "ticket-requests/",
        {"case": b.case.pk, "destination": "x", "purpose": "y", "depart_on": "2016-06-01",
         "return_on": "2016-06-02", "travellers": [world.judge.pk]},
        "travellers",
    )  # fmt: skip
    chief = client_for(b.chief)
    refused(
        chief, "meetings/", {"held_on": "2016-08-01", "attendees": [world.chief.pk]}, "attendees"
    )
    refused(
        chief, f"meetings/{b.meeting.pk}/agenda/", {"case": world.case.pk, "matter": "x"}, "case"
    )
    refused(
        client_for(b.ticket_clerk),
        f"ticket-requests/{b.travel.pk}/tickets/",
        {"traveller": world.judge.pk, "mode": "train", "reference": "G1",
         "travel_on": "2016-06-10", "price": "10"},
        "traveller",
    )  # fmt: skip

    # Filters refuse another court's ids too, instead of confirming them with an empty page.
    assert judge.get(f"{API}/consultations/?case={world.case.pk}").status_code == 400
    assert judge.get(f"{API}/cases/?judge={world.judge.pk}").status_code == 400
    assert world.case.consultations.count() == 1
    assert EnforcementCase.objects.filter(court=b.case.court).count() == 1


def test_unknown_and_malformed_ids_in_urls_are_404(as_judge, case):
    for url in [
        f"{API}/cases/abc/",
        f"{API}/cases/{10**30}/",
        f"{API}/cases/{case.pk + 1000}/close/",
        f"{API}/parties/-1/",
    ]:
        response = as_judge.get(url) if "close" not in url else as_judge.post(url, {})
        assert response.status_code == 404, url


def test_parties_join_a_filed_case(as_judge, case, court_a, court_b, person_respondent):
    third = services.register_party(court=court_a, kind=Party.Kind.PERSON, name="案外人赵六")
    url = f"{API}/cases/{case.pk}/parties/"
    joined = as_judge.post(url, {"party": third.pk, "role": "third_party"}, format="json")
    assert joined.status_code == 201, joined.json()
    assert case.parties.filter(party=third, role="third_party").exists()
    unpaid = as_judge.post(url, {"party": person_respondent.pk, "role": "applicant"}, format="json")
    assert unpaid.status_code == 400
    assert "payee_account_number" in unpaid.json()["fields"]
    elsewhere = services.register_party(court=court_b, kind=Party.Kind.PERSON, name="外院当事人")
    hidden = as_judge.post(url, {"party": elsewhere.pk, "role": "third_party"}, format="json")
    assert hidden.status_code == 400 and "party" in hidden.json()["fields"]


def test_reassign_through_the_api(case, staff, court_a):
    from rest_framework.test import APIClient

    new_judge = UserFactory(court=court_a, roles=[Role.JUDGE])
    client = APIClient()
    client.force_authenticate(staff[Role.BUREAU_CHIEF])
    url = f"{API}/cases/{case.pk}/reassign/"
    response = client.post(url, {"judge": new_judge.pk, "reason": "调岗"}, format="json")
    assert response.status_code == 200, response.json()
    assert (
        response.json()["judge"] == new_judge.pk or response.json()["judge"]["id"] == new_judge.pk
    )
    not_a_judge = client.post(url, {"judge": staff[Role.CLERK].pk, "reason": "x"}, format="json")
    assert not_a_judge.status_code == 400 and "judge" in not_a_judge.json()["fields"]

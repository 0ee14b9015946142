"""The debtors API (财产查控): requests worked by the investigation group, searches, findings,
freezes with their deadlines, deductions; court visibility and role permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from casefunds.models import yuan
from courtexec.roles import Role
from debtors import services
from debtors.models import AssetClass, Finding, Freeze, InvestigationRequest
from tests.debtors.conftest import respondent_of
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/debtors"
REQUESTS = f"{API}/investigation-requests/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ask(client, case, classes=("bank_deposit",), **extra):
    body = {
        "case": case.pk,
        "respondent": respondent_of(case).pk,
        "asset_classes": list(classes),
        **extra,
    }
    return client.post(REQUESTS, body, format="json")


# --- Investigation requests -------------------------------------------------------------------


def test_the_investigation_group_works_the_queue(
    case, second_case, judge, investigators, rotation, travel
):
    on_duty, colleague = investigators[0], investigators[1]
    created = ask(client_for(judge), case, ["bank_deposit", "vehicle"])
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "assigned"
    assert data["assigned_to"] == on_duty.pk
    assert data["missing_classes"] == ["bank_deposit", "vehicle"]
    assert data["case_number"] == case.number

    group = client_for(colleague)
    queue = group.get(f"{REQUESTS}queue/")
    assert queue.status_code == 200
    assert [r["id"] for r in queue.json()["results"]] == [data["id"]]

    taken = group.post(f"{REQUESTS}{data['id']}/take/")
    assert taken.status_code == 200, taken.content
    assert taken.json()["assigned_to"] == colleague.pk

    done = group.post(f"{REQUESTS}{data['id']}/perform/")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    assert done.json()["missing_classes"] == []
    assert len(done.json()["searches"]) == 2
    assert group.get(f"{REQUESTS}queue/").json()["results"] == []
    again = group.post(f"{REQUESTS}{data['id']}/perform/")  # safe to repeat
    assert again.status_code == 200
    assert sorted(again.json()["searches"]) == sorted(done.json()["searches"])

    searches = client_for(judge).get(f"{API}/searches/", {"asset_class": "bank_deposit"}).json()
    (search,) = searches["results"]
    assert search["findings"], "the sandbox bank finds accounts"
    finding = Finding.objects.get(pk=search["findings"][0]["id"])
    assert search["findings"][0]["value"] == str(yuan(finding.value))

    # The second case of the same respondent reuses the searches: done at once.
    reused = ask(client_for(judge), second_case, ["bank_deposit"])
    assert reused.status_code == 201
    assert reused.json()["status"] == "done"
    assert reused.json()["searches"] == [search["id"]]

    # Unless a reason is given: a new request that searches anew.
    forced = client_for(judge).post(
        f"{REQUESTS}{reused.json()['id']}/force/", {"reason": "账户近日有大额入账"}, format="json"
    )
    assert forced.status_code == 201, forced.content
    assert forced.json()["status"] == "assigned"
    assert forced.json()["force_reason"] == "账户近日有大额入账"
    assert forced.json()["searches"] == []
    blank = client_for(judge).post(
        f"{REQUESTS}{reused.json()['id']}/force/", {"reason": "  "}, format="json"
    )
    assert blank.status_code == 400
    assert "reason" in blank.json()["fields"]

    listed = client_for(judge).get(REQUESTS, {"status": "done", "case": second_case.pk}).json()
    assert [r["id"] for r in listed["results"]] == [reused.json()["id"]]
    mine = client_for(judge).get(REQUESTS, {"assigned_to": on_duty.pk}).json()
    assert [r["id"] for r in mine["results"]] == [forced.json()["id"]]


def test_request_errors_and_roles(case, judge, staff, investigator, rotation, travel):
    judge_client = client_for(judge)
    bad = ask(judge_client, case, ["gold_bars"])
    assert bad.status_code == 400
    assert "asset_classes" in bad.json()["fields"]
    applicant_link = case.parties.exclude(pk=respondent_of(case).pk).get()
    not_respondent = judge_client.post(
        REQUESTS,
        {"case": case.pk, "respondent": applicant_link.pk, "asset_classes": ["vehicle"]},
        format="json",
    )
    assert not_respondent.status_code == 400
    assert "respondent" in not_respondent.json()["fields"]

    created = ask(judge_client, case).json()
    # A judge asks but does not search or take requests.
    assert judge_client.post(f"{REQUESTS}{created['id']}/perform/").status_code == 403
    assert judge_client.post(f"{REQUESTS}{created['id']}/take/").status_code == 403

    finance = client_for(staff[Role.FINANCE])
    assert finance.get(REQUESTS).status_code == 403
    assert finance.get(f"{REQUESTS}{created['id']}/").status_code == 403
    assert ask(finance, case).status_code == 403
    assert finance.get(f"{API}/freezes/").status_code == 403
    assert finance.get(f"{API}/findings/").status_code == 403


def test_other_court_sees_nothing(case, judge, judge_b, court_b, bank_finding):
    request = InvestigationRequest.objects.get()
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    other = client_for(judge_b)
    for path in ["investigation-requests", "searches", "findings", "freezes", "rotations"]:
        assert other.get(f"{API}/{path}/").json()["results"] == [], path
    assert other.get(f"{REQUESTS}{request.pk}/").status_code == 404
    assert other.post(f"{REQUESTS}{request.pk}/force/", {"reason": "x"}).status_code == 404
    assert other.get(f"{API}/findings/{bank_finding.pk}/").status_code == 404
    assert other.post(f"{API}/freezes/{freeze.pk}/renew/").status_code == 404
    assert other.post(f"{API}/freezes/{freeze.pk}/release/").status_code == 404
    refused = ask(other, case)
    assert refused.status_code == 400  # another court's case is unknown
    assert other.get(REQUESTS, {"case": case.pk}).status_code == 400
    assert other.get(f"{API}/rotations/{case.court.investigator_rotation.pk}/").status_code == 404
    investigator_b = UserFactory(username="b_inv", court=court_b, roles=[Role.INVESTIGATOR])
    assert client_for(investigator_b).post(f"{REQUESTS}{request.pk}/perform/").status_code == 404
    freeze.refresh_from_db()
    assert freeze.released_on is None


# --- Rotations --------------------------------------------------------------------------------


def test_rotation_is_set_by_a_chief(court_a, staff, investigators, rotation):
    chief = client_for(staff[Role.BUREAU_CHIEF])
    listed = chief.get(f"{API}/rotations/").json()["results"]
    assert [m["user"] for m in listed[0]["members"]] == [u.pk for u in investigators]

    body = {
        "members": [u.pk for u in reversed(investigators)],
        "period_days": 14,
        "start_date": "2026-04-06",
    }
    changed = chief.put(f"{API}/rotations/{rotation.pk}/", body, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["period_days"] == 14
    assert [m["user"] for m in changed.json()["members"]] == body["members"]
    again = chief.post(f"{API}/rotations/", {**body, "period_days": 3}, format="json")
    assert again.status_code == 201
    assert again.json()["id"] == rotation.pk

    wrong = chief.put(
        f"{API}/rotations/{rotation.pk}/",
        {**body, "members": [staff[Role.JUDGE].pk]},
        format="json",
    )
    assert wrong.status_code == 400
    assert "members" in wrong.json()["fields"]
    assert chief.put(f"{API}/rotations/{rotation.pk}/", {**body, "period_days": 0}, format="json")
    judge = client_for(staff[Role.JUDGE])
    assert judge.put(f"{API}/rotations/{rotation.pk}/", body, format="json").status_code == 403
    assert judge.post(f"{API}/rotations/", body, format="json").status_code == 403
    assert judge.get(f"{API}/rotations/").status_code == 200


# --- Findings, freezes, deductions ------------------------------------------------------------


def test_freeze_renew_deduct_and_release(case, judge, investigator, bank_finding, travel):
    client = client_for(judge)
    frozen = client.post(
        f"{API}/findings/{bank_finding.pk}/freeze/", {"case": case.pk}, format="json"
    )
    assert frozen.status_code == 201, frozen.content
    freeze = frozen.json()
    assert freeze["kind"] == "freeze"
    assert (freeze["from_date"], freeze["to_date"]) == ("2026-03-02", "2027-03-01")
    assert freeze["amount"] == str(yuan(bank_finding.value))
    assert freeze["active"] and not freeze["expired"]
    again = client.post(
        f"{API}/findings/{bank_finding.pk}/freeze/", {"case": case.pk}, format="json"
    )
    assert again.status_code == 400
    assert client.get(f"{API}/findings/{bank_finding.pk}/").json()["status"] == "frozen"

    renewed = client_for(investigator).post(f"{API}/freezes/{freeze['id']}/renew/")
    assert renewed.status_code == 200, renewed.content
    assert renewed.json()["to_date"] == "2028-03-01"
    assert [r["new_to"] for r in renewed.json()["renewals"]] == ["2028-03-01"]

    too_much = client.post(
        f"{API}/freezes/{freeze['id']}/deduct/",
        {"amount": str(yuan(bank_finding.value + 1))},
        format="json",
    )
    assert too_much.status_code == 400
    assert (
        client.post(
            f"{API}/freezes/{freeze['id']}/deduct/", {"amount": 100.5}, format="json"
        ).status_code
        == 400
    )  # a JSON number is refused: yuan go as strings
    deducted = client.post(
        f"{API}/freezes/{freeze['id']}/deduct/", {"amount": "100.00"}, format="json"
    )
    assert deducted.status_code == 201, deducted.content
    assert deducted.json()["amount"] == "100.00"
    assert client.get(f"{API}/deductions/").json()["results"][0]["id"] == deducted.json()["id"]

    released = client.post(f"{API}/freezes/{freeze['id']}/release/")
    assert released.status_code == 200
    assert released.json()["released_on"] == "2026-03-02"
    assert client.post(f"{API}/freezes/{freeze['id']}/release/").status_code == 400


def test_seizure_of_real_estate(case, judge, investigator, rotation, travel):
    request = services.request_investigation(
        case=case,
        respondent=respondent_of(case),
        asset_classes=[AssetClass.REAL_ESTATE],
        user=judge,
    )
    services.perform_searches(request=request, user=investigator)
    finding = Finding.objects.create(
        search=request.searches.get(),
        asset_class=AssetClass.REAL_ESTATE,
        institution="杭州市不动产登记中心",
        identifier="浙(2015)杭州市不动产权第0001号",
        value=300_000_00,
    )
    far = client_for(judge).post(
        f"{API}/findings/{finding.pk}/freeze/",
        {"case": case.pk, "kind": "seizure", "from_date": "9999-12-31"},
        format="json",
    )
    assert far.status_code == 400
    assert "from_date" in far.json()["fields"]
    seized = client_for(judge).post(
        f"{API}/findings/{finding.pk}/freeze/",
        {"case": case.pk, "kind": "seizure"},
        format="json",
    )
    assert seized.status_code == 201, seized.content
    assert seized.json()["to_date"] == "2029-03-01"
    assert client_for(judge).get(f"{API}/findings/{finding.pk}/").json()["status"] == "seized"


def test_expiring_and_expired_filters(case, judge, bank_finding, travel):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    client = client_for(judge)

    def ids(**params):
        response = client.get(f"{API}/freezes/", params)
        assert response.status_code == 200, response.content
        return [f["id"] for f in response.json()["results"]]

    assert ids() == [freeze.pk]
    assert ids(expiring=30) == []
    assert ids(expired="true") == []
    travel.move_to(dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC))
    assert ids(expiring=30) == [freeze.pk]
    assert ids(expiring=7) == []
    travel.move_to(dt.datetime(2027, 3, 2, 12, tzinfo=dt.UTC))
    assert ids(expiring=30) == []
    assert ids(expired="true") == [freeze.pk]
    assert ids(expired="false") == []
    for bad in ["-1", "abc", "1.5", "99999999999"]:
        assert client.get(f"{API}/freezes/", {"expiring": bad}).status_code == 400, bad
    refused = client.post(f"{API}/freezes/{freeze.pk}/renew/")
    assert refused.status_code == 400
    assert Freeze.objects.get().to_date == dt.date(2027, 3, 1)


# --- Query counts -----------------------------------------------------------------------------


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def test_lists_take_a_constant_number_of_queries(
    court_a, case, judge, applicant, respondent, investigator, bank_finding
):
    services.freeze(finding=bank_finding, case=case, user=judge)
    services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=["ship"], user=judge
    )
    client = client_for(judge)
    paths = [REQUESTS, f"{REQUESTS}queue/", f"{API}/searches/", f"{API}/findings/",
             f"{API}/freezes/", f"{API}/deductions/", f"{API}/rotations/"]  # fmt: skip
    before = {path: _count(client, path) for path in paths}
    for n in range(3):
        other = file_case(
            court_a, judge, applicant, respondent, instrument_number=f"(2016)浙0103民初3{n}号"
        )
        request = services.request_investigation(
            case=other,
            respondent=respondent_of(other),
            asset_classes=[AssetClass.BANK_DEPOSIT, AssetClass.VEHICLE],
            user=judge,
            force_reason="新线索",
        )
        services.perform_searches(request=request, user=investigator)
        services.request_investigation(
            case=other, respondent=respondent_of(other), asset_classes=["ship"], user=judge
        )
        finding = request.searches.get(asset_class=AssetClass.BANK_DEPOSIT).findings.first()
        freeze = services.freeze(finding=finding, case=other, user=judge)
        services.renew_freeze(freeze=freeze, user=judge)
    assert {path: _count(client, path) for path in paths} == before

"""The list's own API (/api/v1/debtors/): entries through their states, corrections, deletion
tasks, restriction orders and exemptions, exposure records; 400 / 403 / 404 / 409."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook
from rest_framework.test import APIClient

from courtexec.roles import Role
from debtors import services
from debtors.models import BlacklistEntry, DeletionTask, ExposureRecord, RestrictionOrder
from tests.debtors.conftest import respondent_of
from tests.debtors.listing import DECIDED, NOW, publish
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/debtors"
ENTRIES = f"{API}/blacklist-entries/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def travel():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def president(staff):
    return staff[Role.PRESIDENT]


def proposal(case, **extra) -> dict:
    return {
        "case": case.pk,
        "respondent": respondent_of(case).pk,
        "grounds": [3],
        "facts": "转移财产规避执行",
        "decision_number": "(2026)浙0103执100号之一",
        "decided_on": DECIDED.isoformat(),
        **extra,
    }


def test_an_entry_through_its_states(case, judge, president):
    officer, chief = client_for(judge), client_for(president)
    created = officer.post(ENTRIES, proposal(case, grounds=[3, 2]), format="json")
    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry["status"] == "proposed" and entry["grounds"] == [2, 3]
    assert entry["ends_on"] == "2028-03-02"
    url = f"{ENTRIES}{entry['id']}/"
    # The proposer may not approve (403: role); the president does.
    assert officer.post(f"{url}approve/").status_code == 403
    assert chief.post(f"{url}approve/").json()["status"] == "approved"
    assert officer.post(f"{url}serve/", {"served_on": "2026-03-02"}).status_code == 200
    published = officer.post(f"{url}publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    # Publishing issued the restriction order.
    orders = officer.get(f"{API}/restriction-orders/", {"in_force": "true"}).json()
    assert orders["count"] == 1 and orders["results"][0]["entry"] == entry["id"]
    # Obstruction by violence (ground 2) may be extended, by the president.
    assert officer.post(f"{url}extend/", {"years": 1, "reason": "x"}).status_code == 403
    extended = chief.post(f"{url}extend/", {"years": 1, "reason": "情节严重"}, format="json")
    assert extended.status_code == 200, extended.content
    assert extended.json()["ends_on"] == "2029-03-02" and len(extended.json()["extensions"]) == 1
    listed = officer.get(ENTRIES, {"status": "published", "ground": 3}).json()
    assert [e["id"] for e in listed["results"]] == [entry["id"]]
    assert officer.get(ENTRIES, {"ground": 1}).json()["count"] == 0


def test_proposal_errors_are_400_with_field_messages(case, judge, court_a, applicant):
    officer = client_for(judge)
    missing = officer.post(ENTRIES, {"case": case.pk}, format="json")
    assert missing.status_code == 400
    assert {"respondent", "grounds", "facts", "decision_number", "decided_on"} <= set(
        missing.json()["fields"]
    )
    bad_ground = officer.post(ENTRIES, proposal(case, grounds=[9]), format="json")
    assert bad_ground.status_code == 400 and "grounds" in bad_ground.json()["fields"]
    # Ground 1 without the officer's assessment: refused by the rules, with its code.
    refused = officer.post(ENTRIES, proposal(case, grounds=[1]), format="json")
    assert refused.status_code == 400
    assert refused.json()["field_codes"]["grounds"] == ["assessment_missing"]
    with_assessment = proposal(
        case,
        grounds=[1],
        assessment={
            "assessed_by": "王法官",
            "assessed_on": "2026-03-02",
            "security_given": True,
            "frozen_property_value": "0.00",
        },
    )
    refused = officer.post(ENTRIES, with_assessment, format="json")
    assert refused.status_code == 400
    assert refused.json()["field_codes"]["grounds"] == ["security_given"]
    assert BlacklistEntry.objects.count() == 0


def test_state_conflicts_are_409(case, judge, president):
    officer = client_for(judge)
    entry = officer.post(ENTRIES, proposal(case), format="json").json()
    url = f"{ENTRIES}{entry['id']}/"
    again = officer.post(ENTRIES, proposal(case), format="json")
    assert again.status_code == 409 and again.json()["code"] == "listed"
    early = officer.post(f"{url}publish/")
    assert early.status_code == 409 and early.json()["code"] == "wrong_state"
    record = officer.post(
        f"{API}/exposures/",
        {"entry": entry["id"], "channel": "newspaper", "outlet": "杭州日报"},
        format="json",
    )
    assert record.status_code == 409 and record.json()["code"] == "not_published"
    client_for(president).post(f"{url}approve/")
    assert client_for(president).post(f"{url}approve/").status_code == 409
    officer.post(f"{url}publish/")
    deleted = officer.post(
        f"{url}delete/", {"ground": "performed", "arose_on": "2026-03-02"}, format="json"
    )
    # A two-year entry is deleted when its period expires, not on performance: 400 on the ground.
    assert deleted.status_code == 400 and deleted.json()["code"] == "ground_not_applicable"


def test_delete_withdraws_exposures_and_only_visible_entries(
    court_a, court_b, judge, president, person_respondent, applicant
):
    case = file_case(court_a, judge, applicant, person_respondent)
    entry = publish(case, judge, president, until_deleted=True)
    officer = client_for(judge)
    recorded = officer.post(
        f"{API}/exposures/",
        {"entry": entry.pk, "channel": "notice_board", "outlet": "朝晖街道公告栏"},
        format="json",
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["is_open"] is True
    duplicate = officer.post(
        f"{API}/exposures/",
        {"entry": entry.pk, "channel": "notice_board", "outlet": "朝晖街道公告栏"},
        format="json",
    )
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "already_exposed"
    bad = officer.post(f"{API}/exposures/", {"entry": entry.pk, "channel": "sky"}, format="json")
    assert bad.status_code == 400 and {"channel", "outlet"} <= set(bad.json()["fields"])
    # Another court's judge sees nothing and cannot refer to the entry.
    outsider = client_for(UserFactory(username="b_judge", court=court_b, roles=[Role.JUDGE]))
    assert outsider.get(f"{ENTRIES}{entry.pk}/").status_code == 404
    assert outsider.get(f"{API}/exposures/").json()["count"] == 0
    assert outsider.post(f"{ENTRIES}{entry.pk}/delete/", {}).status_code == 404
    # Finance may not read the list at all.
    assert (
        client_for(UserFactory(username="a_fin2", court=court_a, roles=[Role.FINANCE]))
        .get(ENTRIES)
        .status_code
        == 403
    )
    deleted = officer.post(
        f"{ENTRIES}{entry.pk}/delete/",
        {"ground": "applicant_request", "arose_on": "2026-03-02"},
        format="json",
    )
    assert deleted.status_code == 200 and deleted.json()["status"] == "deleted"
    open_now = officer.get(f"{API}/exposures/", {"open": "true"}).json()
    assert open_now["count"] == 0
    closed = officer.get(f"{API}/exposures/", {"open": "false"}).json()["results"][0]
    assert closed["withdrawn_on"] == "2026-03-02"
    assert officer.post(f"{ENTRIES}{entry.pk}/delete/", {"ground": "applicant_request",
                        "arose_on": "2026-03-02"}).status_code == 409  # fmt: skip


def test_withdraw_and_national_export(court_a, judge, president, person_respondent, applicant):
    case = file_case(court_a, judge, applicant, person_respondent)
    entry = publish(case, judge, president, until_deleted=True)
    officer = client_for(judge)
    record = services.record_exposure(
        entry=entry, channel=ExposureRecord.Channel.FORUM, outlet="19楼", user=judge
    )
    url = f"{API}/exposures/{record.pk}/withdraw/"
    assert officer.post(url, {}).status_code == 400
    assert officer.post(url, {"reason": "撤帖"}).json()["withdrawn_on"] == "2026-03-02"
    assert officer.post(url, {"reason": "撤帖"}).status_code == 409
    assert client_for(president).post(url, {"reason": "x"}).status_code == 403
    export = officer.post(f"{API}/exposures/national-export/", {"format": "xlsx"})
    assert export.status_code == 200 and export["X-Recorded"] == "1"
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert len(rows) == 2 and rows[1][0] == "王五"
    assert officer.post(f"{API}/exposures/national-export/", {"format": "pdf"}).status_code == 400
    assert client_for(president).post(f"{API}/exposures/national-export/").status_code == 403
    listed = officer.get(f"{API}/exposures/", {"channel": "national_database"}).json()
    assert listed["count"] == 1 and listed["results"][0]["is_open"]


def test_corrections_through_the_api(case, judge, president):
    entry = publish(case, judge, president)
    officer = client_for(judge)
    filed = officer.post(
        f"{ENTRIES}{entry.pk}/corrections/",
        {"ground": "inaccurate", "statement": "名称有误", "received_on": "2026-03-02"},
    )
    assert filed.status_code == 201, filed.content
    assert filed.json()["review_due_on"] == "2026-03-17"
    url = f"{API}/correction-requests/{filed.json()['id']}/"
    assert officer.post(f"{url}correct/").status_code == 409  # not yet upheld
    bad = officer.post(f"{url}review/", {"upheld": True, "reviewed_on": "2026-03-01"})
    assert bad.status_code == 400 and "reviewed_on" in bad.json()["fields"]
    reviewed = officer.post(f"{url}review/", {"upheld": True, "reviewed_on": "2026-03-02"})
    assert reviewed.json()["status"] == "upheld"
    assert officer.post(f"{url}review/", {"upheld": False, "reviewed_on": "2026-03-02"}
                        ).status_code == 409  # fmt: skip
    corrected = officer.post(f"{url}correct/")
    assert corrected.status_code == 200 and corrected.json()["corrected_at"]
    assert BlacklistEntry.objects.get(pk=entry.pk).status == BlacklistEntry.Status.CORRECTED


def test_deletion_tasks_and_the_overdue_filter(case, judge, president, travel):
    entry = publish(case, judge, president)
    travel.move_to(dt.datetime(2028, 3, 2, 9, 0, tzinfo=dt.UTC))
    assert services.raise_deletion_tasks() == 1
    officer = client_for(judge)
    tasks = officer.get(f"{API}/deletion-tasks/").json()
    assert tasks["count"] == 1 and tasks["results"][0]["entry"] == entry.pk
    assert tasks["results"][0]["overdue"] is False
    assert officer.get(f"{API}/deletion-tasks/", {"overdue": "true"}).json()["count"] == 0
    travel.move_to(dt.datetime(2028, 3, 20, 9, 0, tzinfo=dt.UTC))
    overdue = officer.get(f"{API}/deletion-tasks/", {"overdue": "true"}).json()
    assert overdue["count"] == 1 and overdue["results"][0]["overdue"] is True
    assert DeletionTask.objects.count() == 1


def test_manual_restriction_lift_and_exemptions(case, judge, president):
    officer = client_for(judge)
    body = {"case": case.pk, "respondent": respondent_of(case).pk, "actual_controller": "周八"}
    issued = officer.post(f"{API}/restriction-orders/", body, format="json")
    assert issued.status_code == 201, issued.content
    order = issued.json()
    assert {"role": "actual_controller", "name": "周八"} in order["bound_persons"]
    again = officer.post(f"{API}/restriction-orders/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "in_force"
    exemption = officer.post(
        f"{API}/restriction-exemptions/",
        {"order": order["id"], "item": "travel_class", "reason": "就医", "valid_from": "2026-03-05",
         "valid_to": "2026-03-04"},
    )  # fmt: skip
    assert exemption.status_code == 400 and "valid_to" in exemption.json()["fields"]
    exemption = officer.post(
        f"{API}/restriction-exemptions/",
        {"order": order["id"], "item": "travel_class", "reason": "就医", "valid_from": "2026-03-05",
         "valid_to": "2026-03-08"},
    )  # fmt: skip
    assert exemption.status_code == 201, exemption.content
    decide = f"{API}/restriction-exemptions/{exemption.json()['id']}/decide/"
    assert officer.post(decide, {"approve": True}).json()["status"] == "approved"
    assert officer.post(decide, {"approve": False}).status_code == 409
    lift = f"{API}/restriction-orders/{order['id']}/lift/"
    not_paid = officer.post(lift, {"reason": "full_performance"})
    assert not_paid.status_code == 400 and not_paid.json()["code"] == "not_performed"
    assert officer.post(lift, {"reason": "sky"}).status_code == 400
    lifted = officer.post(lift, {"reason": "applicant_consent", "note": "申请人书面同意"})
    assert lifted.status_code == 200 and lifted.json()["in_force"] is False
    assert officer.post(lift, {"reason": "applicant_consent", "note": "x"}).status_code == 409
    assert RestrictionOrder.objects.get(pk=order["id"]).lifted_on == dt.date(2026, 3, 2)
    assert client_for(president).post(f"{API}/restriction-orders/", body).status_code == 403


def test_schema_documents_the_list_api(judge):
    schema = client_for(judge).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/v1/debtors/blacklist-entries/",
        "/api/v1/debtors/blacklist-entries/{id}/delete/",
        "/api/v1/debtors/correction-requests/{id}/review/",
        "/api/v1/debtors/deletion-tasks/",
        "/api/v1/debtors/restriction-orders/{id}/lift/",
        "/api/v1/debtors/restriction-exemptions/{id}/decide/",
        "/api/v1/debtors/exposures/national-export/",
    ]:
        assert path in paths, path


@pytest.mark.parametrize("ground", ["99999999", "-1", "7", "x"])
def test_a_ground_filter_outside_the_six_is_a_400(judge, ground):
    response = client_for(judge).get("/api/v1/debtors/blacklist-entries/", {"ground": ground})
    assert response.status_code == 400
    assert "ground" in response.json()["fields"]

"""Callouts: reporting (deadline, shift, matching, notifications), each legal and illegal step,
the outcomes (a payment through casefunds' counter receipt, detention, promise, transfer), the
police liaison's narrow view, API errors, and the pages (board, intake, detail, hand-over print)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from casefunds.models import Account, Deposit
from casefunds.services import Conflict
from courtexec.models import Delivery, Notification
from courtexec.roles import Role
from debtors.models import BlacklistEntry
from enforcement.models import CaseParty, CoerciveMeasure
from standby import services
from standby.models import Callout
from tests.enforcement.fixtures import PERSON_ID, PERSON_ID_2
from tests.factories import UserFactory
from tests.standby.callout_fixtures import at, make_shift, report

pytest_plugins = ["tests.standby.callout_fixtures"]
pytestmark = pytest.mark.django_db

API = "/api/v1/standby/callouts/"
NIGHT = at(2026, 3, 10, 23, 0)


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def page(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def on_duty(court_a, team):
    return make_shift(court_a, team, at(2026, 3, 10, 8, 0))


@pytest.fixture
def night_callout(court_a, on_duty, liaison, person_case):
    with time_machine.travel(NIGHT, tick=False):
        return report(court_a, liaison, at(2026, 3, 10, 22, 40))


def walk(callout, user, until: str):
    steps = [
        ("acknowledged", services.acknowledge_callout),
        ("dispatched", services.dispatch_callout),
        ("handed_over", services.hand_over_callout),
    ]
    for status, step in steps:
        callout = step(callout=callout, user=user)
        if status == until:
            break
    return callout


# --- Reporting -------------------------------------------------------------------------------


def test_report_computes_deadline_records_shift_matches_and_notifies(
    night_callout, on_duty, team, person_case
):
    callout = night_callout
    assert callout.handover_deadline == at(2026, 3, 11, 8, 0)
    assert callout.shift == on_duty
    assert callout.matched_case == person_case
    assert callout.matched_party.id_number == PERSON_ID_2
    assert callout.reference.startswith("CJ260310-")
    assert [e.kind for e in callout.events.all()] == ["reported", "matched", "notified"]
    assert "¥120,000.00" in callout.events.get(kind="matched").note
    for person in team.values():
        assert Notification.objects.filter(recipient=person, kind="standby.callout").count() == 1
    phones = set(Delivery.objects.filter(kind="standby.callout").values_list("address", flat=True))
    assert phones == {"13900000011", "13900000012", "13900000013"}


def test_match_shows_blacklist_and_skips_concluded_and_other_courts(
    court_a, court_b, on_duty, liaison, person_case, judge
):
    from standby.selectors import match_person

    assert match_person(court_b, PERSON_ID_2).link is None
    assert match_person(court_a, PERSON_ID).link is None  # the applicant is not a respondent
    found = match_person(court_a, PERSON_ID_2)
    assert found.open_cases == (person_case,) and found.blacklisted is False
    link = CaseParty.objects.get(case=person_case, role=CaseParty.Role.RESPONDENT)
    BlacklistEntry.objects.filter(respondent=link).delete()
    entry = BlacklistEntry(
        case=person_case, respondent=link, grounds=[1], facts="拒不履行", decision_number="x",
        decided_on=dt.date(2026, 1, 5), proposed_by=judge, status=BlacklistEntry.Status.PUBLISHED,
    )  # fmt: skip
    entry.save()
    assert match_person(court_a, PERSON_ID_2).blacklisted is True


def test_day_catch_responds_within_the_window(court_a, on_duty, liaison):
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False), translation.override("en"):
        callout = report(court_a, liaison, at(2026, 3, 10, 9, 30), person_id_number="")
    assert callout.handover_deadline == at(2026, 3, 10, 11, 30)
    assert callout.matched_case is None
    assert callout.events.get(kind="matched").note.startswith("No open case")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("person_id_number", "110105194912310021"),  # wrong check digit
        ("police_phone", "12345"),
        ("person_name", "  "),
        ("requesting_court_code", ""),
    ],
)
def test_report_refuses_bad_input_by_field(court_a, on_duty, liaison, field, value):
    extra = (
        {"requesting_court_name": "北京市朝阳区人民法院"}
        if field == "requesting_court_code"
        else {}
    )
    with time_machine.travel(NIGHT, tick=False), pytest.raises(ValidationError) as caught:
        report(court_a, liaison, at(2026, 3, 10, 22, 0), **{field: value, **extra})
    assert field in caught.value.error_dict
    assert not Callout.objects.exists()


def test_future_catch_is_refused(court_a, liaison):
    with time_machine.travel(NIGHT, tick=False), pytest.raises(ValidationError) as caught:
        report(court_a, liaison, at(2026, 3, 11, 1, 0))
    assert "caught_at" in caught.value.error_dict


# --- Steps -----------------------------------------------------------------------------------


def test_each_step_is_timed_with_who_and_only_from_its_state(night_callout, team, staff):
    judge, police = team["judge"], team["police"]
    callout = night_callout
    for wrong in (services.dispatch_callout, services.hand_over_callout):
        with pytest.raises(Conflict):
            wrong(callout=callout, user=judge)
    with pytest.raises(Conflict):
        services.record_outcome(
            callout=callout, user=judge, outcome=services.Outcome(Callout.Outcome.RELEASED)
        )
    callout = services.acknowledge_callout(callout=callout, user=judge)
    assert (callout.status, callout.acknowledged_by) == (Callout.Status.ACKNOWLEDGED, judge)
    with pytest.raises(Conflict):
        services.acknowledge_callout(callout=callout, user=police)
    callout = services.dispatch_callout(callout=callout, user=police, note="两人出发")
    assert callout.dispatched_by == police and callout.dispatched_at is not None
    callout = services.hand_over_callout(callout=callout, user=police, taken_over_by=judge)
    assert callout.handed_over_to == judge and callout.handover_place == "武林派出所"
    callout = services.record_outcome(
        callout=callout, user=judge, outcome=services.Outcome(Callout.Outcome.RELEASED, note="释放")
    )
    assert callout.status == Callout.Status.CLOSED and callout.closed_by == judge
    with pytest.raises(Conflict):
        services.acknowledge_callout(callout=callout, user=judge)
    kinds = [e.kind for e in callout.events.all()]
    assert kinds[-4:] == ["acknowledged", "dispatched", "handed_over", "outcome"]


def test_police_liaison_cannot_work_a_callout(night_callout, liaison):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.acknowledge_callout(callout=night_callout, user=liaison)


def test_paid_in_part_books_exactly_one_counter_deposit_on_the_respondents_account(
    night_callout, team, staff, court_a, person_case
):
    finance, finance_2 = staff[Role.FINANCE], UserFactory(court=court_a, roles=[Role.FINANCE])
    with time_machine.travel(at(2026, 3, 11, 1, 0), tick=False):
        callout = walk(night_callout, team["judge"], "handed_over")
        callout = services.record_outcome(
            callout=callout,
            user=team["judge"],
            outcome=services.Outcome(
                Callout.Outcome.PAID_IN_PART,
                amount=500_000,
                received_by=finance,
                second_officer=finance_2,
            ),
        )
    deposit = Deposit.objects.get()
    assert callout.deposit == deposit and callout.amount_paid == 500_000
    assert deposit.amount == 500_000 and deposit.case == person_case
    account = Account.objects.get(payer__case=person_case, payer__role=CaseParty.Role.RESPONDENT)
    assert deposit.account == account and deposit.status == Deposit.Status.CREDITED
    assert Account.objects.get(pk=account.pk).credits_posted == 500_000
    call_command("verify_ledger")  # raises on any drift


def test_payment_needs_two_different_finance_officers_and_a_matched_case(
    night_callout, team, staff, court_a, liaison, on_duty
):
    callout = walk(night_callout, team["judge"], "handed_over")
    finance = staff[Role.FINANCE]
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(
            callout=callout,
            user=team["judge"],
            outcome=services.Outcome(
                Callout.Outcome.PAID_IN_FULL,
                amount=100,
                received_by=finance,
                second_officer=finance,
            ),
        )
    assert "second_officer" in caught.value.error_dict
    assert not Deposit.objects.exists()
    callout.refresh_from_db()
    assert callout.status == Callout.Status.HANDED_OVER
    with time_machine.travel(NIGHT, tick=False):
        unmatched = report(court_a, liaison, at(2026, 3, 10, 22, 0), person_id_number="")
    unmatched = walk(unmatched, team["judge"], "handed_over")
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(
            callout=unmatched,
            user=team["judge"],
            outcome=services.Outcome(
                Callout.Outcome.PAID_IN_FULL,
                amount=100,
                received_by=finance,
                second_officer=staff[Role.CLERK],
            ),
        )
    assert "outcome" in caught.value.error_dict


def test_detention_creates_the_measure_through_enforcement(night_callout, team, judge):
    callout = walk(night_callout, team["judge"], "handed_over")
    callout = services.record_outcome(
        callout=callout,
        user=judge,
        outcome=services.Outcome(Callout.Outcome.DETENTION, note="拒不申报财产", detention_days=10),
    )
    measure = CoerciveMeasure.objects.get()
    assert callout.measure == measure
    assert measure.kind == CoerciveMeasure.Kind.DETENTION and measure.detention_days == 10
    assert measure.subject == callout.matched_party


def test_detention_links_an_existing_measure_of_the_matched_case_only(
    night_callout, team, judge, person_case, case
):
    from enforcement.services import decide_measure

    def detention(on_case):
        subject = on_case.parties.get(role=CaseParty.Role.RESPONDENT).party
        person = subject.kind == "person"
        return decide_measure(
            case=on_case,
            user=judge,
            kind=CoerciveMeasure.Kind.DETENTION if person else CoerciveMeasure.Kind.FINE,
            subject=subject,
            reason="拒不履行",
            decided_on=dt.date(2026, 3, 1),
            detention_days=5,
            fine_amount=60000,
        )

    other = detention(case)
    existing = detention(person_case)
    callout = walk(night_callout, team["judge"], "handed_over")
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(
            callout=callout,
            user=judge,
            outcome=services.Outcome(Callout.Outcome.DETENTION, measure=other),
        )
    assert "measure" in caught.value.error_dict
    callout = services.record_outcome(
        callout=callout,
        user=judge,
        outcome=services.Outcome(Callout.Outcome.DETENTION, measure=existing),
    )
    assert callout.measure == existing and CoerciveMeasure.objects.count() == 2


def test_promise_needs_a_due_date_and_transfer_needs_an_assist(night_callout, team):
    callout = walk(night_callout, team["judge"], "handed_over")
    with pytest.raises(ValidationError):
        services.record_outcome(
            callout=callout, user=team["judge"], outcome=services.Outcome(Callout.Outcome.PROMISE)
        )
    with pytest.raises(ValidationError):
        services.record_outcome(
            callout=callout,
            user=team["judge"],
            outcome=services.Outcome(Callout.Outcome.TRANSFERRED, transfer_recipient="某法官"),
        )
    with time_machine.travel(at(2026, 3, 11, 2, 0), tick=False):
        callout = services.record_outcome(
            callout=callout,
            user=team["judge"],
            outcome=services.Outcome(Callout.Outcome.PROMISE, promise_due_on=dt.date(2026, 3, 20)),
        )
    assert callout.promise_due_on == dt.date(2026, 3, 20)


# --- API -------------------------------------------------------------------------------------

BODY = {
    "police_station": "武林派出所",
    "police_officer": "赵警官",
    "police_phone": "0571-87654321",
    "person_name": "王五",
    "person_id_number": PERSON_ID_2,
    "requesting_court_name": "北京市朝阳区人民法院",
    "requesting_court_code": "京0105",
}


def test_api_create_list_and_liaison_sees_only_their_own(court_a, on_duty, liaison, staff):
    other = UserFactory(court=court_a, roles=[Role.POLICE_LIAISON])
    with time_machine.travel(NIGHT, tick=False):
        mine = api(liaison).post(
            API, {**BODY, "caught_at": "2026-03-10T22:40:00+08:00"}, format="json"
        )
        theirs = api(other).post(
            API, {**BODY, "caught_at": "2026-03-10T22:45:00+08:00"}, format="json"
        )
    assert mine.status_code == 201, mine.json()
    body = mine.json()
    assert body["is_assist"] is True and body["handover_deadline"].startswith("2026-03-11T08:00")
    assert [r["id"] for r in api(liaison).get(API).json()["results"]] == [body["id"]]
    assert api(liaison).get(f"{API}{theirs.json()['id']}/").status_code == 404
    assert api(liaison).post(f"{API}{body['id']}/acknowledge/").status_code == 403
    assert len(api(staff[Role.JUDGE]).get(API).json()["results"]) == 2
    assert api(staff[Role.JUDGE]).get(API, {"status": "closed"}).json()["results"] == []
    assert api(staff[Role.JUDGE]).get(API, {"status": "bogus"}).status_code == 400


def test_api_400s_name_the_field(court_a, liaison):
    with translation.override("en"), time_machine.travel(NIGHT, tick=False):
        bad_id = api(liaison).post(
            API,
            {**BODY, "caught_at": "2026-03-10T22:40:00+08:00", "person_id_number": "1"},
            format="json",
        )
        no_time = api(liaison).post(API, {**BODY, "caught_at": "soon"}, format="json")
        bad_phone = api(liaison).post(
            API,
            {**BODY, "caught_at": "2026-03-10T22:40:00+08:00", "police_phone": "x"},
            format="json",
        )
    assert bad_id.status_code == 400 and "person_id_number" in bad_id.json()["fields"]
    assert no_time.status_code == 400 and "caught_at" in no_time.json()["fields"]
    assert bad_phone.status_code == 400 and "police_phone" in bad_phone.json()["fields"]


def test_api_steps_and_409_in_the_wrong_state(night_callout, team, staff, court_a):
    url = f"{API}{night_callout.pk}/"
    client = api(team["judge"])
    assert client.post(url + "dispatch/").status_code == 409
    assert client.post(url + "acknowledge/").json()["status"] == "acknowledged"
    assert client.post(url + "acknowledge/").status_code == 409
    assert client.post(url + "dispatch/", {"note": "出发"}, format="json").status_code == 200
    answer = client.post(url + "hand-over/", {"place": "武林派出所值班室"}, format="json")
    assert answer.status_code == 200 and answer.json()["handed_over_to"] == team["judge"].pk
    assert client.post(url + "outcome/", {"outcome": "nonsense"}, format="json").status_code == 400
    finance_2 = UserFactory(court=court_a, roles=[Role.FINANCE])
    paid = client.post(
        url + "outcome/",
        {
            "outcome": "paid_in_part",
            "amount": "5000.00",
            "received_by": staff[Role.FINANCE].pk,
            "second_officer": finance_2.pk,
        },
        format="json",
    )
    assert paid.status_code == 200, paid.json()
    assert paid.json()["amount_paid"] == 500_000 and Deposit.objects.count() == 1
    assert client.post(url + "outcome/", {"outcome": "released"}, format="json").status_code == 409


# --- Pages -----------------------------------------------------------------------------------


def test_board_intake_detail_and_handover_document(court_a, on_duty, team, staff):
    clerk = staff[Role.CLERK]
    with time_machine.travel(NIGHT, tick=False):
        answer = page(clerk).post(
            "/standby/callouts/new/",
            {**BODY, "caught_at": "2026-03-10T22:40"},
        )
        assert answer.status_code == 302, answer.content.decode()[:2000]
        callout = Callout.objects.get()
        board = page(clerk).get("/standby/callouts/")
    assert callout.reported_by == clerk and callout.is_assist
    assert callout.reference in board.content.decode()
    assert 'data-deadline="2026-03-11T08:00:00+08:00"' in board.content.decode()
    with time_machine.travel(at(2026, 3, 11, 9, 0), tick=False):
        overdue = page(clerk).get("/standby/callouts/?show=overdue").content.decode()
    assert callout.reference in overdue and "table-danger" in overdue
    detail = f"/standby/callouts/{callout.pk}/"
    client = page(team["judge"])
    assert 'data-testid="acknowledge"' in client.get(detail).content.decode()
    swapped = client.post(detail + "acknowledge/", headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and 'data-testid="dispatch"' in swapped.content.decode()
    assert 'data-kind="acknowledged"' in swapped.content.decode()
    assert "Team notified" in swapped.content.decode()
    assert client.post(detail + "acknowledge/").status_code == 409
    assert client.post(detail + "dispatch/").status_code == 302
    assert client.get(detail + "handover-document/").status_code == 302  # not handed over yet
    assert (
        client.post(detail + "hand-over/", {"taken_over_by": team["judge"].pk}).status_code == 302
    )
    sheet = client.get(detail + "handover-document/").content.decode()
    assert "北京市朝阳区人民法院" in sheet and "武林派出所" in sheet and "@media print" in sheet
    closed = client.post(
        detail + "outcome/", {"outcome": "transferred", "transfer_recipient": "朝阳法院李法官"}
    )
    assert closed.status_code == 302
    callout.refresh_from_db()
    assert callout.outcome == Callout.Outcome.TRANSFERRED
    assert "朝阳法院李法官" in client.get(detail + "handover-document/").content.decode()


def test_intake_form_shows_errors_not_500(court_a, staff):
    answer = page(staff[Role.CLERK]).post("/standby/callouts/new/", {"person_id_number": "1"})
    assert answer.status_code == 400


def test_liaison_pages_show_only_their_own(night_callout, court_a, on_duty):
    other = UserFactory(court=court_a, roles=[Role.POLICE_LIAISON])
    assert page(other).get(f"/standby/callouts/{night_callout.pk}/").status_code == 404
    assert night_callout.reference not in page(other).get("/standby/callouts/").content.decode()


def test_admin_is_read_only_with_the_timeline_court_scoped(night_callout, court_b):
    superuser = UserFactory(court=court_b, is_staff=True, is_superuser=True)
    url = f"/admin/standby/callout/{night_callout.pk}/change/"
    sheet = page(superuser).get(url)
    assert sheet.status_code == 200
    text = sheet.content.decode()
    assert night_callout.reference in text and "武林派出所" in text and "reported" in text
    assert 'name="_save"' not in text
    local = UserFactory(court=court_b, roles=[Role.BUREAU_CHIEF], is_staff=True)
    answer = page(local).get("/admin/standby/callout/")
    assert answer.status_code == 200 and night_callout.reference not in answer.content.decode()

"""The impound lifecycle through the services: every action from every state, legal ones move
the impound on and add one link to the chain, illegal ones are a 409-style conflict and write
nothing; the seizure's own rules; the approval before towing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import translation

from casefunds.services import Conflict
from courtexec.roles import Role
from tests.factories import UserFactory
from tests.vehicles import lifecycle_fixtures
from tests.vehicles.lifecycle_fixtures import (
    SIGNATURE,
    State,
    advance,
    ago,
    impound_in,
    photo,
    seize,
)
from vehicles import rules, services
from vehicles.models import CustodyEvent, CustodyPhoto, Impound

pytestmark = pytest.mark.django_db
approver = lifecycle_fixtures.approver

TARGET_KIND = {
    "approve-tow": CustodyEvent.Kind.TOW_APPROVED,
    "tow": CustodyEvent.Kind.TOWED,
    "intake": CustodyEvent.Kind.INTAKE,
    "move": CustodyEvent.Kind.MOVED,
    "decide-disposal": CustodyEvent.Kind.DISPOSAL_DECIDED,
    "release": CustodyEvent.Kind.RELEASED,
    "to-auction": CustodyEvent.Kind.TO_AUCTION,
    "deliver": CustodyEvent.Kind.DELIVERED,
}
EXPECTED_STATE = {
    "approve-tow": State.SEIZED,
    "tow": State.TOWED,
    "intake": State.IN_CUSTODY,
    "move": State.IN_CUSTODY,
    "decide-disposal": None,  # unchanged
    "release": State.RELEASED,
    "to-auction": State.TO_AUCTION,
    "deliver": State.DELIVERED,
}
LEGAL = {
    (State.SEIZED, "approve-tow"),
    (State.SEIZED, "tow"),
    (State.SEIZED, "decide-disposal"),
    (State.SEIZED, "release"),
    (State.TOWED, "intake"),
    (State.TOWED, "decide-disposal"),
    (State.IN_CUSTODY, "move"),
    (State.IN_CUSTODY, "decide-disposal"),
    (State.IN_CUSTODY, "release"),
    (State.IN_CUSTODY, "to-auction"),
    (State.TO_AUCTION, "deliver"),
}


def test_the_table_says_what_the_tests_check():
    table = {(s, a) for a, t in rules.TRANSITIONS.items() for s in t.sources}
    assert table == LEGAL


def _prepare(impound, action, judge, approver):
    """Meet the facts an action needs besides the state (approval, disposal decision)."""
    if action == "tow" and impound.state == State.SEIZED:
        advance(impound, "approve-tow", user=judge, approver=approver)
    wanted = {"release": "release", "to-auction": "auction"}.get(action)
    if wanted and impound.is_open and not impound.disposal:
        services.decide_disposal(
            impound=impound, disposal=wanted, reference="D-1", user=judge, at=ago(hours=5)
        )
    return Impound.objects.get(pk=impound.pk)


@pytest.mark.parametrize("action", rules.ACTIONS)
@pytest.mark.parametrize("state", list(State))
def test_every_action_from_every_state(
    state, action, vehicle, case, judge, approver, custodian, agreement, lot
):
    disposal = "auction" if state in (State.TO_AUCTION, State.DELIVERED) else "release"
    impound = impound_in(state, vehicle, case, judge, approver, custodian, lot, disposal)
    impound = _prepare(impound, action, judge, approver)
    events_before = impound.events.count()
    photos_before = CustodyPhoto.objects.count()
    if (state, action) in LEGAL:
        advance(impound, action, user=judge, approver=approver, lot=lot, custodian=custodian)
        impound.refresh_from_db()
        assert impound.state == (EXPECTED_STATE[action] or state)
        assert impound.events.count() == events_before + 1
        assert impound.events.order_by("pk").last().kind == TARGET_KIND[action]
    else:
        with pytest.raises(Conflict) as caught:
            advance(impound, action, user=judge, approver=approver, lot=lot, custodian=custodian)
        assert caught.value.code == "illegal_transition"
        fresh = Impound.objects.get(pk=impound.pk)
        assert fresh.state == state
        assert fresh.events.count() == events_before
        assert CustodyPhoto.objects.count() == photos_before


def test_seizure_writes_the_first_link_with_photos(vehicle, case, judge):
    impound = seize(vehicle, case, judge, photos=[photo("a.png"), photo("b.png")])
    event = impound.events.get()
    assert event.kind == CustodyEvent.Kind.SEIZED
    assert event.handed_by == "张三"
    assert event.condition == ["front_bumper", "scratches"]
    assert event.photos.count() == 2
    assert list(impound.officers.all()) == [judge]


def test_a_respondents_unlinked_vehicle_is_linked_at_seizure(vehicle, case, judge):
    vehicle.cases.clear()
    seize(vehicle, case, judge)
    assert vehicle.cases.filter(pk=case.pk).exists()


def test_a_vehicle_whose_owner_is_not_a_respondent_is_refused(vehicle, case, judge, applicant):
    vehicle.cases.clear()
    vehicle.owner = applicant
    vehicle.save()
    with pytest.raises(ValidationError) as caught:
        seize(vehicle, case, judge)
    assert "case" in caught.value.message_dict
    assert not Impound.objects.exists()


def test_a_second_open_impound_is_a_conflict(vehicle, case, judge):
    seize(vehicle, case, judge)
    with pytest.raises(Conflict) as caught:
        seize(vehicle, case, judge)
    assert caught.value.code == "already_impounded"


def test_a_concluded_case_takes_no_seizure(vehicle, case, judge):
    case.status = case.Status.CONCLUDED
    case.closure_mode = case.ClosureMode.PERFORMED
    case.save()
    with pytest.raises(ValidationError) as caught:
        seize(vehicle, case, judge)
    assert "case" in caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("damage", ["wings"]),
        ("documents_received", ["passport"]),
        ("seized_at", ago(hours=-2)),
        ("keys_received", 99),
        ("decision_number", " "),
        ("photos", ["not a photo"]),
    ],
)
def test_seizure_input_is_checked(field, value, vehicle, case, judge):
    if field == "photos":
        from django.core.files.uploadedfile import SimpleUploadedFile

        value = [SimpleUploadedFile("x.png", b"plain text", content_type="image/png")]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        seize(vehicle, case, judge, **{field: value})
    assert field in caught.value.message_dict
    assert not CustodyEvent.objects.exists()


def test_custodian_users_may_not_seize(vehicle, case, custodian_user):
    with pytest.raises(PermissionDenied):
        seize(vehicle, case, custodian_user)


def test_the_recorder_may_not_approve_the_tow(vehicle, case, staff):
    chief = staff[Role.SECTION_CHIEF]
    impound = seize(vehicle, case, chief)
    with pytest.raises(ValidationError) as caught:
        services.approve_tow(impound=impound, user=chief)
    assert caught.value.message_dict.keys() == {"user"}


def test_a_judge_may_not_approve(vehicle, case, judge, staff):
    impound = seize(vehicle, case, staff[Role.CLERK])
    with pytest.raises(PermissionDenied):
        services.approve_tow(impound=impound, user=judge)


def test_no_tow_before_approval(vehicle, case, judge, custodian, agreement):
    impound = seize(vehicle, case, judge)
    with pytest.raises(Conflict) as caught:
        advance(impound, "tow", user=judge, custodian=custodian)
    assert caught.value.code == "approval_required"


@override_settings(VEHICLES_TOW_NEEDS_APPROVAL=False)
def test_without_the_policy_towing_needs_no_approval(
    vehicle, case, judge, approver, custodian, agreement
):
    impound = seize(vehicle, case, judge)
    assert "approve-tow" not in rules.allowed_actions(impound)
    with pytest.raises(Conflict):
        services.approve_tow(impound=impound, user=approver)
    advance(impound, "tow", user=judge, custodian=custodian)
    assert Impound.objects.get(pk=impound.pk).state == State.TOWED


def test_towing_needs_an_agreement_valid_that_day(vehicle, case, judge, approver, custodian):
    impound = seize(vehicle, case, judge)
    advance(impound, "approve-tow", user=judge, approver=approver)
    with pytest.raises(ValidationError) as caught:
        advance(impound, "tow", user=judge, custodian=custodian)
    assert caught.value.message_dict.keys() == {"custodian"}


def test_release_needs_the_release_decision(
    vehicle, case, judge, approver, custodian, agreement, lot
):
    impound = impound_in(State.IN_CUSTODY, vehicle, case, judge, approver, custodian, lot)
    with pytest.raises(Conflict) as caught:
        advance(impound, "release", user=judge)
    assert caught.value.code == "no_disposal_decision"
    services.decide_disposal(
        impound=impound, disposal="auction", reference="A", user=judge, at=ago(hours=5)
    )
    with pytest.raises(Conflict):
        advance(impound, "release", user=judge)
    with pytest.raises(Conflict) as caught:
        services.decide_disposal(impound=impound, disposal="release", reference="B", user=judge)
    assert caught.value.code == "disposal_decided"


def test_intake_needs_a_signature_that_is_a_png(
    vehicle, case, judge, approver, custodian, agreement, lot
):
    impound = impound_in(State.TOWED, vehicle, case, judge, approver, custodian, lot)
    for bad in ["", "data:image/png;base64,bm90IGEgcG5n", "data:text/html;base64,PGI+"]:
        with pytest.raises(ValidationError) as caught:
            services.take_into_custody(
                impound=impound,
                lot=lot,
                bay="A1",
                intake_at=ago(hours=1),
                custodian_signatory="赵六",
                signature=bad,
                user=judge,
            )
        assert "signature" in caught.value.message_dict
    huge = SIGNATURE + "A" * 400_000
    with pytest.raises(ValidationError):
        services.clean_signature(huge)


def test_the_full_chain_names_every_hand_over(
    vehicle, case, judge, approver, custodian, agreement, lot
):
    impound = impound_in(State.DELIVERED, vehicle, case, judge, approver, custodian, lot)
    kinds = list(impound.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        "seized",
        "tow_approved",
        "towed",
        "intake",
        "disposal_decided",
        "to_auction",
        "delivered",
    ]
    intake = impound.events.get(kind="intake")
    assert intake.handed_by == "李师傅"
    assert "赵六" in intake.received_by
    assert intake.signature == SIGNATURE
    assert impound.ended_at is not None


def test_another_courts_staff_cannot_act(vehicle, case, court_b):
    outsider = UserFactory(court=court_b, roles=[Role.JUDGE])
    with pytest.raises(PermissionDenied):
        seize(vehicle, case, outsider)


def test_approval_and_decision_recorded_afterwards_keep_the_order_of_the_chain(
    vehicle, case, judge, approver, custodian, agreement, lot
):
    """An approval given by telephone or a decision made earlier is recorded with its own time;
    neither may precede the seizure, and the step it allows may not precede it."""
    impound = seize(vehicle, case, judge, seized_at=ago(hours=10))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.approve_tow(impound=impound, user=approver, at=ago(hours=11))
    assert "before the previous step" in caught.value.message_dict["at"][0]
    services.approve_tow(impound=impound, user=approver, at=ago(hours=7))
    with pytest.raises(ValidationError) as caught:
        advance(impound, "tow", user=judge, custodian=custodian)  # towed 8 hours ago
    assert "towed_at" in caught.value.message_dict
    services.tow(
        impound=impound, custodian=custodian, towed_at=ago(hours=6), driver="李师傅", user=judge
    )
    services.take_into_custody(
        impound=impound,
        lot=lot,
        bay="A-01",
        intake_at=ago(hours=5),
        custodian_signatory="赵六",
        signature=SIGNATURE,
        user=judge,
    )
    services.decide_disposal(
        impound=impound, disposal="release", reference="R", user=judge, at=ago(hours=2)
    )
    with pytest.raises(ValidationError) as caught:
        advance(impound, "release", user=judge)  # handed over 4 hours ago, before the decision
    assert "at" in caught.value.message_dict
    kinds = list(Impound.objects.get(pk=impound.pk).events.values_list("kind", flat=True))
    assert kinds == ["seized", "tow_approved", "towed", "intake", "disposal_decided"]

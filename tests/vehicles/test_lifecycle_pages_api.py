"""The lifecycle through the pages and the API: the field forms record the step, a step the
state does not allow is a form error (409) or an API 409 with its code, and the vehicle page
shows the chain with its photos and only the allowed actions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.vehicles import lifecycle_fixtures
from tests.vehicles.lifecycle_fixtures import SIGNATURE, State, impound_in, photo, seize
from vehicles.models import CustodyEvent, Impound

pytestmark = pytest.mark.django_db
approver = lifecycle_fixtures.approver
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _intake_form(lot, signature=SIGNATURE) -> dict:
    return {
        "lot": lot.pk,
        "bay": "A1",
        "intake_at": _local(timezone.now()),
        "custodian_signatory": "赵六",
        "signature": signature,
    }


def test_an_officer_seizes_from_the_page_with_photos(client, judge, vehicle, case):
    client.force_login(judge)
    page = client.get(f"/vehicles/{vehicle.pk}/seize/", **EN)
    assert 'capture="environment"' in page.content.decode()
    response = client.post(
        f"/vehicles/{vehicle.pk}/seize/",
        {
            "case": case.pk,
            "decision_number": "(2026)浙0103执100号之一",
            "seized_at": _local(lifecycle_fixtures.ago(hours=1)),
            "place": "杭州市某路",
            "holder_name": "张三",
            "damage": ["dents", "tyres"],
            "keys_received": 2,
            "documents_received": ["driving_licence", "spare_key"],
            "photos": [photo("a.png"), photo("b.png")],
        },
        **EN,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    impound = Impound.objects.get()
    assert impound.damage == ["dents", "tyres"]
    event = impound.events.get()
    assert event.photos.count() == 2
    detail = client.get(vehicle.get_absolute_url(), **EN).content.decode()
    assert "Seized from the holder" in detail
    assert f"/vehicles/photos/{event.photos.first().pk}/" in detail
    assert "Approve towing" not in detail  # the judge may not approve
    assert client.get(event.photos.first().get_absolute_url()).status_code == 200


def test_an_illegal_step_on_the_page_is_a_form_error(
    client, judge, approver, vehicle, case, custodian, agreement, lot
):
    impound = impound_in(State.SEIZED, vehicle, case, judge, approver, custodian, lot)
    client.force_login(judge)
    response = client.post(
        f"/vehicles/impounds/{impound.pk}/intake/",
        _intake_form(lot),
        **EN,
    )
    # The lot is not offered before the tow names a custodian: the form refuses already.
    assert response.status_code in (400, 409)
    assert Impound.objects.get(pk=impound.pk).state == State.SEIZED
    response = client.post(
        f"/vehicles/impounds/{impound.pk}/deliver/",
        {"at": _local(timezone.now()), "received_by_name": "买受人", "signature": SIGNATURE},
        **EN,
    )
    assert response.status_code == 409
    assert "not possible" in response.content.decode()
    assert impound.events.count() == 1


def test_the_approval_and_tow_pages(client, judge, approver, vehicle, case, custodian, agreement):
    impound = seize(vehicle, case, judge)
    client.force_login(approver)
    assert "Approve towing" in client.get(vehicle.get_absolute_url(), **EN).content.decode()
    assert client.post(f"/vehicles/impounds/{impound.pk}/approve-tow/", {}).status_code == 302
    client.force_login(judge)
    response = client.post(
        f"/vehicles/impounds/{impound.pk}/tow/",
        {
            "custodian": custodian.pk,
            "towed_at": _local(timezone.now()),
            "driver": "李师傅",
            "tow_to": "一号停车场",
            "signature": SIGNATURE,
        },
    )
    assert response.status_code == 302
    assert Impound.objects.get(pk=impound.pk).state == State.TOWED


def test_a_bad_signature_on_the_intake_page_is_shown_by_the_pad(
    client, custodian_user, judge, approver, vehicle, case, custodian, agreement, lot
):
    impound = impound_in(State.TOWED, vehicle, case, judge, approver, custodian, lot)
    client.force_login(custodian_user)
    page = client.get(f"/vehicles/impounds/{impound.pk}/intake/", **EN)
    assert "vehicles_signature.js" in page.content.decode()
    response = client.post(
        f"/vehicles/impounds/{impound.pk}/intake/",
        _intake_form(lot, "data:image/png;base64,AAAA"),
        **EN,
    )
    assert response.status_code == 400
    assert "PNG" in response.content.decode()
    response = client.post(
        f"/vehicles/impounds/{impound.pk}/intake/",
        _intake_form(lot),
    )
    assert response.status_code == 302
    assert response["Location"] == "/vehicles/custody/portal/"
    assert Impound.objects.get(pk=impound.pk).state == State.IN_CUSTODY


# --- API ---


def test_api_seize_json_and_multipart(client, judge, vehicle, case):
    client.force_login(judge)
    body = {
        "vehicle": vehicle.pk,
        "case": case.pk,
        "decision_number": "D-1",
        "seized_at": lifecycle_fixtures.ago(hours=1).isoformat(),
        "place": "杭州",
        "damage": ["dents"],
        "photos": [photo()],
    }
    response = client.post("/api/v1/vehicles/impounds/", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "seized"
    assert data["events"][0]["photos"][0]["url"].startswith("/vehicles/photos/")
    again = client.post(
        "/api/v1/vehicles/impounds/",
        {k: v for k, v in body.items() if k != "photos"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_impounded"


def test_api_illegal_transition_and_full_lot_are_409(
    client, judge, approver, vehicle, case, custodian, agreement, lot
):
    impound = impound_in(State.TOWED, vehicle, case, judge, approver, custodian, lot)
    client.force_login(judge)
    response = client.post(
        f"/api/v1/vehicles/impounds/{impound.pk}/deliver/",
        {"at": timezone.now().isoformat(), "received_by_name": "X", "signature": SIGNATURE},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    lot.capacity = 1
    lot.save()
    from tests.vehicles.conftest import make_impound

    make_impound(
        vehicle.__class__.objects.create(
            court=vehicle.court, plate="浙A54321", owner=vehicle.owner, registered_by=judge
        ),
        case,
        judge,
        state=State.IN_CUSTODY,
        custodian=custodian,
        lot=lot,
        bay="Z9",
    )
    response = client.post(
        f"/api/v1/vehicles/impounds/{impound.pk}/intake/",
        {
            "lot": lot.pk,
            "bay": "A1",
            "intake_at": timezone.now().isoformat(),
            "custodian_signatory": "赵六",
            "signature": SIGNATURE,
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "lot_full"


def test_api_full_lifecycle_and_allowed_actions(
    client, judge, approver, vehicle, case, custodian, agreement, lot
):
    impound = seize(vehicle, case, judge)
    client.force_login(approver)
    data = client.post(f"/api/v1/vehicles/impounds/{impound.pk}/approve-tow/").json()
    assert "tow" in data["allowed_actions"]
    client.force_login(judge)
    steps = [
        (
            "tow",
            {"custodian": custodian.pk, "towed_at": timezone.now().isoformat(), "driver": "李"},
        ),
        (
            "intake",
            {
                "lot": lot.pk,
                "bay": "a1",
                "intake_at": timezone.now().isoformat(),
                "custodian_signatory": "赵",
                "signature": SIGNATURE,
            },
        ),
        ("move", {"lot": lot.pk, "bay": "B2"}),
        (
            "decide-disposal",
            {"disposal": "auction", "reference": "R", "at": timezone.now().isoformat()},
        ),
        (
            "to-auction",
            {"at": timezone.now().isoformat(), "received_by_name": "拍辅", "signature": SIGNATURE},
        ),
        (
            "deliver",
            {
                "at": timezone.now().isoformat(),
                "received_by_name": "买受人",
                "signature": SIGNATURE,
            },
        ),
    ]
    for name, body in steps:
        response = client.post(
            f"/api/v1/vehicles/impounds/{impound.pk}/{name}/", body, content_type="application/json"
        )
        assert response.status_code == 200, (name, response.json())
    assert response.json()["state"] == "delivered"
    assert response.json()["allowed_actions"] == []
    listed = client.get("/api/v1/vehicles/impounds/?state=delivered").json()
    assert [row["id"] for row in listed["results"]] == [impound.pk]


def test_api_invalid_input_is_400_with_fields(client, judge, vehicle, case):
    client.force_login(judge)
    response = client.post(
        "/api/v1/vehicles/impounds/",
        {"vehicle": vehicle.pk, "case": case.pk, "damage": ["wings"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"decision_number", "damage", "place", "seized_at"} <= response.json()["fields"].keys()


def test_events_cannot_be_changed_through_the_api(client, judge, vehicle, case):
    impound = seize(vehicle, case, judge)
    event = impound.events.get()
    client.force_login(judge)
    url = f"/api/v1/vehicles/custody-events/{event.pk}/"
    assert client.get(url).status_code == 200
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(url, {"note": "x"}, content_type="application/json")
        assert response.status_code in (403, 405)
    assert client.post("/api/v1/vehicles/custody-events/", {}).status_code in (403, 405)
    assert CustodyEvent.objects.get(pk=event.pk).note == event.note


def test_the_impound_list_costs_the_same_queries_for_one_or_many(
    client, judge, vehicle, case, respondent
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vehicles.models import Vehicle

    client.force_login(judge)
    seize(vehicle, case, judge)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/vehicles/impounds/").status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for serial in range(3):
        other = Vehicle.objects.create(
            court=vehicle.court, plate=f"浙B1234{serial}", owner=respondent, registered_by=judge
        )
        seize(other, case, judge)
    assert queries() == one

"""Tips (举报线索): routing, the 5-day check and its overdue alert, the public form's abuse
limits, outcomes linked to investigation, the staff pages and the API with their permissions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation
from PIL import Image
from rest_framework.test import APIClient
from stdnum.cn import ric

from courtexec.models import Notification
from courtexec.roles import Role
from debtors import services, tasks
from debtors.models import AssetClass, InvestigationRequest, Tip
from debtors.tips.forms import STARTED_SALT
from enforcement import services as enforcement_services
from enforcement.models import CaseParty, Party
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID_2, file_case

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # 18:00 in Shanghai, a Monday
COMPANY = "杭州某某贸易有限公司"
FORM = "/public/tips/"


def other_person_id() -> str:
    base = "11010519900307001"
    return base + ric.calc_check_digit(base + "0")  # the function wants 18 characters


@pytest.fixture
def travel():
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def tip(court, **overrides) -> Tip:
    arguments = {"court": court, "debtor_name": COMPANY, "details": "一辆白色宝马车，车牌浙A12345"}
    arguments.update(overrides)
    return services.submit_tip(**arguments)


def png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def notes(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


# --- Routing --------------------------------------------------------------------------------


def test_a_tip_naming_the_credit_code_is_routed_to_the_case_judge(court_a, case, judge, travel):
    sent = tip(court_a, debtor_name="某贸易公司", debtor_id_number=CREDIT_CODE.lower())
    assert sent.status == Tip.Status.ROUTED
    assert sent.match_basis == Tip.MatchBasis.ID_NUMBER
    assert (sent.case, sent.judge) == (case, judge)
    assert sent.matched_party.id_number == CREDIT_CODE
    assert sent.reference.startswith("JB260302-")
    [note] = notes(judge, "tip")
    assert sent.reference in note.message and note.link == f"/debtors/tips/{sent.pk}/"
    assert sent.history.count() >= 2  # received, then routed: the trail is kept


def test_a_tip_naming_only_an_unambiguous_name_is_routed(court_a, case, judge):
    sent = tip(court_a)
    assert sent.status == Tip.Status.ROUTED
    assert sent.match_basis == Tip.MatchBasis.NAME
    assert sent.case == case


def test_an_ambiguous_name_is_not_routed_but_queued_for_the_chiefs(
    court_a, staff, judge, applicant, person_respondent
):
    namesake = enforcement_services.register_party(
        court=court_a, kind=Party.Kind.PERSON, name="王五", id_number=other_person_id()
    )
    file_case(court_a, judge, applicant, person_respondent)
    file_case(court_a, judge, applicant, namesake, instrument_number="(2016)浙0103民初300号")
    sent = tip(court_a, debtor_name="王五")
    assert sent.status == Tip.Status.UNROUTABLE
    assert sent.case is None and sent.judge is None
    assert notes(staff[Role.SECTION_CHIEF], "tip") and notes(staff[Role.BUREAU_CHIEF], "tip")
    assert not notes(judge, "tip")
    # With the ID number the same tip is routed to the right one of the two.
    exact = tip(court_a, debtor_name="王五", debtor_id_number=PERSON_ID_2)
    assert exact.status == Tip.Status.ROUTED
    assert exact.matched_party == person_respondent


def test_a_name_is_not_matched_against_a_party_with_another_id_number(court_a, case):
    sent = tip(court_a, debtor_id_number=other_person_id())
    assert sent.status == Tip.Status.UNROUTABLE


def test_a_concluded_case_or_another_courts_case_is_not_routed_to(court_a, court_b, case):
    assert tip(court_b).status == Tip.Status.UNROUTABLE
    case.status = case.Status.CONCLUDED
    case.closure_mode = case.ClosureMode.PERFORMED
    case.save()
    assert tip(court_a).status == Tip.Status.UNROUTABLE


def test_a_debtor_of_a_case_closed_by_zhongben_is_routed_with_seven_days(court_a, case, judge):
    case.status = case.Status.CONCLUDED
    case.closure_mode = case.ClosureMode.TERMINATED_FOR_NOW
    case.save()
    with time_machine.travel(RECEIVED, tick=False):
        sent = tip(court_a, debtor_id_number=CREDIT_CODE)
    assert (sent.status, sent.case) == (Tip.Status.ROUTED, case)
    assert sent.check_due_on == dt.date(2026, 3, 9)  # the 终本 rule: 7 days


def test_a_chief_assigns_an_unroutable_tip_by_hand(court_a, staff, case, judge):
    sent = tip(court_a, debtor_name="不知名公司")
    assert sent.status == Tip.Status.UNROUTABLE
    with pytest.raises(PermissionDenied):
        services.assign_tip(tip=sent, case=case, user=judge)  # a judge does not assign
    routed = services.assign_tip(tip=sent, case=case, user=staff[Role.SECTION_CHIEF])
    assert routed.status == Tip.Status.ROUTED
    assert routed.match_basis == Tip.MatchBasis.MANUAL
    assert routed.routed_by == staff[Role.SECTION_CHIEF]
    assert routed.judge == judge and routed.matched_party.name == COMPANY
    assert notes(judge, "tip")


def test_bad_input_is_refused_with_field_messages(court_a):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        tip(court_a, debtor_id_number="123456")
    assert "debtor_id_number" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        tip(court_a, contact_phone="12345")
    assert caught.value.error_dict["contact_phone"][0].code == "phone"
    assert tip(court_a, contact_phone="0571-85190000").contact_phone == "0571-85190000"


# --- The 5-day check ------------------------------------------------------------------------


def test_the_check_is_due_five_days_after_receipt_and_then_overdue(court_a, case, travel):
    sent = tip(court_a)
    assert sent.check_due_on == dt.date(2026, 3, 7)
    travel.move_to(dt.datetime(2026, 3, 7, 15, 59, tzinfo=dt.UTC))  # 23:59 on the 7th locally
    assert not sent.is_overdue()
    travel.move_to(dt.datetime(2026, 3, 7, 16, 1, tzinfo=dt.UTC))  # 00:01 on the 8th
    assert sent.is_overdue()


def test_the_overdue_alert_reaches_judge_and_section_chief_once(
    court_a, staff, case, judge, travel
):
    routed = tip(court_a)
    unrouted = tip(court_a, debtor_name="不知名公司")
    assert services.alert_overdue_tips() == 0
    travel.move_to(dt.datetime(2026, 3, 8, 1, 0, tzinfo=dt.UTC))
    assert tasks.alert_overdue_tips() == 2
    assert tasks.alert_overdue_tips() == 0  # a second run (or a redelivered task) alerts nobody
    chief = staff[Role.SECTION_CHIEF]
    assert len(notes(judge, "tip_overdue")) == 1
    assert len(notes(chief, "tip_overdue")) == 2
    routed.refresh_from_db()
    unrouted.refresh_from_db()
    assert routed.overdue_alerted_at and unrouted.overdue_alerted_at
    travel.move_to(dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.UTC))
    assert services.alert_overdue_tips() == 0


def test_a_checked_tip_is_never_overdue_nor_alerted(court_a, case, judge, travel):
    sent = tip(court_a)
    services.record_tip_outcome(tip=sent, outcome="not_credible", note="查无此车", user=judge)
    travel.move_to(dt.datetime(2026, 3, 20, 1, 0, tzinfo=dt.UTC))
    sent.refresh_from_db()
    assert not sent.is_overdue()
    assert services.alert_overdue_tips() == 0


# --- Outcomes -------------------------------------------------------------------------------


def test_property_found_asks_the_investigation_group(court_a, case, judge, travel):
    sent = tip(court_a)
    checked = services.record_tip_outcome(
        tip=sent,
        outcome=Tip.Outcome.PROPERTY_FOUND,
        note="举报人所述账户属实",
        asset_classes=[AssetClass.BANK_DEPOSIT, AssetClass.VEHICLE],
        user=judge,
    )
    assert checked.status == Tip.Status.CHECKED
    assert (checked.checked_by, checked.checked_at) == (judge, timezone.now())
    request = checked.investigation_request
    assert request.case == case and request.requested_by == judge
    assert request.respondent == case.parties.get(role=CaseParty.Role.RESPONDENT)
    assert request.asset_classes == ["bank_deposit", "vehicle"]
    assert InvestigationRequest.objects.get().tips.get() == checked
    with pytest.raises(ValidationError) as caught:
        services.record_tip_outcome(tip=sent, outcome="not_found", note="again", user=judge)
    assert caught.value.error_dict["status"][0].code == "wrong_state"


def test_property_found_links_an_existing_finding_and_freeze(
    court_a, case, judge, investigator, rotation
):
    from tests.debtors.conftest import respondent_of

    request = services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=["bank_deposit"], user=judge
    )
    services.perform_searches(request=request, user=investigator)
    finding = request.searches.get().findings.order_by("pk").first()
    frozen = services.freeze(finding=finding, case=case, user=judge)
    sent = tip(court_a)
    checked = services.record_tip_outcome(
        tip=sent, outcome="property_found", note="已冻结", freeze=frozen, user=judge
    )
    assert (checked.freeze, checked.finding) == (frozen, finding)


def test_property_found_needs_a_link_and_other_outcomes_none(court_a, case, judge):
    sent = tip(court_a)
    with pytest.raises(ValidationError) as caught:
        services.record_tip_outcome(tip=sent, outcome="property_found", note="有", user=judge)
    assert caught.value.error_dict["outcome"][0].code == "link_required"
    with pytest.raises(ValidationError):
        services.record_tip_outcome(
            tip=sent, outcome="not_found", note="无", asset_classes=["vehicle"], user=judge
        )


def test_an_unrouted_tip_is_assigned_before_its_outcome(court_a, case, judge):
    sent = tip(court_a, debtor_name="不知名公司")
    with pytest.raises(ValidationError) as caught:
        services.record_tip_outcome(tip=sent, outcome="not_found", note="无", user=judge)
    assert caught.value.error_dict["status"][0].code == "wrong_state"


def test_another_courts_staff_cannot_check_a_tip(court_a, case, judge_b):
    with pytest.raises(PermissionDenied):
        services.record_tip_outcome(tip=tip(court_a), outcome="not_found", note="无", user=judge_b)


# --- The public form and its abuse limits ---------------------------------------------------


@pytest.fixture
def public(settings):
    settings.DEBTORS_TIP_MIN_FILL_SECONDS = 0
    return Client(headers={"accept-language": "en"})


def started(seconds_ago: float = 60) -> str:
    import time

    from django.core import signing

    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def form_data(court, **overrides) -> dict:
    data = {
        "court": court.pk,
        "debtor_name": COMPANY,
        "debtor_id_number": "",
        "details": "他在西湖区开了一家店，每天收现金",
        "location": "杭州市西湖区某路8号",
        "contact_name": "",
        "contact_phone": "13800138000",
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


def test_the_public_form_takes_a_tip_without_login_and_shows_the_reference(
    public, court_a, case, judge, media
):
    page = public.get(FORM)
    assert page.status_code == 200
    assert "0571-85190000" in page.content.decode()  # the hotline on every public page
    photo = io.BytesIO(png())
    photo.name = "car.png"
    answer = public.post(FORM, {**form_data(court_a), "photo": photo})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    sent = Tip.objects.get()
    assert sent.source == Tip.Source.WEB and sent.status == Tip.Status.ROUTED
    assert sent.photo.name.startswith("tips/") and (media / sent.photo.name).exists()
    assert sent.client_fingerprint == services.tip_fingerprint("127.0.0.1")
    assert "127.0.0.1" not in sent.client_fingerprint
    confirmation = public.get(answer["Location"])
    assert sent.reference in confirmation.content.decode()
    # A stranger without the session sees no reference: back to the form.
    assert Client().get("/public/tips/received/").status_code == 302


def test_the_rate_limit_refuses_with_a_clear_message(public, settings, court_a):
    settings.DEBTORS_TIP_RATE_LIMIT = 2
    for _ in range(2):
        assert public.post(FORM, form_data(court_a)).status_code == 302
    refused = public.post(FORM, form_data(court_a))
    assert refused.status_code == 429
    assert "Too many tips were sent from your network" in refused.content.decode()
    assert Tip.objects.count() == 2
    other = Client(REMOTE_ADDR="10.1.2.3")  # another address has its own allowance
    assert other.post(FORM, form_data(court_a)).status_code == 302


def test_the_honeypot_refuses_a_robot(public, court_a):
    answer = public.post(FORM, form_data(court_a, website="http://spam.example"))
    assert answer.status_code == 400
    assert "could not be accepted" in answer.content.decode()
    assert not Tip.objects.exists()


def test_a_too_fast_submission_is_refused(public, settings, court_a):
    settings.DEBTORS_TIP_MIN_FILL_SECONDS = 30
    answer = public.post(FORM, form_data(court_a, started=started(seconds_ago=2)))
    assert answer.status_code == 400
    assert "sent too quickly" in answer.content.decode()
    assert public.post(FORM, form_data(court_a, started="forged")).status_code == 400
    assert public.post(FORM, form_data(court_a, started=started(40))).status_code == 302


def test_a_bad_photo_is_refused(public, settings, court_a, media):
    fake = io.BytesIO(b"MZ\x90\x00 not an image at all")
    fake.name = "car.jpg"
    answer = public.post(FORM, {**form_data(court_a), "photo": fake})
    assert answer.status_code == 400
    assert "not a readable image" in answer.content.decode()
    settings.DEBTORS_TIP_PHOTO_MAX_BYTES = 100
    big = io.BytesIO(png((200, 200)))
    big.name = "big.png"
    answer = public.post(FORM, {**form_data(court_a), "photo": big})
    assert answer.status_code == 400
    assert "at most" in answer.content.decode()
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    gif.seek(0)
    gif.name = "x.gif"
    settings.DEBTORS_TIP_PHOTO_MAX_BYTES = 2**20
    answer = public.post(FORM, {**form_data(court_a), "photo": gif})
    assert answer.status_code == 400
    assert not Tip.objects.exists()


def test_missing_fields_are_a_form_error_not_a_500(public, court_a):
    answer = public.post(FORM, form_data(court_a, debtor_name="", details=""))
    assert answer.status_code == 400
    assert "This field is required." in answer.content.decode()


# --- Staff pages ----------------------------------------------------------------------------


def staff_client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_the_board_flags_overdue_tips_red_and_filters(court_a, case, judge, travel):
    late = tip(court_a)
    travel.move_to(dt.datetime(2026, 3, 8, 2, 0, tzinfo=dt.UTC))
    fresh = tip(court_a, debtor_name="不知名公司")
    client = staff_client(judge)
    board = client.get("/debtors/tips/").content.decode()
    assert late.reference in board and fresh.reference in board
    assert f'<tr data-tip="{late.pk}" class="table-danger">' in board
    assert f'<tr data-tip="{fresh.pk}">' in board
    overdue = client.get("/debtors/tips/?overdue=true").content.decode()
    assert late.reference in overdue and fresh.reference not in overdue
    unrouted = client.get("/debtors/tips/?unrouted=true").content.decode()
    assert fresh.reference in unrouted and late.reference not in unrouted
    assert client.get(f"/debtors/tips/{late.pk}/").status_code == 200


def test_staff_log_a_hotline_call_and_record_the_outcome(court_a, case, judge):
    client = staff_client(judge)
    assert client.get("/debtors/tips/hotline/").status_code == 200
    logged = client.post(
        "/debtors/tips/hotline/",
        {
            "hotline-debtor_name": COMPANY,
            "hotline-details": "来电称其在某银行有存款",
            "hotline-contact_phone": "13900000009",
            "hotline-received_at": "2026-03-02T09:30",
        },
    )
    assert logged.status_code == 302, logged.content.decode()[:3000]
    sent = Tip.objects.get()
    assert (sent.source, sent.logged_by, sent.case) == (Tip.Source.HOTLINE, judge, case)
    refused = client.post(
        f"/debtors/tips/{sent.pk}/outcome/",
        {"outcome-outcome": "property_found", "outcome-note": "x"},
    )
    assert refused.status_code == 400
    assert "Ask for an investigation" in refused.content.decode()
    done = client.post(
        f"/debtors/tips/{sent.pk}/outcome/",
        {
            "outcome-outcome": "property_found",
            "outcome-note": "属实",
            "outcome-asset_classes": ["bank_deposit"],
        },
    )
    assert done.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Tip.Status.CHECKED and sent.investigation_request is not None


def test_staff_pages_need_the_role_and_the_court(court_a, case, judge_b, staff):
    sent = tip(court_a)
    assert staff_client(judge_b).get(f"/debtors/tips/{sent.pk}/").status_code == 404
    assert sent.reference not in staff_client(judge_b).get("/debtors/tips/").content.decode()
    finance = staff_client(staff[Role.FINANCE])
    assert finance.get("/debtors/tips/").status_code == 403
    assert finance.get("/debtors/tips/hotline/").status_code == 403
    assert Client().get("/debtors/tips/").status_code == 302  # to the login page


def test_the_tip_photo_is_served_only_to_the_courts_staff(court_a, case, judge, judge_b, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sent = tip(court_a, photo=SimpleUploadedFile("a.png", png(), content_type="image/png"))
    answer = staff_client(judge).get(f"/debtors/tips/{sent.pk}/photo/")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert staff_client(judge_b).get(f"/debtors/tips/{sent.pk}/photo/").status_code == 404


# --- API ------------------------------------------------------------------------------------

API = "/api/v1/debtors/tips/"


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def test_api_hotline_route_and_outcome(court_a, staff, case, judge, travel):
    clerk = api(staff[Role.CLERK])
    created = clerk.post(
        API, {"debtor_name": "不知名公司", "details": "来电：有一处厂房"}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source"] == "hotline" and body["status"] == "unroutable"
    assert body["check_due_on"] == "2026-03-07" and body["overdue"] is False
    url = f"{API}{body['id']}/"
    refused = api(judge).post(f"{url}route/", {"case": case.pk}, format="json")
    assert refused.status_code == 403
    routed = api(staff[Role.SECTION_CHIEF]).post(f"{url}route/", {"case": case.pk}, format="json")
    assert routed.status_code == 200, routed.content
    assert routed.json()["judge"] == judge.pk and routed.json()["case_number"] == case.number
    bad = api(judge).post(f"{url}outcome/", {"outcome": "nonsense", "note": ""}, format="json")
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"outcome", "note"}
    done = api(judge).post(
        f"{url}outcome/",
        {"outcome": "property_found", "note": "厂房属实", "asset_classes": ["real_estate"]},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "checked" and done.json()["investigation_request"]
    again = api(judge).post(f"{url}outcome/", {"outcome": "duplicate", "note": "x"}, format="json")
    assert again.status_code == 400 and again.json()["fields"]["status"]


def test_api_filters_and_court_visibility(court_a, case, judge, judge_b, staff, travel):
    late = tip(court_a)
    travel.move_to(dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.UTC))
    tip(court_a, debtor_name="不知名公司")
    listed = api(judge).get(API, {"overdue": "true"}).json()
    assert [row["reference"] for row in listed["results"]] == [late.reference]
    assert listed["results"][0]["overdue"] is True
    assert api(judge).get(API, {"status": "unroutable"}).json()["count"] == 1
    assert api(judge_b).get(API).json()["count"] == 0
    assert api(judge_b).get(f"{API}{late.pk}/").status_code == 404
    president = api(staff[Role.PRESIDENT])
    assert president.get(API).json()["count"] == 2
    denied = president.post(API, {"debtor_name": "x", "details": "y"}, format="json")
    assert denied.status_code == 403
    assert api(staff[Role.FINANCE]).get(API).status_code == 403
    bad = api(judge).post(API, {"debtor_name": "x", "details": "y", "contact_phone": "1"})
    assert bad.status_code == 400 and "contact_phone" in bad.json()["fields"]


# --- Admin and demo -------------------------------------------------------------------------


def test_the_admin_lists_tips_of_visible_courts_read_only(court_a, court_b, case, staff):
    from tests.factories import UserFactory

    tip(court_a)
    tip(court_b, debtor_name="上城某公司")
    sysadmin = UserFactory(username="tips_admin", court=court_b, is_staff=True, roles=[Role.CLERK])
    from django.contrib.auth.models import Permission

    sysadmin.user_permissions.add(Permission.objects.get(codename="view_tip"))
    client = staff_client(sysadmin)
    listing = client.get("/admin/debtors/tip/?overdue=yes")
    assert listing.status_code == 200
    page = client.get("/admin/debtors/tip/").content.decode()
    assert "上城某公司" in page and COMPANY not in page  # another court's tips stay hidden
    assert client.get("/admin/debtors/tip/add/").status_code == 403


def test_demo_tips_load_once(court_a, staff, case, second_case_of_another_party):
    from debtors.demo_tips import load_tips

    with time_machine.travel(RECEIVED, tick=False):
        assert load_tips(court_a, staff) == 4
        assert load_tips(court_a, staff) == 0
    statuses = sorted(Tip.objects.values_list("status", flat=True))
    assert statuses == ["checked", "routed", "routed", "unroutable"]
    overdue = Tip.objects.get(source="hotline", status="routed")
    assert overdue.is_overdue(dt.date(2026, 3, 2))
    assert Tip.objects.get(status="checked").investigation_request is not None


@pytest.fixture
def second_case_of_another_party(court_a, judge, applicant, person_respondent):
    third = enforcement_services.register_party(
        court=court_a, kind=Party.Kind.PERSON, name="赵六", id_number=other_person_id()
    )
    file_case(court_a, judge, applicant, person_respondent, instrument_number="(2016)浙0103民初2号")
    return file_case(court_a, judge, applicant, third, instrument_number="(2016)浙0103民初3号")


def test_a_chief_routes_a_queued_tip_from_its_page(court_a, staff, case, judge):
    queued = tip(court_a, debtor_name="不知名公司")
    chief = staff_client(staff[Role.SECTION_CHIEF])
    page = chief.get(f"/debtors/tips/{queued.pk}/").content.decode()
    assert 'data-testid="assign-form"' in page and case.number in page
    assert (
        'data-testid="assign-form"'
        not in staff_client(judge).get(f"/debtors/tips/{queued.pk}/").content.decode()
    )  # a judge checks leads, the chiefs route them
    wrong = chief.post(f"/debtors/tips/{queued.pk}/assign/", {"assign-case": "999999"})
    assert wrong.status_code == 400
    done = chief.post(f"/debtors/tips/{queued.pk}/assign/", {"assign-case": case.pk})
    assert done.status_code == 302
    queued.refresh_from_db()
    assert (queued.status, queued.judge) == (Tip.Status.ROUTED, judge)
    denied = staff_client(judge).post(
        f"/debtors/tips/{queued.pk}/assign/", {"assign-case": case.pk}
    )
    assert denied.status_code == 403


def test_the_board_exports_what_it_shows_to_excel(court_a, case, judge, travel):
    from openpyxl import load_workbook

    late = tip(court_a)
    travel.move_to(dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.UTC))
    tip(court_a, debtor_name="不知名公司")
    answer = staff_client(judge).get("/debtors/tips/?overdue=true&format=xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "线索编号" and len(rows) == 2
    assert rows[1][0] == late.reference and rows[1][7] == case.number
    assert sheet["A2"].fill.fgColor.rgb.endswith("F8D7DA")


def test_the_daily_job_is_scheduled_and_roles_granted(staff):
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="debtors.alert_overdue_tips")
    assert job.enabled and job.crontab.hour == "8" and job.crontab.timezone.key == "Asia/Shanghai"
    assert staff[Role.JUDGE].has_perms(["debtors.add_tip", "debtors.change_tip"])
    assert staff[Role.PRESIDENT].has_perm("debtors.view_tip")
    assert not staff[Role.PRESIDENT].has_perm("debtors.change_tip")
    assert not staff[Role.FINANCE].has_perm("debtors.view_tip")


def test_the_board_costs_the_same_queries_for_few_or_many_tips(court_a, case, judge):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = staff_client(judge)
    tip(court_a)
    client.get("/debtors/tips/")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        client.get("/debtors/tips/")
    for n in range(8):
        tip(court_a, debtor_name=f"某公司{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/debtors/tips/")
    assert len(many) == len(few)

"""Admin for every enforcement model (court-scoped, read-only where rules apply) and demo data."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from stdnum.cn import ric, uscc

from courtexec.roles import Role
from courtexec.visibility import restrict
from enforcement import services
from enforcement.models import (
    Campaign,
    CaseParty,
    CoerciveMeasure,
    ConsultationReminder,
    DeadlineExtension,
    EnforcementCase,
    Party,
    TravelRequest,
)
from enforcement.validators import CASE_NUMBER, LEGACY_CASE_NUMBER
from tests.factories import UserFactory

ENFORCEMENT_MODELS = sorted(
    (
        model
        for model in apps.get_app_config("enforcement").get_models()
        if not model.__name__.startswith("Historical")
    ),
    key=lambda model: model.__name__,
)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 30, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile("seizure.jpg", buffer.getvalue(), content_type="image/jpeg")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def superuser(court_a):
    return UserFactory(
        username="a_admin", court=court_a, roles=[Role.SYSADMIN], is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def records(court_a, staff, case, person_respondent):
    """One record of every enforcement model in court A, each written through the services."""
    judge, chief, president = staff[Role.JUDGE], staff[Role.BUREAU_CHIEF], staff[Role.PRESIDENT]
    services.add_case_party(
        case=case,
        link=services.PartyRole(party=person_respondent, role=CaseParty.Role.RESPONDENT),
        user=judge,
    )
    services.record_milestone(
        case=case, user=judge, milestone="execution_notice_sent_on", on=dt.date(2016, 4, 2)
    )
    extension = services.request_extension(case=case, user=judge, months=2, reason="拍卖中")
    consultation = services.record_consultation(
        case=case,
        user=judge,
        held_on=dt.date(2016, 7, 5),
        participants=[judge, chief],
        findings="被执行人名下无可供执行财产",
        next_steps="继续查控",
    )
    services.remind_consultations(today=timezone.localdate())
    services.warn_deadlines(today=timezone.localdate())  # the 2016 case is overdue
    meeting = services.convene_meeting(
        court=court_a, user=chief, held_on=dt.date(2016, 8, 1), attendees=[chief, judge]
    )
    item = services.put_on_agenda(meeting=meeting, case=case, user=chief, matter="拍卖商业用房")
    services.record_meeting_decision(
        item=item,
        user=chief,
        decision="approved",
        discussion="同意",
        votes_for=2,
        votes_against=0,
        abstentions=0,
        approved_amount=Decimal("2000000"),
    )
    disposal = services.order_disposal(
        case=case, user=judge, description="商业用房一套", amount=Decimal("1500000")
    )
    objection = services.file_objection(
        case=case,
        user=judge,
        objector_name="案外人赵六",
        contested_act="查封房产",
        filed_on=dt.date(2016, 6, 1),
    )
    measure = services.decide_measure(
        case=case,
        user=judge,
        kind=CoerciveMeasure.Kind.DETENTION,
        subject=person_respondent,
        reason="拒不履行",
        decided_on=dt.date(2016, 6, 10),
        detention_days=10,
    )
    action = services.record_field_action(
        case=case,
        user=judge,
        kind="seizure",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        place="杭州市下城区体育场路1号",
        participants="王法官、周法警",
        photos=[_photo()],
    )
    travel = services.request_travel(
        case=case,
        user=judge,
        destination="温州市",
        purpose="查封房产",
        depart_on=dt.date(2016, 9, 1),
        return_on=dt.date(2016, 9, 2),
        travellers=[judge, staff[Role.JUDICIAL_POLICE]],
    )
    services.decide_travel(travel=travel, user=chief, approve=True)
    ticket = services.record_ticket(
        travel=travel,
        user=staff["ticket_clerk"],
        traveller=judge,
        mode="train",
        reference="E123456789",
        travel_on=dt.date(2016, 9, 1),
        price=Decimal("169.50"),
    )
    campaign = services.create_campaign(
        court=court_a,
        user=chief,
        name="涉民生案件专项执行活动",
        starts_on=dt.date(2016, 1, 1),
        ends_on=dt.date(2016, 12, 31),
        categories=["livelihood"],
    )
    return {
        "case": case,
        "extension": extension,
        "consultation": consultation,
        "meeting": meeting,
        "item": item,
        "disposal": disposal,
        "objection": objection,
        "measure": measure,
        "action": action,
        "travel": travel,
        "ticket": ticket,
        "campaign": campaign,
        "president": president,
    }


# --- Every model has an admin that renders --------------------------------------------------------


def test_every_enforcement_model_has_a_court_scoped_admin():
    from courtexec.admin import CourtScopedAdmin

    for model in ENFORCEMENT_MODELS:
        assert model in admin.site._registry, model
        assert isinstance(admin.site._registry[model], CourtScopedAdmin), model


def test_changelist_change_and_history_pages_render(admin_client, records):
    for model in ENFORCEMENT_MODELS:
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {model.__name__} to show"
        changelist = admin_client.get(_url(model, "changelist"))
        assert changelist.status_code == 200, model
        assert changelist.context["cl"].result_count >= 1, model
        assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200, model
        assert admin_client.get(_url(model, "history", obj.pk)).status_code == 200, model
    # Search by case number, party name and identity number; the deadline filters.
    url = _url(EnforcementCase, "changelist")
    case = records["case"]
    for text in (case.number, "张三", "11010519491231002X"):
        assert admin_client.get(url, {"q": text}).context["cl"].result_count == 1, text
    for value in ("overdue", "due_soon", "consultation"):
        assert admin_client.get(url, {"deadline": value}).status_code == 200


# --- Court isolation ----------------------------------------------------------------------------


@pytest.fixture
def chief_b(court_b):
    return UserFactory(username="b_chief", court=court_b, roles=[Role.BUREAU_CHIEF], is_staff=True)


def test_a_chief_of_court_b_sees_nothing_of_court_a(records, chief_b):
    client = Client()
    client.force_login(chief_b)
    changelist = client.get(_url(EnforcementCase, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 0
    assert records["case"].number not in changelist.content.decode()
    for model in ENFORCEMENT_MODELS:
        obj = model._default_manager.order_by("pk").first()
        # Another court's record is not found, as if it did not exist (admin redirects);
        # the history pages of simple-history are guarded by the same queryset.
        assert client.get(_url(model, "history", obj.pk)).status_code == 404, model
        if not chief_b.has_perm(f"enforcement.view_{model._meta.model_name}"):
            assert client.get(_url(model, "changelist")).status_code == 403, model
            continue
        response = client.get(_url(model, "changelist"))
        assert response.status_code == 200, model
        assert response.context["cl"].result_count == 0, model
        assert client.get(_url(model, "change", obj.pk)).status_code == 302, model
    history = EnforcementCase.history.filter(id=records["case"].pk).first()
    revert = _url(EnforcementCase, "simple_history", records["case"].pk, history.history_id)
    assert client.get(revert).status_code == 404


def test_party_case_links_show_only_own_courts_cases(court_a, court_b, records, chief_b):
    """A party in both courts' cases: court B sees the party but not court A's case."""
    judge_b = UserFactory(username="b_judge", court=court_b, roles=[Role.JUDGE])
    party = records["case"].parties.get(role=CaseParty.Role.RESPONDENT, party__kind="organisation")
    applicant = services.register_party(court=court_b, kind=Party.Kind.PERSON, name="钱七")
    case_b = services.file_case(
        court=court_b,
        user=judge_b,
        type_code="执",
        category="other",
        issuing_body="杭州市上城区人民法院",
        instrument_number="(2016)浙0102民初1号",
        instrument_effective_on=dt.date(2016, 1, 1),
        instrument_kind="litigation",
        amount_to_enforce=Decimal("1000"),
        filed_on=dt.date(2016, 2, 1),
        judge=judge_b,
        parties=[
            services.PartyRole(
                party=applicant, role="applicant", payee_bank="工行", payee_account_number="6222"
            ),
            services.PartyRole(party=party.party, role="respondent"),
        ],
    )
    client = Client()
    client.force_login(chief_b)
    page = client.get(_url(Party, "change", party.party.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert case_b.number in content
    assert records["case"].number not in content


# --- No raw writes past the rules -----------------------------------------------------------------


def _form_data(response) -> dict:
    """The POST data of an admin change form as rendered (main form and inline formsets)."""
    data: dict = {}

    def put(form) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            data[form.add_prefix(name)] = (
                [str(v) for v in value] if isinstance(value, list) else value
            )

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        put(inline.formset.management_form)
        for form in inline.formset.forms:
            put(form)
    return data


def test_cases_cannot_be_added_in_admin(admin_client, records):
    before = EnforcementCase.objects.count()
    response = admin_client.get(_url(EnforcementCase, "add"))
    assert response.status_code == 302
    assert response.url == _url(EnforcementCase, "changelist")
    assert any("cannot be added" in m or "不能" in m for m in _messages(response))
    admin_client.post(_url(EnforcementCase, "add"), {"number": "(2016)浙0103执9999号"})
    assert EnforcementCase.objects.count() == before
    changelist = admin_client.get(_url(EnforcementCase, "changelist"))
    assert changelist.context["has_add_permission"] is False
    assert _url(EnforcementCase, "add") not in changelist.content.decode()


def test_descriptive_fields_are_editable_rule_bound_ones_are_not(admin_client, records):
    case = records["case"]
    url = _url(EnforcementCase, "change", case.pk)
    data = _form_data(admin_client.get(url))
    assert "status" not in data and "number" not in data and "due_on" not in data
    data.update(
        category="ip",
        issuing_body="杭州市中级人民法院",
        status="concluded",
        closure_mode="performed",
        number="(2016)浙0103执1号",
        due_on="2030-01-01",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    case.refresh_from_db()
    assert case.category == "ip" and case.issuing_body == "杭州市中级人民法院"
    assert case.status == EnforcementCase.Status.IN_PROGRESS
    assert case.closure_mode == "" and case.due_on == dt.date(2016, 10, 1)
    assert case.history.first().history_user.username == "a_admin"
    history = admin_client.get(_url(EnforcementCase, "history", case.pk)).content.decode()
    assert str(case.history.first().history_user) in history


def test_assistants_must_work_for_the_case_court(admin_client, records, court_b):
    outsider = UserFactory(username="b_clerk", court=court_b, roles=[Role.CLERK])
    case = records["case"]
    url = _url(EnforcementCase, "change", case.pk)
    data = _form_data(admin_client.get(url))
    data["assistants"] = [str(outsider.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "assistants" in response.context["adminform"].form.errors
    assert not case.assistants.filter(pk=outsider.pk).exists()


def test_reverting_from_history_is_refused(admin_client, records):
    case = records["case"]
    oldest = case.history.order_by("history_date").first()
    url = _url(EnforcementCase, "simple_history", case.pk, oldest.history_id)
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"category": "ip"}).status_code == 403
    case.refresh_from_db()
    assert case.status == EnforcementCase.Status.IN_PROGRESS


def test_view_only_admins_do_not_save(admin_client, records):
    measure = records["measure"]
    url = _url(CoerciveMeasure, "change", measure.pk)
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"detention_days": "30", "approved_by": str(records["president"].pk)})
    measure.refresh_from_db()
    assert measure.detention_days == 10 and measure.approved_by is None


# --- Actions call the services ----------------------------------------------------------------


def _act(client, model, action: str, *objs):
    return client.post(
        _url(model, "changelist"),
        {"action": action, "_selected_action": [str(obj.pk) for obj in objs], "index": 0},
    )


def test_extension_approval_action_and_a_refusal_as_a_message(admin_client, records):
    extension = records["extension"]
    response = _act(admin_client, DeadlineExtension, "approve", extension)
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.status == DeadlineExtension.Status.APPROVED
    records["case"].refresh_from_db()
    assert records["case"].due_on == dt.date(2016, 12, 1)  # 6 + 2 months
    again = _act(admin_client, DeadlineExtension, "reject", extension)
    assert again.status_code == 302
    assert any("already been decided" in m or "已" in m for m in _messages(again))
    extension.refresh_from_db()
    assert extension.status == DeadlineExtension.Status.APPROVED


def test_a_chief_cannot_approve_a_measure_the_president_must(records, staff):
    chief = staff[Role.BUREAU_CHIEF]
    chief.is_staff = True
    chief.save()
    client = Client()
    client.force_login(chief)
    measure = records["measure"]
    response = _act(client, CoerciveMeasure, "approve", measure)
    assert response.status_code == 302
    assert _messages(response)
    measure.refresh_from_db()
    assert measure.approved_at is None
    president = records["president"]
    president.is_staff = True
    president.save()
    client.force_login(president)
    _act(client, CoerciveMeasure, "approve", measure)
    measure.refresh_from_db()
    assert measure.approved_by == president


def test_travel_decision_and_reminder_actions(admin_client, records, staff):
    travel = services.request_travel(
        case=records["case"],
        user=staff[Role.JUDGE],
        destination="合肥市",
        purpose="调查到期债权",
        depart_on=dt.date(2016, 10, 8),
        return_on=dt.date(2016, 10, 9),
        travellers=[staff[Role.JUDGE]],
    )
    _act(admin_client, TravelRequest, "reject", travel)
    travel.refresh_from_db()
    assert travel.status == TravelRequest.Status.REJECTED
    # The daily job, on demand: idempotent (the fixture's run already opened the reminder).
    response = _act(admin_client, EnforcementCase, "remind_consultations_now", records["case"])
    assert response.status_code == 302
    assert ConsultationReminder.objects.filter(case=records["case"]).count() == 1
    assert any("0" in message for message in _messages(response))


# --- Demo data ----------------------------------------------------------------------------------


def test_demo_loads_about_two_hundred_cases_once(admin_client):
    call_command("demo", stdout=io.StringIO())
    cases = EnforcementCase.objects.filter(court__code="浙0103")
    first = cases.count()
    assert 190 <= first <= 230
    call_command("demo", stdout=io.StringIO())
    assert cases.count() == first
    assert EnforcementCase.objects.filter(court__code="浙0102").count() == 3

    assert set(cases.values_list("status", flat=True)) == set(EnforcementCase.Status.values)
    assert set(cases.values_list("category", flat=True)) == set(EnforcementCase.Category.values)
    modes = set(cases.exclude(closure_mode="").values_list("closure_mode", flat=True))
    assert modes == set(EnforcementCase.ClosureMode.values)
    assert {"执", "执恢", "执保"} <= set(cases.values_list("type_code", flat=True))
    for number in cases.values_list("number", flat=True):
        assert CASE_NUMBER.match(number) or LEGACY_CASE_NUMBER.match(number), number
    years = {day.year for day in cases.values_list("filed_on", flat=True)}
    assert min(years) == 2015 and max(years) == timezone.localdate().year

    for party in Party.objects.all():
        assert party.id_number, party
        if party.kind == Party.Kind.PERSON:
            assert ric.is_valid(party.id_number), party.id_number
            assert ric.get_birth_date(party.id_number) == party.birth_date
            assert re.match(r"^3301", party.id_number)
        else:
            assert uscc.is_valid(party.id_number), party.id_number
    applicants = CaseParty.objects.filter(role=CaseParty.Role.APPLICANT)
    assert not applicants.filter(payee_account_number="").exists()

    # Deadlines and the consultation job have something to show.
    from enforcement import selectors

    today = timezone.localdate()
    assert selectors.overdue_cases(cases, today).exists()
    assert selectors.due_soon_cases(cases, today).exists()
    assert ConsultationReminder.objects.filter(resolved_by__isnull=True).exists()
    assert CoerciveMeasure.objects.filter(kind="police_transfer").count() == 1
    detentions = CoerciveMeasure.objects.filter(kind="detention", approved_by__isnull=False)
    assert detentions.exists() and all(m.detention_days <= 15 for m in detentions)
    from enforcement.models import Objection

    for campaign in Campaign.objects.all():
        figures = selectors.campaign_figures(campaign)
        assert figures.cases_concluded > 0 and figures.detentions > 0
    assert selectors.overdue_objections(Objection.objects.all(), today).count() == 1

    # The clerk buys the tickets; a judge of 上城 sees only 上城's cases.
    from courtexec.models import User

    assert User.objects.get(username="clerk").has_perm("enforcement.buy_tickets")
    judge2 = User.objects.get(username="judge2")
    assert restrict(EnforcementCase.objects.all(), judge2).count() == 3

    # Every admin page renders with the demo's variety of records.
    for model in ENFORCEMENT_MODELS:
        assert admin_client.get(_url(model, "changelist")).status_code == 200, model
        obj = model._default_manager.order_by("-pk").first()
        assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200, model


def test_campaign_edit_is_validated_by_the_form(admin_client, records):
    campaign = records["campaign"]
    url = _url(Campaign, "change", campaign.pk)
    data = _form_data(admin_client.get(url))
    data.update(starts_on="2016-06-01", ends_on="2016-05-01")
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error, not a 500
    assert response.context["adminform"].form.errors
    data.update(ends_on="2016-12-31", categories=["livelihood", "financial"])
    assert admin_client.post(url, data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.categories == ["livelihood", "financial"]
    assert campaign.starts_on == dt.date(2016, 6, 1)

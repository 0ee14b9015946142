"""The enforcement pages, through Django's test client against the real database.

Pages are requested in English (``Accept-Language: en``) so the assertions hold whatever the
zh-hans catalogue says; the browser tests check the Chinese default.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from courtexec.roles import Role
from enforcement import deadlines, services
from enforcement.models import (
    CaseParty,
    CoerciveMeasure,
    EnforcementCase,
    FieldAction,
    JointMeeting,
    MeetingDecision,
    Party,
    TravelRequest,
)
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID, PERSON_ID_2, file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BAD_CHECK_DIGIT_ID = "110105194912310021"


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def detail_url(case) -> str:
    return reverse("enforcement:case-detail", args=[case.pk])


def png(name: str = "photo.png") -> BytesIO:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), (155, 28, 28)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def cases(court_a, judge, applicant, respondent, person_respondent, staff):
    """Three cases of court A: overdue (2016), due soon, and a fresh livelihood case of another
    judge against a person."""
    today = timezone.localdate()
    other_judge = UserFactory(username="a_judge_2", court=court_a, roles=[Role.JUDGE])
    overdue = file_case(court_a, judge, applicant, respondent)
    due_soon = file_case(
        court_a,
        judge,
        applicant,
        respondent,
        filed_on=deadlines.add_months(today, -6) + dt.timedelta(days=10),
        amount_to_enforce=Decimal("5000.00"),
    )
    fresh = file_case(
        court_a,
        judge,
        applicant,
        person_respondent,
        judge=other_judge,
        filed_on=today,
        category=EnforcementCase.Category.LIVELIHOOD,
        amount_to_enforce=Decimal("800.50"),
    )
    return {"overdue": overdue, "due_soon": due_soon, "fresh": fresh, "other_judge": other_judge}


def listed_numbers(response) -> list[str]:
    page = response.content.decode()
    return [case.number for case in EnforcementCase.objects.all() if f">{case.number}</a>" in page]


# --- The list -------------------------------------------------------------------------------------


class TestCaseList:
    def test_lists_cases_with_deadline_badges(self, cases, judge):
        response = client_for(judge).get("/cases/")
        assert response.status_code == 200
        page = response.content.decode()
        assert set(listed_numbers(response)) == {c.number for c in EnforcementCase.objects.all()}
        # Each case appears twice: a table row, and a card for phones.
        assert page.count('data-badge="overdue"') == 2
        assert page.count('data-badge="due_soon"') == 2
        assert 'data-testid="case-cards"' in page
        assert "120,000.00" in page  # money grouped
        assert 'id="case-filters"' in page and 'hx-get="/cases/"' in page

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("deadline=overdue", {"overdue"}),
            ("deadline=due_soon", {"due_soon"}),
            ("category=livelihood", {"fresh"}),
            ("category=financial&category=livelihood", {"overdue", "due_soon", "fresh"}),
            ("status=filed", {"overdue", "due_soon", "fresh"}),
            ("status=concluded", set()),
            ("type_code=执恢", set()),
            ("needs_consultation=true", {"overdue", "due_soon"}),  # open > 3 months
            ("needs_consultation=false", {"fresh"}),
            ("q=王五", {"fresh"}),  # respondent's name
            (f"q={PERSON_ID_2}", {"fresh"}),  # respondent's ID
            (f"q={CREDIT_CODE}", {"overdue", "due_soon"}),
            ("filed_before=2016-12-31", {"overdue"}),
        ],
    )
    def test_filters_and_search(self, cases, judge, query, expected):
        response = client_for(judge).get(f"/cases/?{query}")
        assert response.status_code == 200
        assert set(listed_numbers(response)) == {cases[key].number for key in expected}

    def test_search_by_case_number(self, cases, judge):
        number = cases["fresh"].number
        response = client_for(judge).get("/cases/", {"q": number})
        assert listed_numbers(response) == [number]

    def test_filter_by_judge_and_my_cases(self, cases, judge):
        client = client_for(judge)
        mine = client.get("/cases/mine/")
        assert set(listed_numbers(mine)) == {cases["overdue"].number, cases["due_soon"].number}
        other = client.get(f"/cases/?judge={cases['other_judge'].pk}")
        assert listed_numbers(other) == [cases["fresh"].number]

    def test_empty_state(self, cases, judge):
        page = client_for(judge).get("/cases/?q=nobody-by-this-name").content.decode()
        assert 'data-testid="empty-state"' in page
        assert "No case matches these filters." in page

    def test_bad_filter_values_are_ignored_not_500(self, cases, judge):
        response = client_for(judge).get(
            "/cases/?filed_after=not-a-date&status=bogus&judge=999999&page=abc&ordering=nope"
        )
        assert response.status_code == 200

    def test_htmx_gets_only_the_table(self, cases, judge):
        response = client_for(judge).get("/cases/?q=王五", headers={"HX-Request": "true"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in page and 'data-testid="case-table"' in page
        assert listed_numbers(response) == [cases["fresh"].number]
        assert 'hx-swap-oob="true"' in page  # the sort select follows the header links

    def test_sorting(self, cases, judge):
        client = client_for(judge)
        ascending = listed_numbers(client.get("/cases/?ordering=amount"))
        page = client.get("/cases/?ordering=amount").content.decode()
        order = sorted(EnforcementCase.objects.all(), key=lambda c: page.index(f">{c.number}</a>"))
        assert [c.amount_to_enforce for c in order] == sorted(c.amount_to_enforce for c in order)
        assert len(ascending) == 3
        page = client.get("/cases/?ordering=-amount").content.decode()
        order = sorted(EnforcementCase.objects.all(), key=lambda c: page.index(f">{c.number}</a>"))
        assert order[0] == cases["overdue"]
        assert 'data-dir="desc"' in page

    def test_pagination_25_a_page(self, court_a, judge, applicant, respondent):
        for _ in range(27):
            file_case(court_a, judge, applicant, respondent)
        client = client_for(judge)
        first = client.get("/cases/")
        assert len(listed_numbers(first)) == 25
        assert "Page 1 of 2" in first.content.decode()
        assert len(listed_numbers(client.get("/cases/?page=2"))) == 2

    def test_query_count_does_not_grow_with_cases(
        self, court_a, judge, applicant, respondent, django_assert_max_num_queries
    ):
        def count_queries() -> int:
            client = client_for(judge)
            # 9 today: session, user, permissions (2), count, page, parties, the judge
            # filter's staff and their groups.
            with (
                django_assert_max_num_queries(10),
                CaptureQueriesContext(connection) as context,
            ):
                assert client.get("/cases/").status_code == 200
            return len(context.captured_queries)

        for _ in range(3):
            file_case(court_a, judge, applicant, respondent)
        with_three = count_queries()
        for _ in range(17):
            file_case(court_a, judge, applicant, respondent)
        assert count_queries() == with_three

    def test_court_b_sees_none_of_court_a(self, cases, judge_b):
        client = client_for(judge_b)
        response = client.get("/cases/")
        assert listed_numbers(response) == []
        assert 'data-testid="empty-state"' in response.content.decode()
        workbook = load_workbook(BytesIO(client.get("/cases/?format=xlsx").content))
        assert workbook.active.max_row == 1  # the header only

    def test_needs_login(self, db):
        response = Client().get("/cases/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_nav_links_to_the_case_list(self, judge):
        page = client_for(judge).get("/").content.decode()
        assert 'href="/cases/"' in page
        assert 'href="/funds/"' in page  # the funds section has its own pages now


class TestExport:
    def test_xlsx_of_the_filtered_list(self, cases, judge):
        response = client_for(judge).get("/cases/?category=financial&ordering=amount&format=xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert "attachment" in response["Content-Disposition"]
        sheet = load_workbook(BytesIO(response.content)).active
        headers = [cell.value for cell in sheet[1]]
        assert headers[:6] == [
            "案号",
            "案件类型",
            "案件类别",
            "申请执行人",
            "被执行人",
            "执行标的（元）",
        ]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [row[0] for row in rows] == [cases["due_soon"].number, cases["overdue"].number]
        overdue = rows[1]
        assert overdue[1] == "执"
        assert overdue[3] == "张三" and overdue[4] == "杭州某某贸易有限公司"
        assert overdue[5] == 120000  # a number, not text
        assert sheet.cell(row=3, column=6).number_format == "#,##0.00"
        assert overdue[8].date() == dt.date(2016, 4, 1)
        assert overdue[10] == "已超期"

    def test_export_ignores_pagination(self, court_a, judge, applicant, respondent):
        for _ in range(30):
            file_case(court_a, judge, applicant, respondent)
        response = client_for(judge).get("/cases/?page=2&format=xlsx")
        assert load_workbook(BytesIO(response.content)).active.max_row == 31


# --- Filing ---------------------------------------------------------------------------------------


def filing_data(judge, **overrides) -> dict:
    data = {
        "case-type_code": "执",
        "case-category": "financial",
        "case-issuing_body": "杭州市下城区人民法院",
        "case-instrument_number": "(2024)浙0103民初88号",
        "case-instrument_effective_on": "2024-03-01",
        "case-instrument_kind": "litigation",
        "case-amount_to_enforce": "250000.00",
        "case-filed_on": timezone.localdate().isoformat(),
        "case-judge": str(judge.pk),
        "case-legacy_number": "",
        "applicant-kind": "person",
        "applicant-id_number": PERSON_ID,
        "applicant-name": "张三",
        "applicant-phone": "13900000001",
        "applicant-address": "杭州市下城区",
        "applicant-legal_representative": "",
        "applicant-payee_bank": "中国工商银行杭州分行",
        "applicant-payee_account_name": "",
        "applicant-payee_account_number": "6222 0202 0202 0202 020",
        "respondent-kind": "organisation",
        "respondent-id_number": CREDIT_CODE,
        "respondent-name": "杭州某某贸易有限公司",
        "respondent-phone": "",
        "respondent-address": "",
        "respondent-legal_representative": "李四",
    }
    data.update(overrides)
    return data


class TestFiling:
    def test_form_renders(self, judge):
        response = client_for(judge).get("/cases/new/")
        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="applicant-payee_account_number"' in page
        assert f'value="{judge.pk}" selected' in page  # the judge files for themself

    def test_filing_assigns_a_number_and_redirects(self, court_a, judge):
        client = client_for(judge)
        response = client.post("/cases/new/", filing_data(judge))
        case = EnforcementCase.objects.get()
        assert response.status_code == 302
        assert response["Location"] == detail_url(case)
        year = timezone.localdate().year
        assert case.number == f"({year})浙0103执1号"
        assert case.judge == judge
        applicant = case.parties.get(role=CaseParty.Role.APPLICANT)
        assert applicant.payee_account_number == "6222020202020202020"
        assert applicant.payee_account_name == "张三"
        page = client.get(response["Location"]).content.decode()
        assert f"Case filed with number {case.number}." in page

    def test_existing_party_is_picked_by_id_number(self, court_a, judge, applicant, respondent):
        data = filing_data(judge, **{"applicant-name": "", "respondent-name": ""})
        data["respondent-kind"] = "person"  # the registered party's kind wins
        response = client_for(judge).post("/cases/new/", data)
        assert response.status_code == 302
        case = EnforcementCase.objects.get()
        assert {link.party for link in case.parties.all()} == {applicant, respondent}
        assert Party.objects.count() == 2

    def test_party_lookup(self, judge, applicant):
        client = client_for(judge)
        found = client.get("/cases/parties/lookup/", {"applicant-id_number": PERSON_ID.lower()})
        assert "张三" in found.content.decode()
        missing = client.get("/cases/parties/lookup/", {"respondent-id_number": PERSON_ID_2})
        assert "No registered party" in missing.content.decode()

    def test_bad_id_number_is_a_field_error_and_nothing_is_saved(self, judge):
        data = filing_data(judge, **{"respondent-kind": "person"})
        data["respondent-id_number"] = BAD_CHECK_DIGIT_ID
        response = client_for(judge).post("/cases/new/", data)
        assert response.status_code == 200
        form = response.context["respondent_form"]
        assert "check digit" in form.errors["id_number"][0]
        assert EnforcementCase.objects.count() == 0
        assert Party.objects.count() == 0  # the applicant registered first was rolled back

    def test_missing_and_malformed_fields(self, judge):
        data = filing_data(
            judge,
            **{
                "case-amount_to_enforce": "-5",
                "case-filed_on": "2099-13-01",
                "case-issuing_body": "",
                "applicant-payee_bank": "",
            },
        )
        response = client_for(judge).post("/cases/new/", data)
        assert response.status_code == 200
        assert set(response.context["form"].errors) >= {
            "amount_to_enforce",
            "filed_on",
            "issuing_body",
        }
        assert "payee_bank" in response.context["applicant_form"].errors
        response = client_for(judge).post(
            "/cases/new/", filing_data(judge, **{"respondent-name": ""})
        )
        assert response.context["respondent_form"].errors["name"] == ["Enter the party's name."]
        assert 'class="form-control is-invalid"' in response.content.decode()

    def test_service_errors_land_on_their_fields(self, judge):
        future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        data = filing_data(judge, **{"case-filed_on": future})
        response = client_for(judge).post("/cases/new/", data)
        assert (
            "The filing date cannot be in the future."
            in response.context["form"].errors["filed_on"]
        )
        data = filing_data(judge, **{"case-legacy_number": "2015-bad"})
        response = client_for(judge).post("/cases/new/", data)
        assert "legacy_number" in response.context["form"].errors
        assert EnforcementCase.objects.count() == 0

    def test_legacy_number_is_kept(self, judge):
        data = filing_data(judge, **{"case-legacy_number": "(2015)杭下执民字第2741号"})
        client_for(judge).post("/cases/new/", data)
        assert EnforcementCase.objects.get().number == "(2015)杭下执民字第2741号"

    def test_a_role_without_filing_rights_gets_403(self, staff):
        client = client_for(staff[Role.FINANCE])
        assert client.get("/cases/new/").status_code == 403


# --- The case file --------------------------------------------------------------------------------


@pytest.fixture
def full_case(court_a, staff, case, applicant, respondent, person_respondent, media):
    """A case with a record in every tab."""
    judge, chief = staff[Role.JUDGE], staff[Role.BUREAU_CHIEF]
    today = timezone.localdate()
    services.add_case_party(
        case=case,
        link=services.PartyRole(party=person_respondent, role=CaseParty.Role.RESPONDENT),
        user=judge,
    )
    services.record_milestone(
        case=case, user=judge, milestone="execution_notice_sent_on", on=dt.date(2016, 4, 2)
    )
    services.request_extension(case=case, user=judge, months=2, reason="财产处置中")
    services.record_consultation(
        case=case,
        user=judge,
        held_on=today,
        participants=[judge, chief],
        findings="被执行人有房产",
        next_steps="评估拍卖",
    )
    meeting = services.convene_meeting(
        court=court_a, user=chief, held_on=today, attendees=[chief, staff[Role.SECTION_CHIEF]]
    )
    item = services.put_on_agenda(meeting=meeting, case=case, user=chief, matter="拍卖房产")
    services.record_meeting_decision(
        item=item,
        user=chief,
        decision=MeetingDecision.Decision.APPROVED,
        discussion="同意",
        votes_for=2,
        votes_against=0,
        abstentions=0,
        approved_amount=Decimal("2000000"),
    )
    services.order_disposal(
        case=case, user=judge, description="下城区某路1号房产", amount=Decimal("1500000")
    )
    services.file_objection(
        case=case,
        user=judge,
        objector_name="案外人赵六",
        contested_act="查封房产",
        filed_on=dt.date(2016, 5, 1),
    )
    services.decide_measure(
        case=case,
        user=judge,
        kind=CoerciveMeasure.Kind.DETENTION,
        subject=person_respondent,
        reason="拒不履行",
        decided_on=today,
        detention_days=10,
    )
    services.record_field_action(
        case=case,
        user=judge,
        kind=FieldAction.Kind.VISIT,
        occurred_at=timezone.now(),
        place="杭州市下城区某小区",
        participants="王法官、周法警",
        photos=[_uploaded(png())],
    )
    travel = services.request_travel(
        case=case,
        user=judge,
        destination="北京",
        purpose="查控",
        depart_on=today,
        return_on=today + dt.timedelta(days=2),
        travellers=[judge],
    )
    services.decide_travel(travel=travel, user=chief, approve=True)
    services.record_ticket(
        travel=travel,
        user=staff["ticket_clerk"],
        traveller=judge,
        mode="train",
        reference="G12",
        travel_on=today,
        price=Decimal("553.00"),
    )
    return case


def _uploaded(buffer: BytesIO):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(buffer.name, buffer.getvalue(), content_type="image/png")


class TestCaseDetail:
    def test_every_tab_renders_its_records(self, full_case, judge):
        response = client_for(judge).get(detail_url(full_case))
        assert response.status_code == 200
        page = response.content.decode()
        for tab in [
            "overview",
            "parties",
            "deadlines",
            "consultations",
            "meetings",
            "disposals",
            "objections",
            "measures",
            "field",
            "travel",
            "timeline",
        ]:
            assert f'data-testid="pane-{tab}"' in page, tab
        for text in [
            full_case.number,
            "120,000.00",  # overview
            "杭州某某贸易有限公司",  # parties
            "6222020202020202020",  # payee account
            "财产处置中",  # extension
            "被执行人有房产",  # consultation
            "拍卖房产",  # meeting decision
            "下城区某路1号房产",  # disposal
            "案外人赵六",  # objection
            "拒不履行",  # measure
            "杭州市下城区某小区",  # field action
            'data-testid="field-photo"',
            "G12",  # ticket
            'data-testid="timeline"',
            'data-testid="termination-checklist"',
        ]:
            assert text in page, text

    def test_timeline_kind_filter(self, full_case, judge):
        client = client_for(judge)
        page = client.get(detail_url(full_case) + "?kind=field").content.decode()
        assert 'data-kind="field"' in page and 'data-kind="case"' not in page
        partial = client.get(
            reverse("enforcement:case-timeline", args=[full_case.pk]),
            {"kind": "objection"},
            headers={"HX-Request": "true"},
        ).content.decode()
        assert "<html" not in partial and 'data-kind="objection"' in partial
        assert 'data-kind="field"' not in partial
        full = client.get(reverse("enforcement:case-timeline", args=[full_case.pk]))
        assert full.status_code == 200 and "<html" in full.content.decode()

    def test_president_sees_approval_buttons_judge_does_not(self, full_case, staff):
        president = client_for(staff[Role.PRESIDENT]).get(detail_url(full_case)).content.decode()
        judge = client_for(staff[Role.JUDGE]).get(detail_url(full_case)).content.decode()
        approve = 'value="approve"'
        assert approve in president and approve not in judge

    def test_court_b_gets_404_everywhere(self, full_case, judge_b):
        client = client_for(judge_b)
        pk = full_case.pk
        extension = full_case.extensions.get()
        for url in [
            f"/cases/{pk}/",
            f"/cases/{pk}/timeline/",
            f"/cases/{pk}/field/new/",
        ]:
            assert client.get(url).status_code == 404, url
        for url, data in [
            (f"/cases/{pk}/close/", {"close-mode": "withdrawn", "close-reason": "x"}),
            (f"/cases/{pk}/performance/", {"performance-amount": "1", "performance-note": "x"}),
            (f"/cases/{pk}/extensions/{extension.pk}/decide/",
             {f"ext-{extension.pk}-decision": "approve"}),
            (f"/cases/{pk}/field/new/", {"kind": "visit"}),
        ]:  # fmt: skip
            assert client.post(url, data).status_code == 404, url
        full_case.refresh_from_db()
        assert full_case.is_open and full_case.amount_performed == 0

    def test_sub_records_of_another_case_are_404(self, court_a, judge, applicant, full_case):
        other = file_case(court_a, judge, applicant, full_case.parties.last().party)
        extension = full_case.extensions.get()
        url = f"/cases/{other.pk}/extensions/{extension.pk}/decide/"
        assert client_for(judge).post(url, {}).status_code == 404


class TestCaseActions:
    def test_terminating_for_now_too_early_lists_the_unmet_conditions(self, case, judge):
        response = client_for(judge).post(
            f"/cases/{case.pk}/close/",
            {"close-mode": "terminated_for_now", "close-reason": "无财产可供执行", "close-on": ""},
        )
        assert response.status_code == 200
        errors = response.context["close_form"].errors["mode"]
        assert "Issue the consumption restriction order." in errors
        assert "Complete the property investigation" in " ".join(errors)
        page = response.content.decode()
        assert "Issue the consumption restriction order." in page
        assert '<details class="action-form border rounded p-2 mb-2" open' in page
        case.refresh_from_db()
        assert case.is_open

    def test_performance_then_closure_as_performed(self, case, judge):
        client = client_for(judge)
        response = client.post(
            f"/cases/{case.pk}/close/", {"close-mode": "performed", "close-reason": "已履行"}
        )
        assert (
            "120,000.00 yuan is still to be performed."
            in response.context["close_form"].errors["mode"]
        )
        response = client.post(
            f"/cases/{case.pk}/performance/",
            {"performance-amount": "120000", "performance-note": "直接支付给申请人"},
        )
        assert response.status_code == 302
        response = client.post(
            f"/cases/{case.pk}/close/", {"close-mode": "performed", "close-reason": "已履行"}
        )
        assert response.status_code == 302 and response["Location"].endswith("#overview")
        case.refresh_from_db()
        assert case.status == EnforcementCase.Status.CONCLUDED
        page = client.get(detail_url(case)).content.decode()
        assert 'data-status="concluded"' in page and "concluded: Fully performed" in page
        response = client.post(f"/cases/{case.pk}/resume/", {"resume-reason": "发现新财产"})
        resumed = EnforcementCase.objects.get(resumed_from=case)
        assert response["Location"] == detail_url(resumed)
        assert resumed.type_code == "执恢"

    def test_bad_input_is_a_form_error_never_a_500(self, case, judge, person_respondent, staff):
        services.add_case_party(
            case=case,
            link=services.PartyRole(party=person_respondent, role=CaseParty.Role.RESPONDENT),
            user=judge,
        )
        client = client_for(judge)
        posts = [
            ("performance/", {"performance-amount": "abc"}, "performance_form", "amount"),
            ("performance/", {"performance-amount": "999999", "performance-note": "x"},
             "performance_form", "amount"),
            ("extensions/", {"extension-months": "5", "extension-reason": "x"},
             "extension_form", "months"),
            ("milestone/", {"milestone-milestone": "execution_notice_sent_on",
                            "milestone-on": "2010-01-01"}, "milestone_form", "on"),
            ("measures/", {"measure-kind": "fine", "measure-subject": person_respondent.pk,
                           "measure-reason": "x", "measure-decided_on": "2016-05-01",
                           "measure-fine_amount": "200000"}, "measure_form", "fine_amount"),
            ("measures/", {"measure-kind": "detention", "measure-subject": person_respondent.pk,
                           "measure-reason": "x", "measure-decided_on": "2016-05-01",
                           "measure-detention_days": "20"}, "measure_form", "detention_days"),
            ("disposals/", {"disposal-description": "房产", "disposal-amount": "5000000"},
             "disposal_form", "amount"),
            ("objections/", {"objection-contested_act": "查封", "objection-filed_on": "2016-05-01"},
             "objection_form", "objector_name"),
            ("consultations/", {"consultation-held_on": "2016-07-01"}, "consultation_form",
             "participants"),
            ("travel/", {"travel-destination": "北京", "travel-purpose": "查控",
                         "travel-depart_on": "2016-05-03", "travel-return_on": "2016-05-01",
                         "travel-travellers": [judge.pk]}, "travel_form", "return_on"),
            ("close/", {"close-mode": "nonsense", "close-reason": "x"}, "close_form", "mode"),
        ]  # fmt: skip
        for path, data, form_name, field in posts:
            response = client.post(f"/cases/{case.pk}/{path}", data)
            assert response.status_code == 200, path
            assert field in response.context[form_name].errors, (
                path,
                response.context[form_name].errors,
            )
        assert CoerciveMeasure.objects.count() == 0

    def test_large_disposal_shows_the_joint_meeting_refusal(self, case, judge):
        response = client_for(judge).post(
            f"/cases/{case.pk}/disposals/",
            {"disposal-description": "房产", "disposal-amount": "5000000"},
        )
        assert "joint meeting" in response.context["disposal_form"].errors["amount"][0]
        assert "联席会议" in response.content.decode()

    def test_only_the_president_decides_extensions(self, case, staff):
        judge, president = staff[Role.JUDGE], staff[Role.PRESIDENT]
        client_for(judge).post(
            f"/cases/{case.pk}/extensions/",
            {"extension-months": "2", "extension-reason": "正在拍卖"},
        )
        extension = case.extensions.get()
        url = f"/cases/{case.pk}/extensions/{extension.pk}/decide/"
        data = {f"ext-{extension.pk}-decision": "approve", f"ext-{extension.pk}-note": "同意"}
        assert client_for(judge).post(url, data).status_code == 403
        response = client_for(president).post(url, data)
        assert response.status_code == 302 and response["Location"].endswith("#deadlines")
        case.refresh_from_db()
        assert case.due_on == dt.date(2016, 12, 1)
        # Deciding twice is a form error, not a crash.
        response = client_for(president).post(url, data)
        assert response.status_code == 200
        assert "already been decided" in response.content.decode()

    def test_objection_filed_and_ruled(self, case, judge, applicant):
        client = client_for(judge)
        client.post(
            f"/cases/{case.pk}/objections/",
            {
                "objection-objector_party": applicant.pk,
                "objection-contested_act": "扣划存款",
                "objection-filed_on": "2016-05-01",
            },
        )
        objection = case.objections.get()
        assert objection.objector_name == "张三"
        url = f"/cases/{case.pk}/objections/{objection.pk}/rule/"
        prefix = f"rule-{objection.pk}"
        response = client.post(
            url, {f"{prefix}-ruling": "dismissed", f"{prefix}-ruled_on": "2016-05-10"}
        )
        assert "reason" in response.context["objections"][0].form.errors
        client.post(url, {f"{prefix}-ruling": "dismissed", f"{prefix}-reason": "理由不成立",
                          f"{prefix}-ruled_on": "2016-05-10"})  # fmt: skip
        objection.refresh_from_db()
        assert objection.ruling == "dismissed"

    def test_measure_approval_notice_and_review(self, case, staff, person_respondent):
        judge, president = staff[Role.JUDGE], staff[Role.PRESIDENT]
        services.add_case_party(
            case=case,
            link=services.PartyRole(party=person_respondent, role=CaseParty.Role.RESPONDENT),
            user=judge,
        )
        today = timezone.localdate()
        client_for(judge).post(
            f"/cases/{case.pk}/measures/",
            {"measure-kind": "detention", "measure-subject": person_respondent.pk,
             "measure-reason": "拒不履行", "measure-decided_on": today.isoformat(),
             "measure-detention_days": "5"},
        )  # fmt: skip
        measure = CoerciveMeasure.objects.get()
        approve = f"/cases/{case.pk}/measures/{measure.pk}/approve/"
        assert client_for(judge).post(approve).status_code == 403
        assert client_for(president).post(approve).status_code == 302
        notice = f"/cases/{case.pk}/measures/{measure.pk}/family-notice/"
        now = timezone.localtime().isoformat()  # the approval was a moment ago
        response = client_for(judge).post(notice, {f"notice-{measure.pk}-notified_at": now})
        assert response.status_code == 302
        review = f"/cases/{case.pk}/measures/{measure.pk}/review/"
        late = (today + dt.timedelta(days=9)).isoformat()
        response = client_for(judge).post(review, {f"review-{measure.pk}-requested_on": late})
        assert "requested_on" in response.context["measures"][0].review_form.errors
        measure.refresh_from_db()
        assert measure.approved_by == president and measure.family_notified_at is not None

    def request_and_approve_travel(self, case, staff) -> TravelRequest:
        judge, chief = staff[Role.JUDGE], staff[Role.BUREAU_CHIEF]
        today = timezone.localdate()
        client_for(judge).post(
            f"/cases/{case.pk}/travel/",
            {"travel-destination": "北京", "travel-purpose": "查控",
             "travel-depart_on": today.isoformat(), "travel-return_on": today.isoformat(),
             "travel-travellers": [judge.pk]},
        )  # fmt: skip
        travel = TravelRequest.objects.get()
        decide = f"/cases/{case.pk}/travel/{travel.pk}/decide/"
        assert (
            client_for(judge).post(decide, {f"travel-{travel.pk}-decision": "approve"}).status_code
            == 403
        )
        client_for(chief).post(decide, {f"travel-{travel.pk}-decision": "approve"})
        travel.refresh_from_db()
        assert travel.status == TravelRequest.Status.APPROVED
        return travel

    def test_travel_requested_and_approved_by_the_chief_only(self, case, staff):
        self.request_and_approve_travel(case, staff)

    def test_ticket_recorded_by_the_clerk_only(self, case, staff):
        judge, clerk = staff[Role.JUDGE], staff["ticket_clerk"]
        travel = self.request_and_approve_travel(case, staff)
        today = timezone.localdate()
        ticket = f"/cases/{case.pk}/travel/{travel.pk}/tickets/"
        prefix = f"ticket-{travel.pk}"
        data = {f"{prefix}-traveller": judge.pk, f"{prefix}-mode": "train",
                f"{prefix}-reference": "G12", f"{prefix}-travel_on": today.isoformat(),
                f"{prefix}-price": "553"}  # fmt: skip
        assert client_for(judge).post(ticket, data).status_code == 403
        assert client_for(clerk).post(ticket, data).status_code == 302
        travel.refresh_from_db()
        assert travel.status == TravelRequest.Status.TICKETED

    def test_suspend_and_continue(self, case, judge):
        client = client_for(judge)
        client.post(f"/cases/{case.pk}/suspend/", {"suspend-reason": "案外人异议"})
        case.refresh_from_db()
        assert case.status == EnforcementCase.Status.SUSPENDED
        response = client.post(f"/cases/{case.pk}/suspend/", {"suspend-reason": "again"})
        assert response.status_code == 200
        assert response.context["suspend_form"].non_field_errors()
        client.post(f"/cases/{case.pk}/continue/", {"suspend-reason": "异议已驳回"})
        case.refresh_from_db()
        assert case.status == EnforcementCase.Status.IN_PROGRESS

    def test_milestones_and_no_blacklist_grounds_clear_the_checklist(self, case, judge):
        client = client_for(judge)
        for step in services.MILESTONES:
            if step != "blacklisted_on":
                data = {"milestone-milestone": step, "milestone-on": "2016-05-01"}
                assert client.post(f"/cases/{case.pk}/milestone/", data).status_code == 302
        client.post(f"/cases/{case.pk}/no-blacklist-grounds/")
        page = client.get(detail_url(case)).content.decode()
        assert "All conditions are met." in page
        assert 'data-status="in_progress"' in page  # the execution notice moved it on
        response = client.post(
            f"/cases/{case.pk}/close/",
            {"close-mode": "terminated_for_now", "close-reason": "无可供执行财产"},
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.closure_mode == EnforcementCase.ClosureMode.TERMINATED_FOR_NOW

    def test_get_on_an_action_is_not_allowed(self, case, judge):
        assert client_for(judge).get(f"/cases/{case.pk}/close/").status_code == 405


# --- Field work -----------------------------------------------------------------------------------


class TestFieldAction:
    def test_page_is_mobile_first(self, case, judge):
        page = client_for(judge).get(f"/cases/{case.pk}/field/new/").content.decode()
        assert 'capture="environment"' in page and 'accept="image/*"' in page
        assert "multiple" in page and 'id="use-location"' in page
        assert "form-control-lg" in page and "js/field_action.js" in page

    def test_records_with_photos_and_position(self, case, judge, media):
        response = client_for(judge).post(
            f"/cases/{case.pk}/field/new/",
            {
                "kind": "visit",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "place": "杭州市下城区某小区",
                "latitude": "30.281234",
                "longitude": "120.171234",
                "participants": "王法官、周法警",
                "notes": "未见被执行人",
                "photos": [png("a.png"), png("b.png")],
            },
        )
        assert response.status_code == 302 and response["Location"].endswith("#field")
        action = FieldAction.objects.get()
        assert action.photos.count() == 2 and action.latitude == Decimal("30.281234")
        assert action.officer == judge

    def test_bad_photo_and_half_position_are_field_errors(self, case, judge, media):
        not_image = BytesIO(b"not an image")
        not_image.name = "x.png"
        response = client_for(judge).post(
            f"/cases/{case.pk}/field/new/",
            {
                "kind": "visit",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "place": "某地",
                "participants": "王法官",
                "photos": [not_image],
            },
        )
        assert response.status_code == 200
        assert "photos" in response.context["form"].errors
        response = client_for(judge).post(
            f"/cases/{case.pk}/field/new/",
            {"kind": "visit", "occurred_at": "2016-05-01T10:00", "place": "某地",
             "participants": "王法官", "latitude": "30.1"},
        )  # fmt: skip
        assert "latitude" in response.context["form"].errors
        assert FieldAction.objects.count() == 0


# --- Joint meetings and campaigns -----------------------------------------------------------------


class TestMeetingsAndCampaigns:
    def test_chief_convenes_puts_on_agenda_and_decides(self, case, staff):
        chief, section = staff[Role.BUREAU_CHIEF], staff[Role.SECTION_CHIEF]
        client = client_for(chief)
        today = timezone.localdate().isoformat()
        response = client.post(
            "/cases/meetings/",
            {"meeting-held_on": today, "meeting-attendees": [chief.pk, section.pk]},
        )
        assert response.status_code == 302
        meeting = JointMeeting.objects.get()
        client.post(
            f"/cases/{case.pk}/agenda/", {"agenda-meeting": meeting.pk, "agenda-matter": "拍卖"}
        )
        item = MeetingDecision.objects.get()
        url = f"/cases/meetings/{meeting.pk}/items/{item.pk}/decide/"
        prefix = f"item-{item.pk}"
        response = client.post(
            url,
            {f"{prefix}-decision": "approved", f"{prefix}-votes_for": "5",
             f"{prefix}-votes_against": "0", f"{prefix}-abstentions": "0"},
        )  # fmt: skip
        assert response.status_code == 200
        assert "More votes than attendees" in response.content.decode()
        client.post(
            url,
            {f"{prefix}-decision": "approved", f"{prefix}-votes_for": "2",
             f"{prefix}-votes_against": "0", f"{prefix}-abstentions": "0",
             f"{prefix}-approved_amount": "3000000"},
        )  # fmt: skip
        item.refresh_from_db()
        assert item.decision == "approved"
        page = client.get(f"/cases/meetings/{meeting.pk}/").content.decode()
        assert case.number in page
        assert (
            client_for(staff[Role.JUDGE])
            .post("/cases/meetings/", {"meeting-held_on": today, "meeting-attendees": [chief.pk]})
            .status_code
            == 403
        )

    def test_meetings_of_court_a_are_hidden_from_court_b(self, case, staff, judge_b):
        chief = staff[Role.BUREAU_CHIEF]
        meeting = services.convene_meeting(
            court=case.court, user=chief, held_on=timezone.localdate(), attendees=[chief]
        )
        client = client_for(judge_b)
        assert client.get(f"/cases/meetings/{meeting.pk}/").status_code == 404
        assert str(meeting.held_on) not in client.get("/cases/meetings/").content.decode()

    def test_campaign_with_figures_and_chart(self, case, staff, judge_b):
        client = client_for(staff[Role.BUREAU_CHIEF])
        response = client.post(
            "/cases/campaigns/",
            {"campaign-name": "2016金融专项", "campaign-starts_on": "2016-01-01",
             "campaign-ends_on": "2016-12-31", "campaign-categories": ["financial"]},
        )  # fmt: skip
        assert response.status_code == 302
        services.record_performance(
            case=case, user=staff[Role.JUDGE], amount=case.amount_to_enforce, note="付清"
        )
        services.close_case(
            case=case,
            user=staff[Role.JUDGE],
            mode="performed",
            reason="付清",
            on=dt.date(2016, 6, 1),
        )
        page = client.get(response["Location"]).content.decode()
        assert 'data-testid="figure-cases_concluded">1<' in page
        assert 'data-testid="figure-detentions">0<' in page
        assert "campaign-chart-data" in page and "chart.umd.js" in page
        assert "https://" not in page
        bad = client.post("/cases/campaigns/", {"campaign-name": "x",
                          "campaign-starts_on": "2016-02-01", "campaign-ends_on": "2016-01-01",
                          "campaign-categories": ["financial"]})  # fmt: skip
        assert bad.status_code == 200 and "ends_on" in bad.context["form"].errors
        assert client_for(judge_b).get(response["Location"]).status_code == 404


@pytest.mark.django_db
def test_field_photos_are_served_only_to_the_case_court(case, judge, judge_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    action = services.record_field_action(
        case=case, user=judge, kind="visit", occurred_at=timezone.now(), place="某地",
        participants="王法官", photos=[SimpleUploadedFile("IMG_0001.png", buffer.getvalue())],
    )  # fmt: skip
    photo = action.photos.get()
    assert "IMG_0001" not in photo.image.name
    url = photo.get_absolute_url()
    own, other, anonymous = Client(), Client(), Client()
    own.force_login(judge)
    other.force_login(judge_b)
    response = own.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == buffer.getvalue()
    assert other.get(url).status_code == 404
    assert anonymous.get(url).status_code == 302  # to the login page
    assert own.get(f"/media/{photo.image.name}").status_code == 404  # never served raw


@pytest.mark.django_db
def test_my_cases_are_those_judged_or_assisted(court_a, staff, applicant, respondent):
    judge, clerk = staff[Role.JUDGE], staff[Role.CLERK]
    other_judge = UserFactory(court=court_a, roles=[Role.JUDGE])
    judged = file_case(court_a, judge, applicant, respondent)
    assisted = file_case(court_a, other_judge, applicant, respondent, assistants=[clerk])
    file_case(court_a, other_judge, applicant, respondent)
    client = Client()
    client.force_login(clerk)
    page = client.get("/cases/mine/").content.decode()
    assert assisted.number in page and judged.number not in page
    client.force_login(judge)
    page = client.get("/cases/mine/").content.decode()
    assert judged.number in page and assisted.number not in page


@pytest.mark.django_db
def test_a_third_party_joins_through_the_parties_tab(case, judge):
    client = Client()
    client.force_login(judge)
    response = client.post(
        f"/cases/{case.pk}/parties/",
        {"party-kind": "person", "party-name": "案外人赵六", "party-role": "third_party"},
    )
    assert response.status_code == 302
    assert case.parties.filter(role="third_party", party__name="案外人赵六").exists()
    bad = client.post(
        f"/cases/{case.pk}/parties/",
        {"party-kind": "person", "party-name": "钱七", "party-role": "applicant"},
    )
    assert bad.status_code == 200
    assert bad.context["party_form"].errors["payee_account_number"]


@pytest.mark.django_db
def test_section_chief_reassigns_from_the_overview(case, staff, court_a):
    new_judge = UserFactory(court=court_a, roles=[Role.JUDGE])
    client = Client()
    client.force_login(staff[Role.SECTION_CHIEF])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="reassign-form"' in page
    response = client.post(
        f"/cases/{case.pk}/reassign/",
        {"reassign-judge": new_judge.pk, "reassign-reason": "调岗"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.judge == new_judge
    client.force_login(staff[Role.JUDGE])
    assert 'data-testid="reassign-form"' not in client.get(f"/cases/{case.pk}/").content.decode()

"""Enforcement rules, tested through the services every door uses."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from courtexec.models import Notification
from courtexec.roles import Role
from enforcement import deadlines, selectors, services
from enforcement.models import (
    CaseParty,
    CoerciveMeasure,
    ConsultationReminder,
    EnforcementCase,
    MeetingDecision,
    Objection,
    Party,
    TravelRequest,
)
from tests.enforcement.fixtures import PERSON_ID, file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def messages(error: ValidationError, field: str) -> list[str]:
    return [str(m) for m in error.value.message_dict[field]]


# --- Parties and identity numbers ----------------------------------------------------------------


class TestParties:
    def test_resident_id_sets_birth_date_and_sex(self, applicant):
        assert applicant.birth_date == dt.date(1949, 12, 31)
        assert applicant.sex == Party.Sex.FEMALE  # 17th digit 2 is even
        assert not applicant.lacks_id

    @pytest.mark.parametrize(
        ("number", "code"),
        [
            ("110105194912310021", "checksum"),  # wrong check digit
            ("11010519491231002", "length"),  # 17 characters
            ("1101051949123100211", "length"),  # 19 characters
            ("110105194913310021", "format"),  # month 13, check digit right
        ],
    )
    def test_bad_resident_ids(self, court_a, number, code):
        with pytest.raises(ValidationError) as error:
            services.register_party(
                court=court_a, kind=Party.Kind.PERSON, name="某人", id_number=number
            )
        assert error.value.error_dict["id_number"][0].code == code

    @pytest.mark.parametrize(
        ("number", "code"),
        [("91110000600037341M", "checksum"), ("9111000060003734", "length")],
    )
    def test_bad_credit_codes(self, court_a, number, code):
        with pytest.raises(ValidationError) as error:
            services.register_party(
                court=court_a, kind=Party.Kind.ORGANISATION, name="某公司", id_number=number
            )
        assert error.value.error_dict["id_number"][0].code == code

    def test_one_record_per_identity_across_courts(self, court_b, applicant):
        again = services.register_party(
            court=court_b, kind=Party.Kind.PERSON, name="张三", id_number=PERSON_ID.lower()
        )
        assert again.pk == applicant.pk
        assert Party.objects.count() == 1

    def test_party_without_id_is_allowed_but_flagged(self, court_a):
        party = services.register_party(court=court_a, kind=Party.Kind.PERSON, name="无证人")
        assert party.lacks_id and party.id_number is None


# --- Filing and numbering ------------------------------------------------------------------------


class TestFiling:
    def test_number_format_and_due_date(self, case):
        assert case.number == "(2016)浙0103执1号"
        assert case.due_on == dt.date(2016, 10, 1)
        assert case.status == EnforcementCase.Status.FILED
        assert case.parties.count() == 2

    def test_sequences_per_type_and_year(self, court_a, judge, applicant, respondent):
        first = file_case(court_a, judge, applicant, respondent)
        second = file_case(court_a, judge, applicant, respondent)
        preservation = file_case(
            court_a, judge, applicant, respondent, type_code=EnforcementCase.TypeCode.PRESERVATION
        )
        next_year = file_case(court_a, judge, applicant, respondent, filed_on=dt.date(2017, 1, 3))
        assert [first.number, second.number, preservation.number, next_year.number] == [
            "(2016)浙0103执1号",
            "(2016)浙0103执2号",
            "(2016)浙0103执保1号",
            "(2017)浙0103执1号",
        ]

    def test_failed_filing_does_not_use_up_a_number(self, court_a, judge, applicant, respondent):
        with pytest.raises(ValidationError):
            file_case(court_a, judge, applicant, respondent, category="nonsense")
        assert file_case(court_a, judge, applicant, respondent).number == "(2016)浙0103执1号"

    def test_needs_applicant_and_respondent(self, court_a, judge, applicant, respondent):
        with pytest.raises(ValidationError) as error:
            file_case(
                court_a,
                judge,
                applicant,
                respondent,
                parties=[services.PartyRole(party=respondent, role=CaseParty.Role.RESPONDENT)],
            )
        assert "parties" in error.value.message_dict

    def test_applicant_payee_account_is_required(self, court_a, judge, applicant, respondent):
        parties = [
            services.PartyRole(party=applicant, role=CaseParty.Role.APPLICANT),
            services.PartyRole(party=respondent, role=CaseParty.Role.RESPONDENT),
        ]
        with pytest.raises(ValidationError) as error:
            file_case(court_a, judge, applicant, respondent, parties=parties)
        assert "payee_account_number" in error.value.message_dict

    def test_judge_must_be_a_judge_of_the_court(
        self, court_a, judge_b, staff, applicant, respondent
    ):
        for wrong in (judge_b, staff[Role.CLERK]):
            with pytest.raises((ValidationError, PermissionDenied)):
                file_case(court_a, staff[Role.JUDGE], applicant, respondent, judge=wrong)

    def test_user_of_another_court_cannot_file_here(
        self, court_a, judge_b, judge, applicant, respondent
    ):
        with pytest.raises(PermissionDenied):
            file_case(court_a, judge, applicant, respondent, user=judge_b)

    @pytest.mark.parametrize(
        "legacy", ["(2015)杭下执民字第2741号", "(2014)浙0103执88号", "（2013）杭下执字第12号"]
    )
    def test_legacy_numbers_import_as_given(self, court_a, judge, applicant, respondent, legacy):
        case = file_case(court_a, judge, applicant, respondent, legacy_number=legacy)
        assert case.number == legacy and case.is_legacy_number
        assert case.sequence == (88 if "浙0103执" in legacy else None)
        assert case.year == int(legacy[1:5])

    @pytest.mark.parametrize(
        "bad", ["2015杭下执民字第2741号", "(15)浙0103执1号", "(2015)浙0103执0号", "随便"]
    )
    def test_malformed_legacy_number(self, court_a, judge, applicant, respondent, bad):
        with pytest.raises(ValidationError) as error:
            file_case(court_a, judge, applicant, respondent, legacy_number=bad)
        assert "legacy_number" in error.value.message_dict

    def test_duplicate_legacy_number(self, court_a, judge, applicant, respondent):
        file_case(court_a, judge, applicant, respondent, legacy_number="(2015)杭下执民字第2741号")
        with pytest.raises(ValidationError) as error:
            file_case(
                court_a, judge, applicant, respondent, legacy_number="(2015)杭下执民字第2741号"
            )
        assert "legacy_number" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_filings_get_twenty_consecutive_numbers(
    court_a, staff, applicant, respondent
):
    judge = staff[Role.JUDGE]
    barrier = threading.Barrier(20)

    def file_one(_index: int) -> str:
        try:
            barrier.wait(timeout=30)
            return file_case(court_a, judge, applicant, respondent).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(file_one, range(20)))
    assert sorted(numbers, key=lambda n: int(n[len("(2016)浙0103执") : -1])) == [
        f"(2016)浙0103执{i}号" for i in range(1, 21)
    ]


# --- Deadlines -----------------------------------------------------------------------------------


class TestDeadlines:
    @pytest.mark.parametrize(
        ("filed", "kind", "due"),
        [
            (dt.date(2016, 1, 10), "litigation", dt.date(2016, 7, 10)),
            (dt.date(2016, 8, 31), "litigation", dt.date(2017, 2, 28)),
            (dt.date(2015, 8, 31), "litigation", dt.date(2016, 2, 29)),  # leap year
            (dt.date(2016, 11, 30), "non_litigation", dt.date(2017, 2, 28)),
            (dt.date(2016, 12, 31), "non_litigation", dt.date(2017, 3, 31)),
        ],
    )
    def test_due_dates_clip_to_month_end(self, filed, kind, due):
        assert deadlines.case_due_date(filed, kind) == due

    @given(
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(0, 24)
    )
    def test_add_months_properties(self, day, months):
        result = deadlines.add_months(day, months)
        assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
        assert result.day <= day.day
        assert result.day == day.day or (result + dt.timedelta(days=1)).day == 1

    def test_extension_approved_by_president_moves_due_date(self, case, staff):
        request = services.request_extension(
            case=case, user=staff[Role.JUDGE], months=2, reason="财产处置中"
        )
        with pytest.raises(PermissionDenied):
            services.decide_extension(
                extension=request, user=staff[Role.BUREAU_CHIEF], approve=True
            )
        services.decide_extension(extension=request, user=staff[Role.PRESIDENT], approve=True)
        case.refresh_from_db()
        assert case.due_on == dt.date(2016, 12, 1)

    def test_extensions_total_at_most_three_months(self, case, staff):
        first = services.request_extension(case=case, user=staff[Role.JUDGE], months=2, reason="a")
        with pytest.raises(ValidationError):  # one pending request at a time
            services.request_extension(case=case, user=staff[Role.JUDGE], months=1, reason="b")
        services.decide_extension(extension=first, user=staff[Role.PRESIDENT], approve=True)
        with pytest.raises(ValidationError) as error:
            services.request_extension(case=case, user=staff[Role.JUDGE], months=2, reason="c")
        assert "months" in error.value.message_dict
        last = services.request_extension(case=case, user=staff[Role.JUDGE], months=1, reason="d")
        services.decide_extension(extension=last, user=staff[Role.PRESIDENT], approve=True)
        case.refresh_from_db()
        assert case.due_on == dt.date(2017, 1, 1)
        with pytest.raises(ValidationError):
            services.request_extension(case=case, user=staff[Role.JUDGE], months=1, reason="e")

    def test_rejected_extension_leaves_due_date(self, case, staff):
        request = services.request_extension(
            case=case, user=staff[Role.JUDGE], months=3, reason="x"
        )
        services.decide_extension(extension=request, user=staff[Role.PRESIDENT], approve=False)
        case.refresh_from_db()
        assert case.due_on == dt.date(2016, 10, 1)
        with pytest.raises(ValidationError):
            services.decide_extension(extension=request, user=staff[Role.PRESIDENT], approve=True)

    def test_badges(self, case):
        assert selectors.deadline_badge(case, dt.date(2016, 8, 1)) == ""
        assert selectors.deadline_badge(case, dt.date(2016, 9, 15)) == "due_soon"
        assert selectors.deadline_badge(case, dt.date(2016, 10, 2)) == "overdue"


# --- Closure -------------------------------------------------------------------------------------


def meet_every_termination_condition(case, user):
    for milestone in services.MILESTONES:
        if milestone != "blacklisted_on":
            services.record_milestone(
                case=case, user=user, milestone=milestone, on=dt.date(2016, 5, 1)
            )
    services.record_no_blacklist_grounds(case=case, user=user)


class TestClosure:
    def test_terminate_for_now_lists_every_unmet_condition(self, case, judge):
        with pytest.raises(ValidationError) as error:
            services.close_case(
                case=case,
                user=judge,
                mode="terminated_for_now",
                reason="无财产",
                on=dt.date(2016, 5, 2),
            )
        assert len(error.value.message_dict["mode"]) == 6

    def test_terminate_for_now_needs_more_than_three_months(self, case, judge):
        meet_every_termination_condition(case, judge)
        with pytest.raises(ValidationError) as error, translation.override("en"):
            services.close_case(
                case=case,
                user=judge,
                mode="terminated_for_now",
                reason="无财产",
                on=dt.date(2016, 7, 1),
            )
        assert messages(error, "mode") == ["More than three months must have passed since filing."]
        closed = services.close_case(
            case=case,
            user=judge,
            mode="terminated_for_now",
            reason="无财产",
            on=dt.date(2016, 7, 2),
        )
        assert closed.status == EnforcementCase.Status.CONCLUDED

    def test_fully_performed_needs_nothing_outstanding(self, case, judge):
        with pytest.raises(ValidationError):
            services.close_case(case=case, user=judge, mode="performed", reason="履行完毕")
        services.record_performance(
            case=case, user=judge, amount=Decimal("120000.00"), note="当面交付"
        )
        closed = services.close_case(case=case, user=judge, mode="performed", reason="履行完毕")
        assert closed.closure_mode == "performed"
        assert closed.history.first().history_change_reason == "履行完毕"

    def test_closure_needs_a_reason_and_an_open_case(self, case, judge):
        with pytest.raises(ValidationError):
            services.close_case(case=case, user=judge, mode="withdrawn", reason="  ")
        services.close_case(case=case, user=judge, mode="withdrawn", reason="撤回申请")
        with pytest.raises(ValidationError):
            services.close_case(case=case, user=judge, mode="withdrawn", reason="again")

    def test_resume_creates_linked_case_with_outstanding_amount(self, case, judge):
        services.record_performance(case=case, user=judge, amount=Decimal("20000"), note="部分履行")
        meet_every_termination_condition(case, judge)
        services.close_case(
            case=case,
            user=judge,
            mode="terminated_for_now",
            reason="无财产",
            on=dt.date(2016, 8, 1),
        )
        resumed = services.resume_case(case=case, user=judge, reason="发现新财产")
        assert resumed.type_code == EnforcementCase.TypeCode.RESUMED
        assert resumed.number.startswith(f"({timezone.localdate().year})浙0103执恢")
        assert resumed.resumed_from == case
        assert resumed.amount_to_enforce == Decimal("100000.00")
        assert resumed.parties.count() == 2

    def test_open_case_cannot_be_resumed(self, case, judge):
        with pytest.raises(ValidationError):
            services.resume_case(case=case, user=judge, reason="x")


# --- Coercive measures and objections ------------------------------------------------------------


class TestMeasures:
    def decide(self, case, judge, party, **kwargs):
        defaults = {"reason": "拒不履行", "decided_on": dt.date(2016, 6, 1)}
        return services.decide_measure(case=case, user=judge, subject=party, **defaults, **kwargs)

    def test_detention_limits(self, court_a, judge, applicant, person_respondent, respondent):
        case = file_case(court_a, judge, applicant, person_respondent)
        for days in (0, 16, None):
            with pytest.raises(ValidationError):
                self.decide(case, judge, person_respondent, kind="detention", detention_days=days)
        measure = self.decide(case, judge, person_respondent, kind="detention", detention_days=15)
        assert measure.detention_days == 15
        with pytest.raises(ValidationError):  # a company cannot be detained
            other = file_case(court_a, judge, applicant, respondent)
            self.decide(other, judge, respondent, kind="detention", detention_days=5)

    def test_fine_limits(self, court_a, judge, applicant, person_respondent, respondent):
        individual = file_case(court_a, judge, applicant, person_respondent)
        with pytest.raises(ValidationError):
            self.decide(
                individual, judge, person_respondent, kind="fine", fine_amount=Decimal("100000.01")
            )
        assert self.decide(
            individual, judge, person_respondent, kind="fine", fine_amount=Decimal("100000")
        )
        company = file_case(court_a, judge, applicant, respondent)
        for amount in ("49999.99", "1000000.01"):
            with pytest.raises(ValidationError):
                self.decide(company, judge, respondent, kind="fine", fine_amount=Decimal(amount))
        for amount in ("50000", "1000000"):
            assert self.decide(company, judge, respondent, kind="fine", fine_amount=Decimal(amount))

    def test_subject_must_be_party_to_the_case(self, case, judge, person_respondent):
        with pytest.raises(ValidationError):
            self.decide(case, judge, person_respondent, kind="police_transfer")

    def test_president_approval_family_notice_and_review_windows(
        self, court_a, staff, applicant, person_respondent
    ):
        judge = staff[Role.JUDGE]
        case = file_case(court_a, judge, applicant, person_respondent)
        measure = self.decide(case, judge, person_respondent, kind="detention", detention_days=10)
        with pytest.raises(PermissionDenied):
            services.approve_measure(measure=measure, user=judge)
        measure = services.approve_measure(measure=measure, user=staff[Role.PRESIDENT])
        notified = measure.approved_at + dt.timedelta(hours=25)
        assert services.family_notice_late(measure, notified)
        assert not services.family_notice_late(measure, measure.approved_at + dt.timedelta(hours=2))
        with pytest.raises(ValidationError):
            services.record_review(measure=measure, user=judge, requested_on=dt.date(2016, 6, 5))
        with pytest.raises(ValidationError):
            services.record_review(
                measure=measure,
                user=judge,
                requested_on=dt.date(2016, 6, 4),
                decided_on=dt.date(2016, 6, 10),
            )
        reviewed = services.record_review(
            measure=measure,
            user=judge,
            requested_on=dt.date(2016, 6, 4),
            decided_on=dt.date(2016, 6, 9),
        )
        assert reviewed.review_decided_on == dt.date(2016, 6, 9)

    def test_database_refuses_an_over_long_detention_even_without_the_service(
        self, case, judge, applicant
    ):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            CoerciveMeasure.objects.create(
                case=case, kind="detention", subject=applicant, detention_days=30,
                reason="x", decided_on=dt.date(2016, 6, 1), recorded_by=judge,
            )  # fmt: skip


class TestObjections:
    def test_review_due_fifteen_days_after_filing_and_overdue_flag(self, case, judge):
        objection = services.file_objection(
            case=case,
            user=judge,
            objector_name="案外人赵六",
            contested_act="查封房产",
            filed_on=dt.date(2016, 6, 20),
        )
        assert objection.review_due_on == dt.date(2016, 7, 5)
        pending = Objection.objects.all()
        assert list(selectors.overdue_objections(pending, dt.date(2016, 7, 5))) == []
        assert list(selectors.overdue_objections(pending, dt.date(2016, 7, 6))) == [objection]
        services.rule_on_objection(
            objection=objection,
            user=judge,
            ruling="dismissed",
            reason="理由不成立",
            ruled_on=dt.date(2016, 7, 4),
        )
        assert list(selectors.overdue_objections(pending, dt.date(2016, 7, 6))) == []

    def test_ruling_needs_reasons(self, case, judge):
        objection = services.file_objection(
            case=case,
            user=judge,
            objector_name="甲",
            contested_act="乙",
            filed_on=dt.date(2016, 6, 20),
        )
        with pytest.raises(ValidationError):
            services.rule_on_objection(
                objection=objection,
                user=judge,
                ruling="sustained",
                reason="",
                ruled_on=dt.date(2016, 6, 21),
            )


# --- Consultations (job with time travel) --------------------------------------------------------


class TestConsultations:
    def test_daily_job_reminds_once_and_consultation_resolves(self, case, staff):
        judge = staff[Role.JUDGE]
        with time_machine.travel(dt.datetime(2016, 6, 30, 12, tzinfo=dt.UTC)):
            assert services.remind_consultations(today=timezone.localdate()) == 0  # < 3 months
        with time_machine.travel(dt.datetime(2016, 7, 2, 12, tzinfo=dt.UTC)):
            today = timezone.localdate()
            assert list(
                selectors.cases_needing_consultation(EnforcementCase.objects.all(), today)
            ) == [case]
            assert services.remind_consultations(today=today) == 1
            assert services.remind_consultations(today=today) == 0  # idempotent
            assert (
                Notification.objects.filter(
                    recipient=case.judge, kind="case.consultation_due"
                ).count()
                == 1
            )  # the judge is told once
            services.record_consultation(
                case=case,
                user=judge,
                held_on=today,
                participants=[judge, staff[Role.SECTION_CHIEF]],
                findings="被执行人有房产线索",
                next_steps="查封房产",
                follow_up_due=today + dt.timedelta(days=14),
            )
            assert ConsultationReminder.objects.get().resolved_by is not None
            assert not selectors.cases_needing_consultation(
                EnforcementCase.objects.all(), today
            ).exists()
        with time_machine.travel(dt.datetime(2016, 10, 3, 12, tzinfo=dt.UTC)):
            assert (
                services.remind_consultations(today=timezone.localdate()) == 1
            )  # again after 3 months

    @override_settings(CONSULTATION_AFTER_MONTHS=1)
    def test_period_is_a_setting(self, case):
        assert selectors.cases_needing_consultation(
            EnforcementCase.objects.all(), dt.date(2016, 5, 2)
        ).exists()

    def test_celery_task_runs_the_service(self, case):
        from enforcement.tasks import remind_consultations

        with time_machine.travel(dt.datetime(2016, 7, 2, 12, tzinfo=dt.UTC)):
            assert remind_consultations.apply().get() == 1


# --- Joint meeting gate --------------------------------------------------------------------------


class TestJointMeeting:
    def test_large_disposal_refused_until_meeting_approves(self, case, staff):
        judge, chief = staff[Role.JUDGE], staff[Role.BUREAU_CHIEF]
        with override_settings(JOINT_MEETING_DISPOSAL_THRESHOLD=1_000_000):
            small = services.order_disposal(
                case=case, user=judge, description="车辆", amount=Decimal("80000")
            )
            assert small.authorised_by is None
            with pytest.raises(ValidationError) as error:
                services.order_disposal(
                    case=case, user=judge, description="房产", amount=Decimal("3000000")
                )
            assert error.value.error_dict["amount"][0].code == "joint_meeting_required"

            with pytest.raises(PermissionDenied):
                services.convene_meeting(
                    court=case.court, user=judge, held_on=dt.date(2016, 6, 1), attendees=[judge]
                )
            meeting = services.convene_meeting(
                court=case.court,
                user=chief,
                held_on=dt.date(2016, 6, 1),
                attendees=[chief, staff[Role.SECTION_CHIEF], judge],
            )
            item = services.put_on_agenda(meeting=meeting, case=case, user=chief, matter="拍卖房产")
            with pytest.raises(ValidationError):  # more votes than attendees
                services.record_meeting_decision(
                    item=item, user=chief, decision="approved", discussion="", votes_for=4,
                    votes_against=0, abstentions=0, approved_amount=Decimal("3500000"),
                )  # fmt: skip
            services.record_meeting_decision(
                item=item, user=chief, decision="approved", discussion="同意拍卖", votes_for=3,
                votes_against=0, abstentions=0, approved_amount=Decimal("3500000"),
            )  # fmt: skip
            disposal = services.order_disposal(
                case=case, user=judge, description="房产", amount=Decimal("3000000")
            )
            assert disposal.authorised_by.decision == MeetingDecision.Decision.APPROVED
            with pytest.raises(ValidationError):  # above what the meeting approved
                services.order_disposal(
                    case=case, user=judge, description="另一处房产", amount=Decimal("4000000")
                )

    def test_flagged_case_needs_meeting_even_below_threshold(
        self, court_a, judge, applicant, respondent
    ):
        case = file_case(court_a, judge, applicant, respondent, flags=["large_disposal"])
        with pytest.raises(ValidationError):
            services.order_disposal(
                case=case, user=judge, description="股权", amount=Decimal("1000")
            )


# --- Travel and tickets --------------------------------------------------------------------------


class TestTravel:
    def test_central_ticket_purchase(self, case, staff):
        judge, clerk = staff[Role.JUDGE], staff["ticket_clerk"]
        travel = services.request_travel(
            case=case, user=judge, destination="温州", purpose="查控财产",
            depart_on=dt.date(2016, 6, 1), return_on=dt.date(2016, 6, 2),
            travellers=[judge, staff[Role.JUDICIAL_POLICE]],
        )  # fmt: skip
        ticket = {
            "traveller": judge,
            "mode": "train",
            "reference": "G7301",
            "travel_on": dt.date(2016, 6, 1),
        }
        with pytest.raises(ValidationError):  # not approved yet
            services.record_ticket(travel=travel, user=clerk, price=Decimal("120"), **ticket)
        with pytest.raises(PermissionDenied):
            services.decide_travel(travel=travel, user=judge, approve=True)
        services.decide_travel(travel=travel, user=staff[Role.BUREAU_CHIEF], approve=True)
        with pytest.raises(PermissionDenied):  # officers never buy their own tickets
            services.record_ticket(travel=travel, user=judge, price=Decimal("120"), **ticket)
        with pytest.raises(PermissionDenied):  # an ordinary clerk is not the designated one
            services.record_ticket(
                travel=travel, user=staff[Role.CLERK], price=Decimal("120"), **ticket
            )
        services.record_ticket(travel=travel, user=clerk, price=Decimal("120"), **ticket)
        travel.refresh_from_db()
        assert travel.status == TravelRequest.Status.TICKETED
        with pytest.raises(ValidationError):  # outside the trip
            services.record_ticket(
                travel=travel,
                user=clerk,
                price=Decimal("1"),
                **{**ticket, "travel_on": dt.date(2016, 6, 5)},
            )


# --- Campaign figures ----------------------------------------------------------------------------


def test_campaign_figures_are_counted_from_records(court_a, staff, applicant, person_respondent):
    judge = staff[Role.JUDGE]
    livelihood = file_case(
        court_a,
        judge,
        applicant,
        person_respondent,
        category="livelihood",
        filed_on=dt.date(2015, 10, 1),
    )
    services.record_milestone(
        case=livelihood, user=judge, milestone="blacklisted_on", on=dt.date(2016, 1, 20)
    )
    detention = services.decide_measure(
        case=livelihood, user=judge, kind="detention", subject=person_respondent, detention_days=5,
        reason="拒不履行", decided_on=dt.date(2016, 1, 25),
    )  # fmt: skip
    services.decide_measure(  # not approved by the president: not counted
        case=livelihood, user=judge, kind="detention", subject=person_respondent, detention_days=3,
        reason="拒不履行", decided_on=dt.date(2016, 1, 26),
    )  # fmt: skip
    services.approve_measure(measure=detention, user=staff[Role.PRESIDENT])
    services.decide_measure(
        case=livelihood, user=judge, kind="police_transfer", subject=person_respondent,
        reason="拒执罪", decided_on=dt.date(2016, 2, 1),
    )  # fmt: skip
    services.record_performance(
        case=livelihood, user=judge, amount=Decimal("120000"), note="全部履行"
    )
    services.close_case(
        case=livelihood, user=judge, mode="performed", reason="履行完毕", on=dt.date(2016, 2, 3)
    )
    file_case(
        court_a,
        judge,
        applicant,
        person_respondent,
        category="financial",
        filed_on=dt.date(2016, 1, 5),
    )
    campaign = services.create_campaign(
        court=court_a, user=staff[Role.BUREAU_CHIEF], name="春节涉民生专项执行",
        starts_on=dt.date(2016, 1, 15), ends_on=dt.date(2016, 2, 15), categories=["livelihood"],
    )  # fmt: skip
    figures = selectors.campaign_figures(campaign)
    assert figures == selectors.CampaignFigures(
        cases_concluded=1, detentions=1, blacklist_entries=1, police_transfers=1
    )
    empty = services.create_campaign(
        court=court_a, user=staff[Role.BUREAU_CHIEF], name="金融", starts_on=dt.date(2016, 3, 1),
        ends_on=dt.date(2016, 3, 31), categories=["financial"],
    )  # fmt: skip
    assert selectors.campaign_figures(empty) == selectors.CampaignFigures(0, 0, 0, 0)


# --- History and timeline ------------------------------------------------------------------------


def test_every_change_leaves_history_and_shows_on_the_timeline(case, staff):
    judge = staff[Role.JUDGE]
    services.record_milestone(
        case=case, user=judge, milestone="execution_notice_sent_on", on=dt.date(2016, 4, 2)
    )
    services.file_objection(
        case=case, user=judge, objector_name="甲", contested_act="乙", filed_on=dt.date(2016, 5, 1)
    )
    services.request_extension(case=case, user=judge, months=1, reason="需要时间")
    assert case.history.count() == 2  # filed, then moved into progress
    timeline = selectors.case_timeline(case)
    assert {event.kind for event in timeline} == {"case", "party", "objection", "extension"}
    assert [event.kind for event in selectors.case_timeline(case, {"objection"})] == ["objection"]
    assert timeline == sorted(timeline, key=lambda event: event.at, reverse=True)


# --- Fixes found in review ------------------------------------------------------------------------


def test_closing_date_cannot_be_in_the_future(case, judge):
    with pytest.raises(ValidationError) as error:
        services.close_case(
            case=case,
            user=judge,
            mode="withdrawn",
            reason="撤回",
            on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "on" in error.value.message_dict


def test_resume_reason_is_on_the_new_case_history(case, judge):
    services.close_case(case=case, user=judge, mode="withdrawn", reason="撤回")
    resumed = services.resume_case(case=case, user=judge, reason="申请人申请恢复执行")
    assert resumed.history.earliest("history_date").history_change_reason == "申请人申请恢复执行"


def test_imported_number_in_current_format_reserves_its_sequence(
    court_a, judge, applicant, respondent
):
    imported = file_case(court_a, judge, applicant, respondent, legacy_number="(2016)浙0103执5号")
    assert imported.sequence == 5
    assert file_case(court_a, judge, applicant, respondent).number == "(2016)浙0103执6号"
    older = file_case(court_a, judge, applicant, respondent, legacy_number="(2016)浙0103执2号")
    assert older.sequence == 2
    assert file_case(court_a, judge, applicant, respondent).number == "(2016)浙0103执7号"
    with pytest.raises(ValidationError) as error:
        file_case(court_a, judge, applicant, respondent, legacy_number="(2016)浙0102执9号")
    assert "legacy_number" in error.value.message_dict


def test_meeting_approval_is_a_budget(case, staff):
    judge, chief = staff[Role.JUDGE], staff[Role.BUREAU_CHIEF]
    meeting = services.convene_meeting(
        court=case.court, user=chief, held_on=dt.date(2016, 6, 1), attendees=[chief, judge]
    )
    item = services.put_on_agenda(meeting=meeting, case=case, user=chief, matter="拍卖")
    services.record_meeting_decision(
        item=item, user=chief, decision="approved", discussion="", votes_for=2,
        votes_against=0, abstentions=0, approved_amount=Decimal("3000000"),
    )  # fmt: skip
    with override_settings(JOINT_MEETING_DISPOSAL_THRESHOLD=1_000_000):
        services.order_disposal(
            case=case, user=judge, description="房产一", amount=Decimal("2000000")
        )
        with pytest.raises(ValidationError):
            services.order_disposal(
                case=case, user=judge, description="房产二", amount=Decimal("1500000")
            )
        services.order_disposal(
            case=case, user=judge, description="车位", amount=Decimal("1000000")
        )


def test_same_party_cannot_be_applicant_and_respondent(court_a, judge, applicant):
    with pytest.raises(ValidationError) as error:
        file_case(court_a, judge, applicant, applicant)
    assert "parties" in error.value.message_dict


def test_timeline_names_changed_fields_without_a_query_per_row(
    case, judge, django_assert_max_num_queries
):
    for milestone in ("execution_notice_sent_on", "asset_report_ordered_on"):
        services.record_milestone(
            case=case, user=judge, milestone=milestone, on=dt.date(2016, 5, 1)
        )
    with django_assert_max_num_queries(len(selectors.TIMELINE_KINDS)):
        events = [e for e in selectors.case_timeline(case) if e.kind == "case"]
    label = lambda name: str(EnforcementCase._meta.get_field(name).verbose_name)  # noqa: E731
    assert label("asset_report_ordered_on") in events[0].summary
    assert label("execution_notice_sent_on") in events[1].summary
    assert str(EnforcementCase.Status.IN_PROGRESS.label) in events[1].summary


def test_future_meeting_cannot_decide(case, staff):
    chief = staff[Role.BUREAU_CHIEF]
    meeting = services.convene_meeting(
        court=case.court,
        user=chief,
        held_on=timezone.localdate() + dt.timedelta(days=7),
        attendees=[chief],
    )
    item = services.put_on_agenda(meeting=meeting, case=case, user=chief, matter="拍卖")
    with pytest.raises(ValidationError):
        services.record_meeting_decision(
            item=item, user=chief, decision="approved", discussion="", votes_for=1,
            votes_against=0, abstentions=0, approved_amount=Decimal("1"),
        )  # fmt: skip


def test_police_transfer_needs_no_approval(case, staff, respondent):
    measure = services.decide_measure(
        case=case, user=staff[Role.JUDGE], kind="police_transfer", subject=respondent,
        reason="拒执", decided_on=dt.date(2016, 6, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.approve_measure(measure=measure, user=staff[Role.PRESIDENT])


def test_services_name_the_acting_user_outside_requests(case, judge):
    services.record_milestone(
        case=case, user=judge, milestone="execution_notice_sent_on", on=dt.date(2016, 4, 2)
    )
    assert case.history.latest("history_date").history_user == judge
    assert {event.user for event in selectors.case_timeline(case)} == {str(judge)}


class TestWriteAuthorisation:
    def test_roles_without_the_permission_cannot_write(self, case, staff):
        for role in (Role.FINANCE, Role.INVESTIGATOR, Role.JUDICIAL_POLICE, Role.SYSADMIN):
            with pytest.raises(PermissionDenied):
                services.close_case(case=case, user=staff[role], mode="withdrawn", reason="x")
        with pytest.raises(PermissionDenied):
            services.record_performance(
                case=case, user=staff[Role.FINANCE], amount=Decimal("1"), note="x"
            )

    def test_seeing_a_court_is_not_leave_to_change_it(self, case, court_a, applicant):
        from courtexec.models import Court

        higher = Court.objects.create(name="杭州市中级人民法院", code="浙01", level="intermediate")
        Court.objects.filter(pk=court_a.pk).update(parent=higher)  # test set-up only
        president = UserFactory(court=higher, roles=[Role.PRESIDENT])
        judge_here = case.judge
        measure = services.decide_measure(
            case=case, user=judge_here, kind="fine", subject=case.parties.last().party,
            reason="拒不履行", decided_on=dt.date(2016, 6, 1), fine_amount=Decimal("60000"),
        )  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.approve_measure(measure=measure, user=president)

    def test_chief_cannot_approve_own_trip(self, case, staff):
        chief = staff[Role.BUREAU_CHIEF]
        trip = services.request_travel(
            case=case, user=chief, destination="宁波", purpose="查控",
            depart_on=dt.date(2016, 6, 1), return_on=dt.date(2016, 6, 1), travellers=[chief],
        )  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.decide_travel(travel=trip, user=chief, approve=True)

    def test_resumed_once_while_the_resumption_is_open(self, case, judge):
        services.close_case(case=case, user=judge, mode="withdrawn", reason="撤回")
        services.resume_case(case=case, user=judge, reason="恢复")
        with pytest.raises(ValidationError):
            services.resume_case(case=case, user=judge, reason="再次恢复")

    def test_decompression_bomb_is_a_validation_error(self, case, judge):
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("1", (20000, 20000)).save(buffer, "PNG")  # 400 megapixels, a few KB
        photo = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
        with pytest.raises(ValidationError) as error:
            services.record_field_action(
                case=case, user=judge, kind="visit", occurred_at=timezone.now(),
                place="某地", participants="王法官", photos=[photo],
            )  # fmt: skip
        assert "photos" in error.value.message_dict

    def test_oversized_legacy_sequence_is_refused(self, court_a, judge, applicant, respondent):
        with pytest.raises(ValidationError):
            file_case(
                court_a, judge, applicant, respondent, legacy_number="(2016)浙0103执99999999号"
            )


def test_objecting_party_must_be_in_the_case(case, judge, person_respondent):
    with pytest.raises(ValidationError) as error:
        services.file_objection(
            case=case, user=judge, objector_name="王五", contested_act="查封",
            filed_on=dt.date(2016, 6, 1), objector_party=person_respondent,
        )  # fmt: skip
    assert "objector_party" in error.value.message_dict


def test_consultation_participants_work_for_the_court(case, judge, judge_b):
    with pytest.raises(ValidationError) as error:
        services.record_consultation(
            case=case, user=judge, held_on=dt.date(2016, 8, 1), participants=[judge, judge_b],
            findings="x", next_steps="y",
        )  # fmt: skip
    assert "participants" in error.value.message_dict


def test_chief_reassigns_a_case_and_history_keeps_it(case, staff, court_a):
    new_judge = UserFactory(court=court_a, roles=[Role.JUDGE])
    with pytest.raises(PermissionDenied):
        services.reassign_case(
            case=case, user=staff[Role.JUDGE], judge=new_judge, assistants=[], reason="x"
        )
    services.reassign_case(
        case=case, user=staff[Role.SECTION_CHIEF], judge=new_judge,
        assistants=[staff[Role.CLERK]], reason="原承办法官调岗",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.judge == new_judge
    latest = case.history.latest("history_date")
    assert latest.history_change_reason == "原承办法官调岗"
    assert latest.history_user == staff[Role.SECTION_CHIEF]
    assert [a.user for a in latest.assistants.all()] == [staff[Role.CLERK]]


def test_closing_withdraws_an_open_consultation_reminder(case, judge):
    with time_machine.travel(dt.datetime(2016, 7, 2, 12, tzinfo=dt.UTC)):
        services.remind_consultations(today=timezone.localdate())
    assert ConsultationReminder.objects.filter(case=case).count() == 1
    services.close_case(case=case, user=judge, mode="withdrawn", reason="撤回")
    assert not ConsultationReminder.objects.filter(case=case).exists()
    assert ConsultationReminder.history.filter(case_id=case.pk, history_type="-").exists()


def test_flagged_cases_filter(court_a, judge, applicant, respondent):
    from enforcement.filtersets import CaseFilterSet

    flagged = file_case(court_a, judge, applicant, respondent, flags=["stability_risk"])
    file_case(court_a, judge, applicant, respondent)
    result = CaseFilterSet({"flag": ["stability_risk", "major"]}, EnforcementCase.objects.all()).qs
    assert list(result) == [flagged]

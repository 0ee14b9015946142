"""The dishonest-debtor list, its deletion tasks and corrections, and consumption restriction,
through the services (the law itself is tested in test_rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from courtexec.notifications import Notification
from courtexec.roles import Role
from debtors import rules, selectors, services
from debtors.models import BlacklistEntry, DeletionTask, RestrictionOrder
from enforcement import services as enforcement
from enforcement.models import EnforcementCase, Party
from tests.debtors.conftest import respondent_of
from tests.enforcement.fixtures import file_case

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2026, 3, 2)
G = rules.Ground


def _codes(error: ValidationError, field: str = "grounds") -> set[str]:
    return {e.code for e in error.error_dict[field]}


def _assessment(*, security=False, frozen="0", outstanding="120000") -> rules.CoverageAssessment:
    return rules.CoverageAssessment(
        assessed_by="王法官",
        assessed_on=DECIDED,
        security_given=security,
        frozen_property_value=Decimal(frozen),
        outstanding=Decimal(outstanding),
    )


def propose(case, judge, grounds=(G.EVADES,), **kwargs):
    return services.propose_listing(
        case=case,
        respondent=respondent_of(case),
        grounds=list(grounds),
        facts="转移财产规避执行",
        decision_number="(2026)浙0103执100号之一",
        decided_on=kwargs.pop("decided_on", DECIDED),
        user=judge,
        **kwargs,
    )


@pytest.fixture
def president(staff):
    return staff[Role.PRESIDENT]


@pytest.fixture
def travel_2026():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


@pytest.fixture
def published(case, judge, president, travel_2026):
    entry = propose(case, judge)
    services.approve_listing(entry=entry, user=president)
    services.record_listing_service(entry=entry, served_on=DECIDED, user=judge)
    return services.publish_listing(entry=entry, user=judge)


# --- Refusals -------------------------------------------------------------------------------


def test_a_minor_is_refused(court_a, judge, applicant, travel_2026):
    minor = enforcement.register_party(
        court=court_a, kind=Party.Kind.PERSON, name="小明", birth_date=dt.date(2012, 5, 1)
    )
    case = file_case(court_a, judge, applicant, minor)
    with pytest.raises(ValidationError) as refused:
        propose(case, judge)
    assert _codes(refused.value) == {rules.RefusalReason.MINOR}
    assert BlacklistEntry.objects.count() == 0


def test_ground_one_needs_an_assessment(case, judge, travel_2026):
    with pytest.raises(ValidationError) as refused:
        propose(case, judge, grounds=[G.REFUSES_DESPITE_ABILITY])
    assert _codes(refused.value) == {rules.RefusalReason.ASSESSMENT_MISSING}


def test_ground_one_refused_with_security(case, judge, travel_2026):
    with pytest.raises(ValidationError) as refused:
        propose(
            case, judge, grounds=[G.REFUSES_DESPITE_ABILITY], assessment=_assessment(security=True)
        )
    assert _codes(refused.value) == {rules.RefusalReason.SECURITY_GIVEN}


def test_ground_one_refused_when_freezes_cover_the_debt(case, judge, travel_2026):
    with pytest.raises(ValidationError) as refused:
        propose(
            case,
            judge,
            grounds=[G.REFUSES_DESPITE_ABILITY],
            assessment=_assessment(frozen="150000"),
        )
    assert _codes(refused.value) == {rules.RefusalReason.FROZEN_PROPERTY_COVERS}


def test_no_open_case_is_refused(case, judge, travel_2026):
    enforcement.record_performance(case=case, user=judge, amount=Decimal("120000"), note="付清")
    enforcement.close_case(
        case=case, user=judge, mode=EnforcementCase.ClosureMode.PERFORMED, reason="执行完毕"
    )
    with pytest.raises(ValidationError) as refused:
        propose(EnforcementCase.objects.get(pk=case.pk), judge)
    assert _codes(refused.value) == {rules.RefusalReason.NO_OPEN_CASE}


def test_ground_one_with_assessment_stores_it_and_lists_until_deleted(case, judge, travel_2026):
    entry = propose(case, judge, grounds=[G.REFUSES_DESPITE_ABILITY], assessment=_assessment())
    assert entry.assessed_by == "王法官" and entry.frozen_property_value == 0
    assert entry.ends_on is None
    assert entry.history.count() == 1


# --- Approval, periods, extension -----------------------------------------------------------


def test_only_the_president_approves_and_never_the_proposer(case, judge, staff, travel_2026):
    entry = propose(case, judge)
    with pytest.raises(PermissionDenied):
        services.approve_listing(entry=entry, user=staff[Role.BUREAU_CHIEF])
    with pytest.raises(PermissionDenied):
        services.approve_listing(entry=entry, user=judge)
    president = staff[Role.PRESIDENT]
    BlacklistEntry.objects.filter(pk=entry.pk).update(proposed_by=president)  # his own proposal
    with pytest.raises(ValidationError) as refused:
        services.approve_listing(entry=entry, user=president)
    assert _codes(refused.value, "approved_by") == {"own_proposal"}


def test_president_approves_a_colleagues_proposal(case, judge, president, travel_2026):
    entry = services.approve_listing(entry=propose(case, judge), user=president)
    assert entry.status == BlacklistEntry.Status.APPROVED and entry.approved_by == president


def test_fixed_period_and_an_extension(case, judge, president, travel_2026):
    entry = propose(case, judge, grounds=[G.OBSTRUCTS, G.EVADES])
    assert entry.ends_on == dt.date(2028, 3, 2)
    services.extend_listing(entry=entry, years=2, reason="多次失信", user=president)
    entry.refresh_from_db()
    assert entry.ends_on == dt.date(2030, 3, 2)
    with pytest.raises(ValidationError) as refused:
        services.extend_listing(entry=entry, years=2, reason="再次", user=president)
    assert _codes(refused.value, "years") == {"extension_years"}
    assert entry.extensions.get().approved_by == president


def test_a_single_evasion_is_not_extendable(case, judge, president, travel_2026):
    entry = propose(case, judge, grounds=[G.EVADES])
    with pytest.raises(ValidationError) as refused:
        services.extend_listing(entry=entry, years=1, reason="r", user=president)
    assert _codes(refused.value, "years") == {"not_extendable"}


# --- Publication and restriction ------------------------------------------------------------


def test_publishing_issues_a_restriction_binding_the_legal_representative(published):
    assert published.status == BlacklistEntry.Status.PUBLISHED
    order = RestrictionOrder.objects.get(entry=published)
    assert set(order.items) == set(rules.RestrictedItem.values)
    assert {"role": "legal_representative", "name": "李四"} in order.bound_persons
    assert list(selectors.published_entries()) == [published]
    case = EnforcementCase.objects.get(pk=published.case_id)
    assert case.blacklisted_on == case.consumption_restriction_on == DECIDED


def test_lifting_on_full_performance_needs_it(published, judge, case):
    order = published.restriction_order
    with pytest.raises(ValidationError) as refused:
        services.lift_restriction(
            order=order, reason=rules.LiftingReason.FULL_PERFORMANCE, note="", user=judge
        )
    assert _codes(refused.value, "reason") == {"not_performed"}
    enforcement.record_performance(case=case, user=judge, amount=Decimal("120000"), note="付清")
    order = services.lift_restriction(
        order=order, reason=rules.LiftingReason.FULL_PERFORMANCE, note="", user=judge
    )
    assert not order.in_force and list(selectors.restrictions_in_force()) == []


def test_lifting_on_security_needs_a_note(published, judge):
    with pytest.raises(ValidationError):
        services.lift_restriction(
            order=published.restriction_order,
            reason=rules.LiftingReason.SECURITY,
            note=" ",
            user=judge,
        )
    order = services.lift_restriction(
        order=published.restriction_order,
        reason=rules.LiftingReason.SECURITY,
        note="担保人提供房产担保",
        user=judge,
    )
    assert order.lifting_reason == rules.LiftingReason.SECURITY


def test_exemption_for_necessary_spending(published, judge):
    order = published.restriction_order
    with pytest.raises(ValidationError):
        services.request_exemption(
            order=order, item="nonsense", reason="就医", valid_from=DECIDED, valid_to=DECIDED,
            user=judge,
        )  # fmt: skip
    exemption = services.request_exemption(
        order=order,
        item=rules.RestrictedItem.TRAVEL_CLASS,
        reason="赴外地就医",
        valid_from=DECIDED,
        valid_to=DECIDED + dt.timedelta(days=5),
        user=judge,
    )
    exemption = services.decide_exemption(exemption=exemption, approve=True, user=judge)
    assert exemption.status == exemption.Status.APPROVED and exemption.decided_by == judge


def test_manual_restriction_once_per_case(case, judge, travel_2026):
    order = services.issue_restriction(
        case=case,
        respondent=respondent_of(case),
        user=judge,
        principal_officers=["赵六"],
        actual_controller="钱七",
    )
    assert order.entry is None
    assert [p["role"] for p in order.bound_persons] == [
        "respondent",
        "legal_representative",
        "principal_officer",
        "actual_controller",
    ]
    with pytest.raises(ValidationError):
        services.issue_restriction(case=case, respondent=respondent_of(case), user=judge)


# --- Deletion tasks -------------------------------------------------------------------------


def test_deletion_task_raised_once_with_due_date_across_a_holiday(case, judge, president):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        entry = propose(case, judge, grounds=[G.REFUSES_DESPITE_ABILITY], assessment=_assessment())
        services.approve_listing(entry=entry, user=president)
        services.publish_listing(entry=entry, user=judge)
    # Performed on Thursday 2 April 2026; 4–6 April are the Qingming holiday.
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        enforcement.record_performance(case=case, user=judge, amount=Decimal("120000"), note="付清")
        enforcement.close_case(
            case=case, user=judge, mode=EnforcementCase.ClosureMode.PERFORMED, reason="执行完毕"
        )
        assert services.raise_deletion_tasks() == 1
        assert services.raise_deletion_tasks() == 0
    task = DeletionTask.objects.get()
    assert task.ground == rules.DeletionGround.PERFORMED
    assert task.arisen_on == dt.date(2026, 4, 2)
    assert task.due_on == rules.deletion_deadline(dt.date(2026, 4, 2))
    assert task.due_on > dt.date(2026, 4, 7)  # the holiday does not count
    assert (
        Notification.objects.filter(recipient=judge, kind="debtors.blacklist_deletion").count() == 1
    )
    # Overdue the day after it was due, while the entry is still listed.
    after = task.due_on + dt.timedelta(days=1)
    assert task.is_overdue(after)
    assert list(selectors.overdue_deletion_tasks(today=after)) == [task]
    with time_machine.travel(dt.datetime(2026, 4, 8, 9, 0, tzinfo=dt.UTC), tick=False):
        services.delete_listing(
            entry=entry, ground=rules.DeletionGround.PERFORMED, arose_on=task.arisen_on, user=judge
        )
    task.refresh_from_db()
    assert not task.is_overdue(after)
    assert list(selectors.overdue_deletion_tasks(today=after)) == []


def test_expired_period_raises_a_task(published):
    assert services.raise_deletion_tasks(today=dt.date(2028, 3, 3)) == 1
    task = DeletionTask.objects.get()
    assert task.ground == rules.DeletionGround.PERIOD_EXPIRED
    assert task.arisen_on == dt.date(2028, 3, 2)


def test_a_fixed_period_entry_is_not_deleted_for_performance(published, judge):
    with pytest.raises(ValidationError) as refused:
        services.delete_listing(
            entry=published, ground=rules.DeletionGround.PERFORMED, arose_on=DECIDED, user=judge
        )
    assert _codes(refused.value, "ground") == {"ground_not_applicable"}


# --- Corrections and re-listing -------------------------------------------------------------


def test_correction_request_deadlines(published, judge):
    request = services.request_correction(
        entry=published,
        ground=rules.CorrectionGround.INACCURATE,
        statement="身份证号码有误",
        received_on=dt.date(2026, 3, 20),
        user=judge,
    )
    assert request.review_due_on == dt.date(2026, 4, 4)
    # Upheld on Thursday 2 April: three working days skip the Qingming holiday.
    request = services.review_correction(
        request=request, upheld=True, reviewed_on=dt.date(2026, 4, 2), user=judge
    )
    assert request.correction_due_on == rules.correction_due(dt.date(2026, 4, 2))
    assert request.correction_due_on > dt.date(2026, 4, 7)
    entry = services.correct_entry(request=request, user=judge)
    assert entry.status == BlacklistEntry.Status.CORRECTED


def test_relisting_after_deletion_and_the_applicant_bar(case, judge, president):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        entry = propose(case, judge, grounds=[G.REFUSES_DESPITE_ABILITY], assessment=_assessment())
        services.approve_listing(entry=entry, user=president)
        services.delete_listing(
            entry=entry,
            ground=rules.DeletionGround.APPLICANT_REQUEST,
            arose_on=DECIDED,
            user=judge,
        )
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError) as refused:
            propose(case, judge, applicant_request=True, decided_on=dt.date(2026, 5, 4))
        assert _codes(refused.value, "respondent") == {"relisting_bar"}
        # The court may list again on its own motion.
        again = propose(case, judge, decided_on=dt.date(2026, 5, 4))
        assert again.status == BlacklistEntry.Status.PROPOSED
    services.delete_listing(
        entry=again, ground=rules.DeletionGround.PERIOD_EXPIRED, arose_on=DECIDED, user=judge
    )
    with time_machine.travel(dt.datetime(2026, 9, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        assert propose(case, judge, applicant_request=True, decided_on=dt.date(2026, 9, 3))


def test_one_live_entry_per_case_and_respondent(published, case, judge):
    with pytest.raises(ValidationError) as refused:
        propose(case, judge)
    assert _codes(refused.value, "respondent") == {"listed"}


def test_the_daily_job_is_scheduled_and_runs(published):
    from django_celery_beat.models import PeriodicTask

    from debtors import tasks

    job = PeriodicTask.objects.get(task="debtors.raise_deletion_tasks")
    assert job.enabled and job.crontab.timezone.key == "Asia/Shanghai"
    assert tasks.raise_deletion_tasks() == 0  # nothing to delete yet


def test_only_the_president_extends(published, judge):
    with pytest.raises(PermissionDenied):
        services.extend_listing(entry=published, years=1, reason="r", user=judge)

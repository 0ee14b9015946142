"""Re-searches after 终本 (every 6 months for 5 years) and the deletion grounds the daily job now
sees: closures (terminated, not enforced, rejected or withdrawn), performance in a resumed
case, and two re-searches that found nothing — each due 3 working days later."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courtexec.notifications import Notification
from courtexec.roles import Role
from debtors import rules, selectors, services
from debtors.banks import SandboxBank
from debtors.models import DeletionTask, InvestigationRequest, ResearchRun, Search
from enforcement import services as enforcement
from enforcement.deadlines import add_months
from enforcement.models import EnforcementCase
from tests.debtors.conftest import respondent_of
from tests.enforcement.fixtures import file_case

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSED = dt.date(2016, 8, 1)
G = rules.Ground
Mode = EnforcementCase.ClosureMode


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI))


class EmptyBank(SandboxBank):
    """A bank that holds nothing of anyone (the sandbox's other orders unchanged)."""

    def search(self, *, id_number, name, order):
        return []


def terminate(case, judge, *, on=CLOSED, steps_on=None, listed=False):
    """Close ``case`` 终本 on ``on`` after every step the rule requires."""
    steps_on = steps_on or case.filed_on + dt.timedelta(days=5)
    for step in ("execution_notice_sent_on", "asset_report_ordered_on",
                 "property_investigation_done_on", "consumption_restriction_on",
                 "debtor_search_done_on"):  # fmt: skip
        enforcement.record_milestone(case=case, user=judge, milestone=step, on=steps_on)
    if not listed:
        enforcement.record_no_blacklist_grounds(case=case, user=judge)
    return enforcement.close_case(
        case=case, user=judge, mode=Mode.TERMINATED_FOR_NOW, reason="无财产可供执行", on=on
    )


def list_respondent(case, judge, president, *, grounds=(G.REFUSES_DESPITE_ABILITY,), on):
    entry = services.propose_listing(
        case=case,
        respondent=respondent_of(case),
        grounds=list(grounds),
        facts="有履行能力而拒不履行",
        decision_number=f"({on.year})浙0103执{case.pk}号之一",
        decided_on=on,
        user=judge,
        assessment=rules.CoverageAssessment(
            assessed_by="王法官",
            assessed_on=on,
            security_given=False,
            frozen_property_value=Decimal("0"),
            outstanding=case.outstanding,
        ),
    )
    services.approve_listing(entry=entry, user=president)
    return services.publish_listing(entry=entry, user=judge)


def work_the_queue(run, investigator, bank=None):
    for request in run.requests.all():
        services.perform_searches(request=request, user=investigator, bank=bank)


@pytest.fixture
def zhongben(case, judge):
    return terminate(case, judge)


# --- The schedule ---------------------------------------------------------------------------


def test_runs_every_six_months_once_each_and_stop_after_five_years(zhongben, judge, investigator):
    case = zhongben
    with at(add_months(CLOSED, 6) - dt.timedelta(days=1)):
        assert services.run_researches().opened == 0  # not due yet
    for number in range(1, rules.RESEARCH_RUNS + 1):
        due = add_months(CLOSED, 6 * number)
        with at(due):
            assert services.run_researches().opened == 1
            assert services.run_researches().opened == 0  # the same day again: nothing
            run = ResearchRun.objects.get(case=case, number=number)
            assert run.due_on == due and run.status == ResearchRun.Status.QUEUED
            request = run.requests.get()
            assert request.asset_classes == list(services.RESEARCH_CLASSES)
            assert request.respondent == respondent_of(case)
            assert request in selectors.investigation_queue(user=investigator)
            assert services.run_researches().completed == 0  # the group has not searched yet
            work_the_queue(run, investigator)
            assert services.run_researches().completed == 1
            assert services.run_researches().completed == 0
            run.refresh_from_db()
            assert run.status == ResearchRun.Status.DONE and run.completed_on == due
            assert run.property_found >= 1  # the sandbox bank knows the respondent's accounts
        with at(due + dt.timedelta(days=40)):  # the days between runs: nothing new
            assert services.run_researches().opened == 0
    with at(add_months(CLOSED, 66)):
        assert services.run_researches().opened == 0
    assert ResearchRun.objects.filter(case=case).count() == 10
    assert Search.objects.filter(party=respondent_of(case).party).count() == 10 * 5
    # Only the first run found property no earlier search had found: one note to the judge.
    findings = Notification.objects.filter(recipient=judge, kind="debtors.research_findings")
    assert findings.count() == 1
    first = ResearchRun.objects.get(case=case, number=1)
    assert first.new_findings == first.property_found
    assert ResearchRun.objects.filter(case=case, number__gt=1, new_findings__gt=0).count() == 0
    schedule = selectors.research_schedule(case, today=add_months(CLOSED, 66))
    assert [r.status for r in schedule.runs] == ["done"] * 10
    assert schedule.stop_reason == "finished" and schedule.next_due is None


def test_resumption_stops_the_schedule(zhongben, judge, investigator):
    case = zhongben
    with at(add_months(CLOSED, 6)):
        services.run_researches()
        work_the_queue(ResearchRun.objects.get(case=case), investigator)
        services.run_researches()
    schedule = selectors.research_schedule(case, today=add_months(CLOSED, 7))
    assert schedule.next_due.number == 2 and schedule.next_due.due_on == add_months(CLOSED, 12)
    with at(add_months(CLOSED, 8)):
        resumed = enforcement.resume_case(case=case, user=judge, reason="申请执行人提供财产线索")
    assert resumed.type_code == EnforcementCase.TypeCode.RESUMED
    for months in (12, 18, 60):
        with at(add_months(CLOSED, months)):
            assert services.run_researches().opened == 0
    assert ResearchRun.objects.filter(case=case).count() == 1
    schedule = selectors.research_schedule(case, today=add_months(CLOSED, 12))
    assert schedule.stop_reason == "resumed"
    assert [r.status for r in schedule.runs] == ["done"] + ["cancelled"] * 9
    assert selectors.research_schedule(resumed) is None  # an open case has no schedule


def test_a_job_that_missed_runs_searches_once(zhongben, investigator):
    with at(add_months(CLOSED, 19)):  # runs 1–3 have fallen due; the job never ran
        job = services.run_researches()
        assert (job.opened, job.missed) == (1, 2)
        assert services.run_researches().opened == 0
    runs = {r.number: r for r in ResearchRun.objects.filter(case=zhongben)}
    assert runs[1].status == runs[2].status == ResearchRun.Status.MISSED
    assert runs[3].status == ResearchRun.Status.QUEUED
    assert InvestigationRequest.objects.filter(research_runs__case=zhongben).count() == 1


def test_a_recent_search_of_the_party_is_reused(zhongben, judge, investigator, second_case):
    """Searched for another case of the party within the reuse window: linked, not repeated."""
    due = add_months(CLOSED, 6)
    with at(due - dt.timedelta(days=3)):
        request = services.request_investigation(
            case=second_case,
            respondent=respondent_of(second_case),
            asset_classes=list(services.RESEARCH_CLASSES),
            user=judge,
        )
        services.perform_searches(request=request, user=investigator)
    with at(due):
        assert services.run_researches().opened == 1
        run = ResearchRun.objects.get(case=zhongben)
        assert run.requests.get().status == InvestigationRequest.Status.DONE
        assert services.run_researches().completed == 1
    assert Search.objects.count() == 5
    run.refresh_from_db()
    # No search before the linked one had found that property: new to this case's judge.
    assert run.new_findings == run.property_found >= 1
    assert Notification.objects.filter(kind="debtors.research_findings").count() == 1


def test_the_daily_job_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    from debtors import tasks

    job = PeriodicTask.objects.get(task="debtors.run_researches")
    assert job.enabled and job.crontab.timezone.key == "Asia/Shanghai"
    assert (job.crontab.hour, job.crontab.minute) == ("6", "45")  # before the deletion job
    assert tasks.run_researches() == 0


# --- Deletion grounds -----------------------------------------------------------------------


def test_two_empty_re_searches_raise_a_deletion_task_across_national_day(
    court_a, judge, staff, applicant, respondent, investigator
):
    """Closed 终本 on 30 Sep 2025; the second re-search (30 Sep 2026) finds nothing: the entry is
    deleted within 3 working days — 1–7 October are holidays, 10 October a make-up working day."""
    president = staff[Role.PRESIDENT]
    case = file_case(court_a, judge, applicant, respondent, filed_on=dt.date(2025, 5, 6))
    with at(dt.date(2025, 6, 3)):
        entry = list_respondent(case, judge, president, on=dt.date(2025, 6, 3))
    with at(dt.date(2025, 9, 30)):
        terminate(case, judge, on=dt.date(2025, 9, 30), listed=True)
    bank = EmptyBank()
    for number in (1, 2):
        with at(add_months(dt.date(2025, 9, 30), 6 * number)):
            services.run_researches()
            work_the_queue(ResearchRun.objects.get(case=case, number=number), investigator, bank)
            services.run_researches()
            if number == 1:  # one empty search is not enough (Art. 10(4): two or more)
                assert services.raise_deletion_tasks() == 0
    with at(dt.date(2026, 9, 30)):
        assert services.raise_deletion_tasks() == 1
        assert services.raise_deletion_tasks() == 0
    task = DeletionTask.objects.get(entry=entry)
    assert task.ground == rules.DeletionGround.NOTHING_FOUND_AFTER_TERMINATION
    assert task.arisen_on == dt.date(2026, 9, 30)
    assert task.due_on == dt.date(2026, 10, 10)
    assert not task.is_overdue(dt.date(2026, 10, 10)) and task.is_overdue(dt.date(2026, 10, 11))
    assert list(selectors.overdue_deletion_tasks(today=dt.date(2026, 10, 11))) == [task]


def test_property_found_after_termination_is_no_deletion_ground(
    court_a, judge, staff, applicant, respondent, investigator
):
    case = file_case(court_a, judge, applicant, respondent, filed_on=dt.date(2025, 5, 6))
    with at(dt.date(2025, 6, 3)):
        list_respondent(case, judge, staff[Role.PRESIDENT], on=dt.date(2025, 6, 3))
    with at(dt.date(2025, 9, 30)):
        terminate(case, judge, on=dt.date(2025, 9, 30), listed=True)
    for number, bank in ((1, SandboxBank()), (2, EmptyBank()), (3, EmptyBank())):
        with at(add_months(dt.date(2025, 9, 30), 6 * number)):
            services.run_researches()
            work_the_queue(ResearchRun.objects.get(case=case, number=number), investigator, bank)
            services.run_researches()
    assert services.raise_deletion_tasks(today=dt.date(2026, 11, 1)) == 0


@pytest.mark.parametrize(
    ("mode", "ground"),
    [
        (Mode.TERMINATED, rules.DeletionGround.TERMINATED),
        (Mode.NOT_ENFORCED, rules.DeletionGround.NOT_ENFORCED),
        (Mode.REJECTED, rules.DeletionGround.NO_BASIS),
        (Mode.WITHDRAWN, rules.DeletionGround.NO_BASIS),
    ],
)
def test_closures_raise_deletion_tasks_across_qingming(case, judge, staff, mode, ground):
    with at(dt.date(2026, 3, 2)):
        entry = list_respondent(case, judge, staff[Role.PRESIDENT], on=dt.date(2026, 3, 2))
    # Closed on Thursday 2 April 2026; 4–6 April are the Qingming holiday.
    with at(dt.date(2026, 4, 2)):
        enforcement.close_case(case=case, user=judge, mode=mode, reason="依法结案")
        assert services.raise_deletion_tasks() == 1
        assert services.raise_deletion_tasks() == 0
    task = DeletionTask.objects.get(entry=entry)
    assert (task.ground, task.arisen_on) == (ground, dt.date(2026, 4, 2))
    assert task.due_on == dt.date(2026, 4, 8)  # Fri 3, Tue 7, Wed 8
    assert Notification.objects.filter(recipient=judge, kind="debtors.blacklist_deletion").exists()
    services.delete_listing(entry=entry, ground=ground, arose_on=task.arisen_on, user=judge)


def test_a_period_entry_is_deleted_only_when_no_basis_remains(
    court_a, judge, staff, applicant, respondent, person_respondent
):
    terminated = file_case(court_a, judge, applicant, respondent)
    withdrawn = file_case(
        court_a, judge, applicant, person_respondent, instrument_number="(2016)浙0103民初300号"
    )
    with at(dt.date(2026, 3, 2)):
        for case in (terminated, withdrawn):
            list_respondent(case, judge, staff[Role.PRESIDENT], grounds=[G.EVADES],
                            on=dt.date(2026, 3, 2))  # fmt: skip
    with at(dt.date(2026, 4, 2)):
        enforcement.close_case(case=terminated, user=judge, mode=Mode.TERMINATED, reason="终结")
        enforcement.close_case(case=withdrawn, user=judge, mode=Mode.WITHDRAWN, reason="销案")
        assert services.raise_deletion_tasks() == 1
    assert DeletionTask.objects.get().entry.case == withdrawn


def test_performance_in_the_resumed_case_deletes_the_listing(case, judge, staff):
    with at(dt.date(2016, 4, 5)):
        entry = list_respondent(case, judge, staff[Role.PRESIDENT], on=dt.date(2016, 4, 5))
    with at(CLOSED):
        terminate(case, judge, listed=True)
        assert services.raise_deletion_tasks() == 0
    with at(dt.date(2026, 3, 2)):
        resumed = enforcement.resume_case(case=case, user=judge, reason="发现财产")
        enforcement.record_performance(
            case=resumed, user=judge, amount=resumed.amount_to_enforce, note="全部履行"
        )
    with at(dt.date(2026, 4, 2)):
        enforcement.close_case(case=resumed, user=judge, mode=Mode.PERFORMED, reason="执行完毕")
        assert services.raise_deletion_tasks() == 1
    task = DeletionTask.objects.get(entry=entry)
    assert (task.ground, task.arisen_on) == (rules.DeletionGround.PERFORMED, dt.date(2026, 4, 2))
    assert task.due_on == dt.date(2026, 4, 8)

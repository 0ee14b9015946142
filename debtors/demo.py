"""Demo debtors data for a court: property investigation, freezes, a deduction, the dishonest-
debtor list in every state, consumption restrictions, the re-searches after 终本, tips and
exposures.

* Every write goes through ``debtors.services`` and the sandbox bank (its accounts are
  deterministic per identity number), and the daily jobs are run as beat would run them, so the
  demo obeys the same rules as the UI, the API and the jobs; the deduction is booked into the
  case's sub-account by ``casefunds`` and ``verify_ledger`` finds no drift.
* Dates are counted back from today, so a freeze is always expiring within 30 days, one has
  always expired and the re-search schedule is always current, whatever the day.
* Idempotent: a court whose investigator rotation exists is left alone (tips and exposures
  check their own).

Loaded by ``manage.py demo`` after the case-funds demo (it needs the enforcement cases and their
sub-accounts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from courtexec.history import acting_as
from courtexec.models import Court, User
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles
from debtors import rules, services
from debtors.demo_exposure import load_exposure
from debtors.demo_tips import load_tips
from debtors.models import (
    AssetClass,
    BlacklistEntry,
    Finding,
    InvestigationRequest,
    InvestigatorRotation,
    ResearchRun,
)
from enforcement import services as enforcement
from enforcement.models import CaseParty, EnforcementCase, Party

G = rules.Ground
PUBLISHED_ENTRIES = 7  # the big screen pages through them


@dataclass
class Summary:
    requests: int = 0
    freezes: int = 0
    entries: int = 0
    restrictions: int = 0
    research_runs: int = 0
    tips: int = 0
    exposures: int = 0


def load(*, court: Court, staff: Mapping[Role, User], today: dt.date | None = None) -> Summary:
    """Load the demo debtors records of ``court``; an empty summary when already loaded.

    ``staff`` needs a judge, a bureau chief and the president of ``court``; the investigation
    group is every investigator of the court.
    """
    with acting_as(staff[Role.JUDGE]):
        if InvestigatorRotation.objects.filter(court=court).exists():
            summary = Summary()
        else:
            summary = _Demo(court, staff, today or timezone.localdate()).run()
        # Each loads once by itself; after the list so the tips and exposures have entries.
        summary.tips = load_tips(court, staff)
        summary.exposures = load_exposure(court, staff)
    return summary


class _Demo:
    def __init__(self, court: Court, staff: Mapping[Role, User], today: dt.date) -> None:
        self.court, self.today = court, today
        self.judge = staff[Role.JUDGE]
        self.chief = staff[Role.BUREAU_CHIEF]
        self.president = staff[Role.PRESIDENT]
        self.group = list(staff_with_roles(court, Role.INVESTIGATOR).order_by("username"))
        self.summary = Summary()
        self.used: set[int] = set()

    def run(self) -> Summary:
        services.set_rotation(
            court=self.court,
            members=self.group,
            period_days=7,
            start_date=self.today - dt.timedelta(days=28),
            user=self.chief,
        )
        self.investigation()
        self.blacklist()
        self.restrictions()
        self.researches()
        services.raise_renewal_reminders(today=self.today)
        return self.summary

    # --- Cases ---------------------------------------------------------------------------------

    def open_cases(self, kind: str | None = None):
        """Open cases of the court not used yet, oldest first, with their first respondent."""
        cases = EnforcementCase.objects.filter(
            court=self.court, status__in=[EnforcementCase.Status.IN_PROGRESS]
        ).order_by("filed_on", "pk")
        for case in cases:
            if case.pk in self.used or case.outstanding <= 0:
                continue
            link = (
                case.parties.filter(role=CaseParty.Role.RESPONDENT)
                .select_related("party")
                .order_by("pk")
                .first()
            )
            if link is None or not link.party.id_number:
                continue
            if kind is not None and link.party.kind != kind:
                continue
            self.used.add(case.pk)
            yield case, link

    # --- Investigation, freezes, a deduction ---------------------------------------------------

    def investigation(self) -> None:
        classes = [AssetClass.BANK_DEPOSIT, AssetClass.REAL_ESTATE, AssetClass.VEHICLE]
        cases = self.open_cases()
        worked = []
        for index in range(6):
            case, link = next(cases)
            request = services.request_investigation(
                case=case, respondent=link, asset_classes=classes, user=self.judge
            )
            self.summary.requests += 1
            if index < 4:  # the last two stay in the group's queue
                searcher = request.assigned_to or self.group[0]
                services.perform_searches(request=request, user=searcher)
                worked.append((case, request))
        one_year = relativedelta(years=1)
        # Expiring within 30 days; already expired; renewed; frozen and partly deducted.
        starts = [
            self.today - one_year + dt.timedelta(days=20),
            self.today - one_year - dt.timedelta(days=10),
            self.today - one_year + dt.timedelta(days=45),
            self.today - dt.timedelta(days=5),
        ]
        for (case, request), start in zip(worked, starts, strict=True):
            finding = (
                Finding.objects.filter(
                    search__in=request.searches.all(),
                    asset_class=AssetClass.BANK_DEPOSIT,
                    status=Finding.Status.FOUND,
                )
                .order_by("pk")
                .first()
            )
            if finding is None:
                continue
            freeze = services.freeze(finding=finding, case=case, user=self.judge, from_date=start)
            self.summary.freezes += 1
            if start == starts[2]:
                services.renew_freeze(freeze=freeze, user=self.judge)
            if start == starts[3]:
                services.deduct(freeze=freeze, amount=min(freeze.amount, 5_000_00), user=self.judge)

    # --- The dishonest-debtor list -------------------------------------------------------------

    def propose(self, case, link, grounds, decided_on) -> BlacklistEntry | None:
        assessment = None
        if G.REFUSES_DESPITE_ABILITY in grounds:
            assessment = rules.CoverageAssessment(
                assessed_by=self.judge.display_name,
                assessed_on=decided_on,
                security_given=False,
                frozen_property_value=Decimal("0"),
                outstanding=case.outstanding,
                note="经查询名下无足额可供执行财产，亦未提供担保。",
            )
        try:
            return services.propose_listing(
                case=case,
                respondent=link,
                grounds=list(grounds),
                facts="被执行人有履行能力而拒不履行，且转移名下财产规避执行。",
                decision_number=f"({decided_on.year}){self.court.code}执{case.pk}号之一",
                decided_on=decided_on,
                user=self.judge,
                assessment=assessment,
            )
        except ValidationError:  # e.g. a minor: the law refuses, the demo moves on
            return None

    def publish(self, entry: BlacklistEntry, decided_on: dt.date) -> BlacklistEntry:
        services.approve_listing(entry=entry, user=self.president)
        services.record_listing_service(entry=entry, served_on=decided_on, user=self.judge)
        return services.publish_listing(entry=entry, user=self.judge)

    def entries(self, count: int, grounds, kind: str | None = None):
        cases = self.open_cases(kind)
        made = 0
        for case, link in cases:
            decided_on = self.today - dt.timedelta(days=3 + 4 * self.summary.entries)
            entry = self.propose(case, link, grounds, decided_on)
            if entry is None:
                continue
            self.summary.entries += 1
            made += 1
            yield entry, decided_on
            if made == count:
                return

    def blacklist(self) -> None:
        kinds = [(G.EVADES,), (G.OBSTRUCTS,), (G.BREACHES_ASSET_REPORT,), (G.EVADES, G.OBSTRUCTS)]
        for index in range(PUBLISHED_ENTRIES):
            for entry, decided_on in self.entries(1, kinds[index % len(kinds)]):
                self.publish(entry, decided_on)
        # Proposed, and approved (awaiting publication).
        for index, (entry, _decided_on) in enumerate(self.entries(2, (G.BREACHES_ASSET_REPORT,))):
            if index == 1:
                services.approve_listing(entry=entry, user=self.president)
        # Deleted at the applicant's request; corrected after an upheld request.
        for entry, decided_on in self.entries(1, (G.REFUSES_DESPITE_ABILITY,)):
            self.publish(entry, decided_on)
            services.delete_listing(
                entry=entry,
                ground=rules.DeletionGround.APPLICANT_REQUEST,
                arose_on=self.today - dt.timedelta(days=1),
                user=self.judge,
            )
        for entry, decided_on in self.entries(1, (G.EVADES,)):
            self.publish(entry, decided_on)
            request = services.request_correction(
                entry=entry,
                ground=rules.CorrectionGround.INACCURATE,
                statement="公布的身份证号码与本人不符。",
                received_on=self.today - dt.timedelta(days=2),
                user=self.judge,
            )
            request = services.review_correction(
                request=request, upheld=True, reviewed_on=self.today, user=self.judge
            )
            services.correct_entry(request=request, user=self.judge)
        # Listed until deleted; the debt is then paid in full: the daily job raises the task.
        for entry, decided_on in self.entries(1, (G.REFUSES_DESPITE_ABILITY,)):
            self.publish(entry, decided_on)
            enforcement.record_performance(
                case=entry.case, user=self.judge, amount=entry.case.outstanding, note="全部履行"
            )
        services.raise_deletion_tasks(today=self.today)

    # --- Consumption restriction -----------------------------------------------------------------

    def restrictions(self) -> None:
        for case, link in self.open_cases(Party.Kind.ORGANISATION):
            order = services.issue_restriction(
                case=case,
                respondent=link,
                user=self.judge,
                principal_officers=["周经理"],
                directly_responsible=["吴财务"],
                actual_controller="郑某某",
            )
            self.summary.restrictions += 1
            exemption = services.request_exemption(
                order=order,
                item=rules.RestrictedItem.HIGH_SPEED_TRAINS,
                reason="法定代表人赴上海就医，须乘坐高铁。",
                valid_from=self.today,
                valid_to=self.today + dt.timedelta(days=7),
                user=self.judge,
            )
            services.decide_exemption(exemption=exemption, approve=True, user=self.judge)
            services.request_exemption(
                order=order,
                item=rules.RestrictedItem.TRAVEL_CLASS,
                reason="参加外地庭审。",
                valid_from=self.today + dt.timedelta(days=3),
                valid_to=self.today + dt.timedelta(days=5),
                user=self.judge,
            )
            return

    # --- Re-searches after 终本 -----------------------------------------------------------------

    def researches(self) -> None:
        """What the daily job opens today (the runs that fell due while no job ran are recorded
        as missed); the group works all but the two oldest, and the job records them."""
        services.run_researches(today=self.today)
        queued = ResearchRun.objects.filter(
            case__court=self.court, status=ResearchRun.Status.QUEUED
        ).order_by("due_on", "pk")
        for run in list(queued)[2:]:
            for request in run.requests.exclude(status=InvestigationRequest.Status.DONE):
                searcher = request.assigned_to or self.group[0]
                services.perform_searches(request=request, user=searcher)
        services.run_researches(today=self.today)
        self.summary.research_runs = ResearchRun.objects.filter(case__court=self.court).count()

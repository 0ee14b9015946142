"""The debtors demo: loaded by ``manage.py demo`` once, every state the brief asks for, the
ledger still balanced."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from debtors import selectors
from debtors.models import (
    BlacklistEntry,
    Deduction,
    DeletionTask,
    ExposureRecord,
    Freeze,
    FreezeRenewal,
    InvestigationRequest,
    ResearchRun,
    RestrictionExemption,
    RestrictionOrder,
    RotationMember,
    Search,
    Tip,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_every_state_once():
    call_command("demo", stdout=io.StringIO())
    today = timezone.localdate()
    members = RotationMember.objects.filter(rotation__court__code="浙0103")
    assert members.count() == 3  # the investigation group of three
    statuses = set(InvestigationRequest.objects.values_list("status", flat=True))
    assert {"done"} < statuses and statuses & {"queued", "assigned"}
    assert Search.objects.filter(findings__isnull=False).exists()
    assert selectors.expiring(within_days=30).exists()
    assert selectors.expired().exists()
    assert FreezeRenewal.objects.exists()
    deduction = Deduction.objects.get()
    assert deduction.deposit.amount == deduction.amount
    entries = set(BlacklistEntry.objects.values_list("status", flat=True))
    assert entries == set(BlacklistEntry.Status.values)
    assert selectors.published_entries().count() >= 6
    assert any(len(o.bound_persons) >= 4 for o in RestrictionOrder.objects.all())
    assert {"approved", "pending"} <= set(
        RestrictionExemption.objects.values_list("status", flat=True)
    )
    task = DeletionTask.objects.get()
    assert task.due_on >= today and not task.is_overdue()
    assert ResearchRun.objects.filter(status=ResearchRun.Status.DONE).exists()
    assert ResearchRun.objects.filter(status=ResearchRun.Status.QUEUED).exists()
    done = ResearchRun.objects.filter(status=ResearchRun.Status.DONE).first()
    schedule = selectors.research_schedule(done.case)
    assert schedule.next_due is not None and schedule.next_due.due_on > today
    assert Tip.objects.filter(case__isnull=False).exists()  # routed to a case judge
    assert ExposureRecord.objects.filter(channel="big_screen").exists()
    demo_models = (
        InvestigationRequest, Freeze, BlacklistEntry, RestrictionOrder, ResearchRun, Tip,
        ExposureRecord,
    )  # fmt: skip
    counts = [model.objects.count() for model in demo_models]
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "drift: 0" in out.getvalue()
    call_command("demo", stdout=io.StringIO())
    assert counts == [model.objects.count() for model in demo_models]

"""Centralised investigation: one search per party and class is reused by every case; the
request goes to whoever of the group is on duty; forced re-searches keep their reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courtexec.roles import Role
from debtors import banks, selectors, services
from debtors.models import AssetClass, InvestigationRequest, Search
from tests.debtors.conftest import START, respondent_of

pytestmark = pytest.mark.django_db

CLASSES = [AssetClass.BANK_DEPOSIT, AssetClass.REAL_ESTATE]


def test_second_case_of_the_party_links_the_existing_search(
    case, second_case, judge, investigator, rotation, travel
):
    first = services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=CLASSES, user=judge
    )
    services.perform_searches(request=first, user=investigator)
    assert Search.objects.count() == 2
    findings = set(Search.objects.filter(findings__isnull=False).values_list("findings", flat=True))
    assert findings

    travel.shift(dt.timedelta(days=10))
    second = services.request_investigation(
        case=second_case,
        respondent=respondent_of(second_case),
        asset_classes=CLASSES,
        user=judge,
    )
    assert second.status == InvestigationRequest.Status.DONE
    assert set(second.searches.all()) == set(first.searches.all())
    assert second.assigned_to is None  # nobody needs to work it
    assert Search.objects.count() == 2  # no duplicate work
    linked = {f.pk for s in second.searches.all() for f in s.findings.all()}
    assert linked == findings


def test_partial_reuse_leaves_the_new_class_to_the_group(
    case, second_case, judge, investigator, rotation, travel
):
    first = services.request_investigation(
        case=case,
        respondent=respondent_of(case),
        asset_classes=[AssetClass.BANK_DEPOSIT],
        user=judge,
    )
    services.perform_searches(request=first, user=investigator)
    second = services.request_investigation(
        case=second_case,
        respondent=respondent_of(second_case),
        asset_classes=[AssetClass.BANK_DEPOSIT, AssetClass.VEHICLE],
        user=judge,
    )
    assert second.status == InvestigationRequest.Status.ASSIGNED
    assert second.missing_classes() == [AssetClass.VEHICLE]
    services.perform_searches(request=second, user=investigator)
    assert Search.objects.filter(asset_class=AssetClass.BANK_DEPOSIT).count() == 1
    assert Search.objects.filter(asset_class=AssetClass.VEHICLE).count() == 1


def test_two_requests_queued_at_once_share_one_search(
    case, second_case, judge, investigators, rotation, travel
):
    first = services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=CLASSES, user=judge
    )
    second = services.request_investigation(
        case=second_case, respondent=respondent_of(second_case), asset_classes=CLASSES, user=judge
    )
    assert second.status == InvestigationRequest.Status.ASSIGNED  # nothing to reuse yet
    services.perform_searches(request=first, user=investigators[0])
    services.perform_searches(request=second, user=investigators[1])
    assert Search.objects.count() == 2
    assert set(second.searches.all()) == set(first.searches.all())


def test_search_older_than_the_window_is_not_reused(
    case, second_case, judge, investigator, rotation, travel, settings
):
    settings.DEBTORS_SEARCH_REUSE_DAYS = 30
    first = services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=CLASSES, user=judge
    )
    services.perform_searches(request=first, user=investigator)
    travel.shift(dt.timedelta(days=31))
    second = services.request_investigation(
        case=second_case, respondent=respondent_of(second_case), asset_classes=CLASSES, user=judge
    )
    assert second.status == InvestigationRequest.Status.ASSIGNED
    assert second.searches.count() == 0


def test_forced_search_runs_anew_and_keeps_the_reason(
    case, second_case, judge, investigator, rotation, travel
):
    first = services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=CLASSES, user=judge
    )
    services.perform_searches(request=first, user=investigator)
    forced = services.request_investigation(
        case=second_case,
        respondent=respondent_of(second_case),
        asset_classes=CLASSES,
        user=judge,
        force_reason="  申请人举报被执行人新开银行账户  ",
    )
    assert forced.status == InvestigationRequest.Status.ASSIGNED
    assert forced.force_reason == "申请人举报被执行人新开银行账户"
    services.perform_searches(request=forced, user=investigator)
    assert Search.objects.count() == 4
    new = set(forced.searches.all())
    assert not new & set(first.searches.all())
    assert {s.forced_reason for s in new} == {"申请人举报被执行人新开银行账户"}
    # Repeating the work is a no-op.
    services.perform_searches(request=forced, user=investigator)
    assert Search.objects.count() == 4


def test_rotation_assigns_the_member_on_duty(case, judge, investigators, rotation, travel):
    def request():
        return services.request_investigation(
            case=case,
            respondent=respondent_of(case),
            asset_classes=[AssetClass.SHIP],
            user=judge,
            force_reason="轮值测试",
        )

    assert request().assigned_to == investigators[0]  # day 0
    # 21:00 in Shanghai on day 6: still the first turn (turns change at local midnight)
    travel.move_to(START + dt.timedelta(days=6, hours=4))
    assert request().assigned_to == investigators[0]
    travel.move_to(START + dt.timedelta(days=6, hours=15))  # 00:00 local on day 7
    assert request().assigned_to == investigators[1]
    travel.move_to(START + dt.timedelta(days=7))
    assert request().assigned_to == investigators[1]
    travel.move_to(START + dt.timedelta(days=14))
    assert request().assigned_to == investigators[2]
    travel.move_to(START + dt.timedelta(days=21))  # the rota wraps round
    assert request().assigned_to == investigators[0]


def test_without_a_rotation_the_request_waits_in_the_queue(case, judge, investigator, travel):
    request = services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=[AssetClass.SHIP], user=judge
    )
    assert request.status == InvestigationRequest.Status.QUEUED
    assert list(selectors.investigation_queue(user=investigator)) == [request]
    services.take_request(request=request, user=investigator)
    request.refresh_from_db()
    assert request.status == InvestigationRequest.Status.ASSIGNED
    assert request.assigned_to == investigator


def test_rotation_members_must_be_the_courts_investigators(court_a, staff, judge_b):
    with pytest.raises(ValidationError):
        services.set_rotation(
            court=court_a,
            members=[staff[Role.CLERK]],
            period_days=7,
            start_date=dt.date(2026, 3, 2),
            user=staff[Role.BUREAU_CHIEF],
        )
    with pytest.raises(PermissionDenied):
        services.set_rotation(
            court=court_a,
            members=[staff[Role.INVESTIGATOR]],
            period_days=7,
            start_date=dt.date(2026, 3, 2),
            user=staff[Role.CLERK],
        )


def test_request_validation(case, judge, applicant):
    applicant_link = case.parties.get(party=applicant)
    with pytest.raises(ValidationError):
        services.request_investigation(
            case=case, respondent=applicant_link, asset_classes=CLASSES, user=judge
        )
    with pytest.raises(ValidationError):
        services.request_investigation(
            case=case, respondent=respondent_of(case), asset_classes=["gold"], user=judge
        )
    with pytest.raises(ValidationError):
        services.request_investigation(
            case=case, respondent=respondent_of(case), asset_classes=[], user=judge
        )


def test_only_the_courts_own_staff_request_and_only_the_group_searches(
    case, judge, staff, judge_b, rotation, travel
):
    with pytest.raises(PermissionDenied):  # another court's judge
        services.request_investigation(
            case=case, respondent=respondent_of(case), asset_classes=CLASSES, user=judge_b
        )
    with pytest.raises(PermissionDenied):  # finance has no say in investigations
        services.request_investigation(
            case=case,
            respondent=respondent_of(case),
            asset_classes=CLASSES,
            user=staff[Role.FINANCE],
        )
    request = services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=CLASSES, user=judge
    )
    for outsider in (judge, staff[Role.CLERK], judge_b):
        with pytest.raises(PermissionDenied):
            services.perform_searches(request=request, user=outsider)
    with pytest.raises(PermissionDenied):
        services.take_request(request=request, user=judge)


def test_an_investigator_of_another_court_cannot_work_the_queue(case, judge, court_b, travel):
    from tests.factories import UserFactory

    foreign = UserFactory(username="b_investigator", court=court_b, roles=[Role.INVESTIGATOR])
    request = services.request_investigation(
        case=case, respondent=respondent_of(case), asset_classes=CLASSES, user=judge
    )
    with pytest.raises(PermissionDenied):
        services.perform_searches(request=request, user=foreign)
    assert list(selectors.investigation_queue(user=foreign)) == []


def test_sandbox_bank_is_deterministic_per_identity_number(respondent):
    order = banks.Order(case_number="(2016)浙0103执1号", officer="测试")
    bank = banks.SandboxBank()
    first = bank.search(id_number=respondent.id_number, name=respondent.name, order=order)
    assert first == bank.search(id_number=respondent.id_number, name="", order=order)
    assert 1 <= len(first) <= 3
    assert all(a.balance > 0 for a in first)
    assert bank.search(id_number="", name=respondent.name, order=order) == []

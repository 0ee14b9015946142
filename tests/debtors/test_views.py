"""The debtors screens: the case file's property, blacklist and restriction tabs with their
actions, the printable restriction order, the boards, permissions and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courtexec.roles import Role
from debtors import rules, services
from debtors.models import (
    AssetClass,
    BlacklistEntry,
    CorrectionRequest,
    DeletionTask,
    Finding,
    Freeze,
    InvestigationRequest,
    RestrictionExemption,
    RestrictionOrder,
)
from tests.debtors.conftest import respondent_of

pytestmark = pytest.mark.django_db

G = rules.Ground
DECIDED = dt.date(2026, 3, 2)


def client_for(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})  # messages are matched in English
    client.force_login(user)
    return client


def tab(case, name: str) -> str:
    return reverse("debtors:case-tab", args=[case.pk, name])


def back_to(case, name: str) -> str:
    return f"{reverse('enforcement:case-detail', args=[case.pk])}?tab={name}#{name}"


@pytest.fixture
def president(staff):
    return staff[Role.PRESIDENT]


@pytest.fixture
def freeze(case, judge, bank_finding):
    return services.freeze(finding=bank_finding, case=case, user=judge)


def propose(case, judge, grounds=(G.EVADES,)):
    return services.propose_listing(
        case=case,
        respondent=respondent_of(case),
        grounds=list(grounds),
        facts="转移财产规避执行",
        decision_number="(2026)浙0103执100号之一",
        decided_on=DECIDED,
        user=judge,
    )


@pytest.fixture
def published(case, judge, president, travel):
    entry = propose(case, judge, grounds=(G.OBSTRUCTS, G.EVADES))  # extendable (Art. 2)
    services.approve_listing(entry=entry, user=president)
    services.record_listing_service(entry=entry, served_on=DECIDED, user=judge)
    return services.publish_listing(entry=entry, user=judge)


# --- The tabs render, empty and with data --------------------------------------------------


@pytest.mark.parametrize("name", ["property", "blacklist", "restriction"])
def test_each_tab_renders_empty(case, judge, name, travel):
    client = client_for(judge)
    partial = client.get(tab(case, name), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert f'data-testid="debtors-{name}"' in partial.content.decode()
    assert "<html" not in partial.content.decode()  # the case file loads it into its tab
    page = client.get(tab(case, name))
    assert page.status_code == 200 and "<html" in page.content.decode()
    empty = {"property": "no-requests", "blacklist": "no-entries", "restriction": "no-orders"}
    assert f'data-testid="{empty[name]}"' in page.content.decode()


def test_the_case_file_has_the_debtors_tabs(case, judge, staff):
    body = client_for(judge).get(reverse("enforcement:case-detail", args=[case.pk])).content
    for name in ("property", "blacklist", "restriction"):
        assert f'data-testid="{name}-loader"'.encode() in body
    # The finance officer holds no debtors permission: no tabs, and the tab itself is a 403.
    finance = client_for(staff[Role.FINANCE])
    assert (
        b'data-testid="property-loader"'
        not in finance.get(reverse("enforcement:case-detail", args=[case.pk])).content
    )
    for name in ("property", "blacklist", "restriction"):
        assert finance.get(tab(case, name)).status_code == 403


def test_another_courts_case_is_a_404(case, judge_b):
    assert client_for(judge_b).get(tab(case, "property")).status_code in (403, 404)


def test_unknown_tab_is_a_404(case, judge):
    assert client_for(judge).get(tab(case, "nonsense")).status_code == 404


def test_property_tab_shows_requests_findings_and_freezes(case, judge, freeze, travel):
    body = client_for(judge).get(tab(case, "property")).content.decode()
    assert 'data-testid="requests"' in body
    assert freeze.finding.identifier in body
    assert f'data-testid="freeze-{freeze.pk}"' in body
    assert freeze.to_date.isoformat() in body
    assert 'data-testid="renew-form"' in body and 'data-testid="deduct-form"' in body


def test_a_reused_search_is_marked(case, second_case, judge, bank_finding, travel):
    services.request_investigation(
        case=second_case,
        respondent=respondent_of(second_case),
        asset_classes=[AssetClass.BANK_DEPOSIT],
        user=judge,
    )
    body = client_for(judge).get(tab(second_case, "property")).content.decode()
    assert 'data-testid="search-reused"' in body
    assert bank_finding.identifier in body  # the reused search's findings show in this case too


# --- Property actions -----------------------------------------------------------------------


def test_request_an_investigation(case, judge, rotation, investigator, travel):
    response = client_for(judge).post(
        reverse("debtors:investigation-request", args=[case.pk]),
        {
            "investigation-respondent": respondent_of(case).pk,
            "investigation-asset_classes": [AssetClass.BANK_DEPOSIT, AssetClass.VEHICLE],
        },
    )
    assert response.status_code == 302 and response["Location"] == back_to(case, "property")
    request = InvestigationRequest.objects.get()
    assert request.assigned_to == investigator
    assert request.asset_classes == [AssetClass.BANK_DEPOSIT, AssetClass.VEHICLE]


def test_request_without_classes_shows_the_error(case, judge, travel):
    with translation.override("en"):
        response = client_for(judge).post(
            reverse("debtors:investigation-request", args=[case.pk]),
            {"investigation-respondent": respondent_of(case).pk},
        )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert InvestigationRequest.objects.count() == 0


def test_a_forced_request_keeps_its_reason(case, judge, bank_finding, travel):
    client_for(judge).post(
        reverse("debtors:investigation-request", args=[case.pk]),
        {
            "investigation-respondent": respondent_of(case).pk,
            "investigation-asset_classes": [AssetClass.BANK_DEPOSIT],
            "investigation-force_reason": "债务人称已转入新账户",
        },
    )
    forced = InvestigationRequest.objects.exclude(force_reason="").get()
    assert forced.searches.count() == 0 and forced.status != InvestigationRequest.Status.DONE


def test_freeze_a_finding(case, judge, bank_finding, travel):
    url = reverse("debtors:freeze-create", args=[case.pk, bank_finding.pk])
    response = client_for(judge).post(url, {f"freeze-{bank_finding.pk}-kind": "freeze"})
    assert response.status_code == 302
    freeze = Freeze.objects.get()
    assert freeze.to_date == dt.date(2027, 3, 1)
    assert freeze.amount == bank_finding.value


def test_freezing_twice_shows_the_services_error(case, judge, freeze, travel):
    url = reverse("debtors:freeze-create", args=[case.pk, freeze.finding.pk])
    with translation.override("en"):
        response = client_for(judge).post(url, {f"freeze-{freeze.finding.pk}-kind": "freeze"})
    assert response.status_code == 400
    assert "already frozen" in response.content.decode()
    assert Freeze.objects.count() == 1


def test_renew_release_and_deduct(case, judge, freeze, travel):
    client = client_for(judge)
    renew = client.post(reverse("debtors:freeze-renew", args=[case.pk, freeze.pk]))
    assert renew.status_code == 302
    freeze.refresh_from_db()
    assert freeze.to_date == dt.date(2028, 3, 1) and freeze.renewals.count() == 1
    deduct = client.post(
        reverse("debtors:freeze-deduct", args=[case.pk, freeze.pk]),
        {f"deduct-{freeze.pk}-amount": "100.00"},
    )
    assert deduct.status_code == 302
    assert freeze.finding.deductions.get().amount == 100_00
    release = client.post(reverse("debtors:freeze-release", args=[case.pk, freeze.pk]))
    assert release.status_code == 302
    freeze.refresh_from_db()
    assert freeze.released_on is not None
    body = client.get(tab(case, "property")).content.decode()
    assert "2027-03-01 → 2028-03-01" in body  # the renewal history


def test_deducting_more_than_frozen_is_refused(case, judge, freeze, travel):
    with translation.override("en"):
        response = client_for(judge).post(
            reverse("debtors:freeze-deduct", args=[case.pk, freeze.pk]),
            {f"deduct-{freeze.pk}-amount": "99999999.00"},
        )
    assert response.status_code == 400
    assert "Deduct at most the amount frozen." in response.content.decode()


def test_property_actions_need_the_permission(case, staff, freeze, travel):
    police = client_for(staff[Role.JUDICIAL_POLICE])
    assert (
        police.post(reverse("debtors:freeze-renew", args=[case.pk, freeze.pk])).status_code == 403
    )
    assert (
        police.post(
            reverse("debtors:investigation-request", args=[case.pk]),
            {"investigation-respondent": respondent_of(case).pk},
        ).status_code
        == 403
    )


# --- The red flag of an expired freeze --------------------------------------------------------


def test_an_expired_freeze_is_flagged_red(case, judge, freeze, travel):
    detail = reverse("enforcement:case-detail", args=[case.pk])
    client = client_for(judge)
    assert b'data-testid="expired-freeze-flag"' not in client.get(detail).content
    with time_machine.travel(dt.datetime(2027, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        client = client_for(judge)  # a year later: a new session
        assert b'data-testid="expired-freeze-flag"' in client.get(detail).content
        body = client.get(tab(case, "property")).content.decode()
        assert 'data-testid="expired-freeze-alert"' in body
        assert 'class="row-expired"' in body and 'data-testid="expired-badge"' in body
        # ... and renewing is too late: the service says so on the tab.
        with translation.override("en"):
            late = client.post(reverse("debtors:freeze-renew", args=[case.pk, freeze.pk]))
        assert late.status_code == 400
        assert "The freeze has expired" in late.content.decode()


def test_a_released_freeze_is_not_flagged(case, judge, freeze, travel):
    services.release_freeze(freeze=freeze, user=judge)
    with time_machine.travel(dt.datetime(2027, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        detail = client_for(judge).get(reverse("enforcement:case-detail", args=[case.pk]))
        assert b'data-testid="expired-freeze-flag"' not in detail.content


# --- Blacklist ------------------------------------------------------------------------------


def _listing(case, **extra):
    data = {
        "listing-respondent": respondent_of(case).pk,
        "listing-grounds": [G.EVADES.value],
        "listing-facts": "转移财产规避执行",
        "listing-decision_number": "(2026)浙0103执100号之一",
        "listing-decided_on": "2026-03-02",
    }
    data.update(extra)
    return data


def test_propose_approve_serve_publish(case, judge, president, travel):
    response = client_for(judge).post(
        reverse("debtors:listing-propose", args=[case.pk]), _listing(case)
    )
    assert response.status_code == 302 and response["Location"] == back_to(case, "blacklist")
    entry = BlacklistEntry.objects.get()
    assert entry.ends_on == dt.date(2028, 3, 2)

    def act(user, action, data=None):
        return client_for(user).post(
            reverse("debtors:listing-action", args=[case.pk, entry.pk, action]), data or {}
        )

    assert act(president, "approve").status_code == 302
    assert act(judge, "serve", {f"serve-{entry.pk}-served_on": "2026-03-02"}).status_code == 302
    assert act(judge, "publish").status_code == 302
    entry.refresh_from_db()
    assert entry.status == BlacklistEntry.Status.PUBLISHED and entry.served_on == DECIDED
    assert RestrictionOrder.objects.filter(entry=entry).exists()  # issued with the listing
    body = client_for(judge).get(tab(case, "blacklist")).content.decode()
    assert 'data-testid="entry-status"' in body and "2028-03-02" in body


def test_the_proposer_may_not_approve(case, judge, staff, travel):
    entry = propose(case, judge)
    # The judge holds no president role: the service refuses (403).
    url = reverse("debtors:listing-action", args=[case.pk, entry.pk, "approve"])
    assert client_for(judge).post(url).status_code == 403
    entry.refresh_from_db()
    assert entry.status == BlacklistEntry.Status.PROPOSED


def test_refusals_are_shown_with_their_reasons(court_a, judge, applicant, travel):
    from enforcement import services as enforcement
    from enforcement.models import Party
    from tests.enforcement.fixtures import file_case

    minor = enforcement.register_party(
        court=court_a, kind=Party.Kind.PERSON, name="小明", birth_date=dt.date(2012, 5, 1)
    )
    case = file_case(court_a, judge, applicant, minor)
    with translation.override("en"):
        response = client_for(judge).post(
            reverse("debtors:listing-propose", args=[case.pk]), _listing(case)
        )
    assert response.status_code == 400
    assert "a minor may not be listed (Art. 4)." in response.content.decode()
    assert BlacklistEntry.objects.count() == 0


def test_ground_one_with_security_is_refused(case, judge, travel):
    data = _listing(
        case,
        **{
            "listing-grounds": [G.REFUSES_DESPITE_ABILITY.value],
            "listing-assessed_by": "王法官",
            "listing-assessed_on": "2026-03-02",
            "listing-security_given": "on",
            "listing-frozen_property_value": "0",
        },
    )
    with translation.override("en"):
        response = client_for(judge).post(reverse("debtors:listing-propose", args=[case.pk]), data)
    assert response.status_code == 400
    assert "Adequate security was given" in response.content.decode()
    without = _listing(case, **{"listing-grounds": [G.REFUSES_DESPITE_ABILITY.value]})
    with translation.override("en"):
        response = client_for(judge).post(
            reverse("debtors:listing-propose", args=[case.pk]), without
        )
    assert "recorded assessment" in response.content.decode()


def test_extend_and_delete(case, judge, president, published):
    url = reverse("debtors:listing-action", args=[case.pk, published.pk, "extend"])
    extend = client_for(president).post(
        url, {f"extend-{published.pk}-years": "1", f"extend-{published.pk}-reason": "仍拒不履行"}
    )
    assert extend.status_code == 302
    published.refresh_from_db()
    assert published.ends_on == dt.date(2029, 3, 2)
    too_long = client_for(president).post(
        url, {f"extend-{published.pk}-years": "3", f"extend-{published.pk}-reason": "再延长"}
    )
    assert too_long.status_code == 400
    assert "extended by 1 to 3 years in all" in too_long.content.decode()
    # Only the president extends.
    assert (
        client_for(judge)
        .post(url, {f"extend-{published.pk}-years": "1", f"extend-{published.pk}-reason": "x"})
        .status_code
        == 403
    )
    # Grounds 2–6 are deleted on expiry only: another ground is refused with the rule's message.
    delete = reverse("debtors:listing-action", args=[case.pk, published.pk, "delete"])
    with translation.override("en"):
        wrong = client_for(judge).post(
            delete,
            {
                f"delete-{published.pk}-ground": "performed",
                f"delete-{published.pk}-arose_on": "2026-03-02",
            },
        )
    assert wrong.status_code == 400
    assert "An entry with a period is deleted when it expires" in wrong.content.decode()
    ok = client_for(judge).post(
        delete,
        {
            f"delete-{published.pk}-ground": "period_expired",
            f"delete-{published.pk}-arose_on": "2026-03-02",
        },
    )
    assert ok.status_code == 302
    published.refresh_from_db()
    assert published.status == BlacklistEntry.Status.DELETED


def test_unknown_listing_action_is_a_404(case, judge, published):
    url = reverse("debtors:listing-action", args=[case.pk, published.pk, "explode"])
    assert client_for(judge).post(url).status_code == 404


def test_correction_request_review_and_carry_out(case, judge, published):
    client = client_for(judge)
    url = reverse("debtors:listing-action", args=[case.pk, published.pk, "correction"])
    bad = client.post(url, {f"correction-{published.pk}-ground": "inaccurate"})
    assert bad.status_code == 400
    ok = client.post(
        url,
        {
            f"correction-{published.pk}-ground": "inaccurate",
            f"correction-{published.pk}-statement": "身份证号有误",
            f"correction-{published.pk}-received_on": "2026-03-02",
        },
    )
    assert ok.status_code == 302
    request = CorrectionRequest.objects.get()
    assert 'data-testid="review-form"' in client.get(tab(case, "blacklist")).content.decode()
    review = client.post(
        reverse("debtors:correction-review", args=[case.pk, request.pk]),
        {f"review-{request.pk}-upheld": "1", f"review-{request.pk}-reviewed_on": "2026-03-03"},
    )
    assert review.status_code == 302
    carry = client.post(reverse("debtors:correction-carry-out", args=[case.pk, request.pk]))
    assert carry.status_code == 302
    published.refresh_from_db()
    assert published.status == BlacklistEntry.Status.CORRECTED


def test_blacklist_actions_need_the_permission(case, staff, published):
    url = reverse("debtors:listing-action", args=[case.pk, published.pk, "publish"])
    assert client_for(staff[Role.FINANCE]).post(url).status_code == 403


# --- Restriction ----------------------------------------------------------------------------


def test_issue_by_hand_with_bound_persons_and_print(case, judge, travel):
    response = client_for(judge).post(
        reverse("debtors:restriction-issue", args=[case.pk]),
        {
            "restriction-respondent": respondent_of(case).pk,
            "restriction-principal_officers": "赵六\n钱七",
            "restriction-actual_controller": "孙八",
        },
    )
    assert response.status_code == 302 and response["Location"] == back_to(case, "restriction")
    order = RestrictionOrder.objects.get()
    names = [p["name"] for p in order.bound_persons]
    assert names == ["杭州某某贸易有限公司", "李四", "赵六", "钱七", "孙八"]
    body = client_for(judge).get(tab(case, "restriction")).content.decode()
    assert "孙八" in body and 'data-testid="print-link"' in body
    printed = client_for(judge).get(reverse("debtors:restriction-print", args=[order.pk]))
    text = printed.content.decode()
    assert printed.status_code == 200
    assert case.number in text and "@media print" in text
    for item in rules.RestrictedItem:
        assert item.legal_text in text  # the nine items, in the words of the rule
    assert "钱七" in text


def test_a_second_order_in_force_is_a_form_error(case, judge, travel):
    url = reverse("debtors:restriction-issue", args=[case.pk])
    data = {"restriction-respondent": respondent_of(case).pk}
    client_for(judge).post(url, data)
    with translation.override("en"):
        second = client_for(judge).post(url, data)
    assert second.status_code == 400
    assert "already in force" in second.content.decode()
    assert RestrictionOrder.objects.count() == 1


def test_lift_exemption_and_decision(case, judge, published):
    order = RestrictionOrder.objects.get()
    client = client_for(judge)
    exemption = client.post(
        reverse("debtors:exemption-create", args=[case.pk, order.pk]),
        {
            f"exemption-{order.pk}-item": rules.RestrictedItem.TRAVEL_CLASS.value,
            f"exemption-{order.pk}-reason": "赴外地就医",
            f"exemption-{order.pk}-valid_from": "2026-03-05",
            f"exemption-{order.pk}-valid_to": "2026-03-01",
        },
    )
    assert exemption.status_code == 400  # the end precedes the start
    client.post(
        reverse("debtors:exemption-create", args=[case.pk, order.pk]),
        {
            f"exemption-{order.pk}-item": rules.RestrictedItem.TRAVEL_CLASS.value,
            f"exemption-{order.pk}-reason": "赴外地就医",
            f"exemption-{order.pk}-valid_from": "2026-03-05",
            f"exemption-{order.pk}-valid_to": "2026-03-09",
        },
    )
    request = RestrictionExemption.objects.get()
    decide = client.post(
        reverse("debtors:exemption-decide", args=[case.pk, request.pk]),
        {f"decide-{request.pk}-approve": "1"},
    )
    assert decide.status_code == 302
    request.refresh_from_db()
    assert request.status == RestrictionExemption.Status.APPROVED
    lift = reverse("debtors:restriction-lift", args=[case.pk, order.pk])
    with translation.override("en"):
        not_paid = client.post(lift, {f"lift-{order.pk}-reason": "full_performance"})
    assert not_paid.status_code == 400
    assert "still to be performed" in not_paid.content.decode()
    ok = client.post(
        lift,
        {f"lift-{order.pk}-reason": "applicant_consent", f"lift-{order.pk}-note": "申请人同意"},
    )
    assert ok.status_code == 302
    order.refresh_from_db()
    assert order.lifted_on is not None


def test_printing_needs_the_permission_and_the_court(case, judge, staff, judge_b, published):
    order = RestrictionOrder.objects.get()
    url = reverse("debtors:restriction-print", args=[order.pk])
    assert client_for(staff[Role.FINANCE]).get(url).status_code == 403
    assert client_for(judge_b).get(url).status_code == 404


# --- Boards ---------------------------------------------------------------------------------


def test_the_navigation_leads_to_the_debtors_home(case, judge, staff):
    home = client_for(judge).get(reverse("debtors:home"))
    assert home.status_code == 200
    assert reverse("debtors:home").encode() in home.content  # the nav entry points here
    assert client_for(staff[Role.FINANCE]).get(reverse("debtors:home")).status_code == 403


def test_queue_board_take_and_perform(case, judge, rotation, investigators, travel):
    services.request_investigation(
        case=case,
        respondent=respondent_of(case),
        asset_classes=[AssetClass.BANK_DEPOSIT],
        user=judge,
    )
    request = InvestigationRequest.objects.get()
    second = investigators[1]
    client = client_for(second)
    page = client.get(reverse("debtors:queue")).content.decode()
    assert f'data-testid="queue-{request.pk}"' in page and case.number in page
    assert investigators[0].display_name in page or str(investigators[0]) in page  # on duty
    assert client.post(reverse("debtors:request-take", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.assigned_to == second
    assert client.post(reverse("debtors:request-perform", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == InvestigationRequest.Status.DONE
    assert 'data-testid="empty"' in client.get(reverse("debtors:queue")).content.decode()
    # A judge may see the queue but not work it.
    judge_page = client_for(judge).get(reverse("debtors:queue")).content.decode()
    assert 'data-testid="perform"' not in judge_page


def test_a_judge_cannot_take_a_request(case, judge, travel):
    services.request_investigation(
        case=case,
        respondent=respondent_of(case),
        asset_classes=[AssetClass.BANK_DEPOSIT],
        user=judge,
    )
    request = InvestigationRequest.objects.get()
    assert (
        client_for(judge).post(reverse("debtors:request-take", args=[request.pk])).status_code
        == 403
    )


def test_expiring_board_and_filters(case, judge, freeze, travel):
    url = reverse("debtors:expiring")
    client = client_for(judge)
    assert 'data-testid="empty"' in client.get(url).content.decode()  # a year away
    with time_machine.travel(dt.datetime(2027, 2, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        client = client_for(judge)  # a year later: a new session
        body = client.get(url).content.decode()
        assert f'data-testid="expiring-{freeze.pk}"' in body and 'class="row-expired"' not in body
        assert f"expiring-{freeze.pk}" not in client.get(url, {"kind": "seizure"}).content.decode()
        assert (
            f"expiring-{freeze.pk}"
            not in client.get(url, {"asset_class": "vehicle"}).content.decode()
        )
        partial = client.get(url, {"asset_class": "bank_deposit"}, headers={"HX-Request": "true"})
        assert f"expiring-{freeze.pk}" in partial.content.decode()
        assert "<html" not in partial.content.decode()
        assert f"expiring-{freeze.pk}" not in client.get(url, {"expired": "on"}).content.decode()
        assert client.get(url, {"within": "-3"}).status_code == 400
    with time_machine.travel(dt.datetime(2027, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        client = client_for(judge)
        body = client.get(url, {"expired": "on"}).content.decode()
        assert f'data-testid="expiring-{freeze.pk}"' in body and 'class="row-expired"' in body


def test_deletions_board(case, judge, published):
    board = reverse("debtors:deletions")
    client = client_for(judge)
    assert 'data-testid="empty"' in client.get(board).content.decode()
    task = DeletionTask.objects.create(
        entry=published, ground="period_expired", arisen_on=dt.date(2026, 3, 2),
        due_on=dt.date(2026, 3, 5),
    )  # fmt: skip
    body = client.get(board).content.decode()
    assert f'data-testid="task-{task.pk}"' in body and 'class="row-overdue"' not in body
    assert f"task-{task.pk}" not in client.get(board, {"overdue": "1"}).content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC), tick=False):
        body = client.get(board, {"overdue": "1"}).content.decode()
        assert f'data-testid="task-{task.pk}"' in body and 'class="row-overdue"' in body
        blacklist = client.get(tab(case, "blacklist")).content.decode()
        assert "text-bg-danger" in blacklist  # the overdue task is red on the entry too
    services.delete_listing(
        entry=published, ground="period_expired", arose_on=dt.date(2026, 3, 2), user=judge
    )
    assert f"task-{task.pk}" not in client.get(board).content.decode()


def test_boards_need_the_permission(staff):
    finance = client_for(staff[Role.FINANCE])
    for name in ("debtors:queue", "debtors:expiring", "debtors:deletions"):
        assert finance.get(reverse(name)).status_code == 403


# --- Query counts -----------------------------------------------------------------------------


def _more_freezes(case, judge, bank_finding, count):
    for n in range(count):
        finding = Finding.objects.create(
            search=bank_finding.search,
            asset_class=AssetClass.VEHICLE,
            institution="杭州市公安局交警支队",
            identifier=f"浙A{n:05d}",
            value=10_000_00,
        )
        freeze = services.freeze(finding=finding, case=case, user=judge, kind=Freeze.Kind.SEIZURE)
        services.renew_freeze(freeze=freeze, user=judge)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_freezes(case, judge, freeze, bank_finding, published):
    client = client_for(judge)
    urls = [
        reverse("enforcement:case-detail", args=[case.pk]),
        tab(case, "property"),
        tab(case, "blacklist"),
        tab(case, "restriction"),
    ]
    _more_freezes(case, judge, bank_finding, 2)
    before = [_queries(client, url) for url in urls]
    _more_freezes(case, judge, bank_finding, 5)
    after = [_queries(client, url) for url in urls]
    assert after == before
    assert max(before[1:]) <= 25


def test_an_assessment_begun_must_be_whole(case, judge, travel):
    data = _listing(
        case,
        **{"listing-grounds": [G.EVADES.value], "listing-assessed_by": "王法官"},
    )
    response = client_for(judge).post(reverse("debtors:listing-propose", args=[case.pk]), data)
    assert response.status_code == 400
    assert "Give the date of the assessment." in response.content.decode()
    assert BlacklistEntry.objects.count() == 0


def test_the_home_counts_open_and_overdue_tips_and_links_the_public_pages(case, judge, staff):
    tip = services.submit_tip(court=case.court, debtor_name="无人认领", details="一处房产")
    with translation.override("en"):
        page = client_for(judge).get(reverse("debtors:home")).content.decode()
    assert 'data-testid="board-tips"' in page
    assert reverse("public:big-screen") in page and reverse("public:tip-form") in page
    assert reverse("debtors:figures") in page
    with time_machine.travel(tip.check_due_on + dt.timedelta(days=2)), translation.override("en"):
        later = client_for(judge).get(reverse("debtors:home")).content.decode()
    assert "1 overdue" in later
    finance = client_for(staff[Role.FINANCE])
    assert finance.get(reverse("debtors:home")).status_code == 403

"""The dishonest-debtor list and consumption restrictions as pure rules (debtors/rules.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum.cn import ric

from courtexec.working_days import WorkingCalendar
from debtors import rules
from debtors.rules import (
    BoundRole,
    CoverageAssessment,
    DeletionGround,
    Ground,
    ListingProposal,
    RefusalReason,
    Respondent,
    RespondentKind,
    RestrictedItem,
    RuleError,
)

D = dt.date
DECIDED = D(2026, 11, 27)
NATIONAL_DAY_2026 = WorkingCalendar.of(
    holidays=[D(2026, 10, day) for day in range(1, 8)], workdays=[D(2026, 10, 10)]
)


def resident_id(born: dt.date) -> str:
    body = f"110105{born:%Y%m%d}001"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


ADULT_BIRTH = D(1980, 1, 1)


def person(born: dt.date | None = ADULT_BIRTH, *, use_id: bool = True, **kwargs) -> Respondent:
    if use_id and born is not None:
        return Respondent(RespondentKind.PERSON, "王五", id_number=resident_id(born), **kwargs)
    return Respondent(RespondentKind.PERSON, "王五", birth_date=born, **kwargs)


ORGANISATION = Respondent(
    RespondentKind.ORGANISATION,
    "杭州某贸易有限公司",
    id_number="91110000600037341L",
    legal_representative="赵六",
    principal_officers=("钱七", " "),
    directly_responsible=("孙八",),
    actual_controller="李九",
)


def assessment(*, security=False, frozen="0", outstanding="100000.00", by="张法官"):
    return CoverageAssessment(
        assessed_by=by,
        assessed_on=DECIDED,
        security_given=security,
        frozen_property_value=Decimal(frozen),
        outstanding=Decimal(outstanding),
    )


def proposal(respondent=None, grounds=(Ground.EVADES,), open_case=True, **kwargs):
    return ListingProposal.of(
        respondent or person(), grounds, decided_on=DECIDED, has_open_case=open_case, **kwargs
    )


def reasons(p: ListingProposal) -> set[RefusalReason]:
    return {refusal.reason for refusal in rules.refusals(p)}


# --- Grounds ---------------------------------------------------------------------------------


def test_six_grounds_with_legal_text():
    assert [g.value for g in Ground] == [1, 2, 3, 4, 5, 6]
    assert Ground(1).legal_text == "有履行能力而拒不履行生效法律文书确定义务的"
    assert Ground.REFUSES_SETTLEMENT.legal_text == "无正当理由拒不履行执行和解协议的"
    assert all(str(g.label) and g.legal_text for g in Ground)
    assert not Ground.REFUSES_DESPITE_ABILITY.has_fixed_period
    assert all(g.has_fixed_period for g in Ground if g != Ground.REFUSES_DESPITE_ABILITY)


# --- Refusals --------------------------------------------------------------------------------


def test_an_adult_in_an_open_case_may_be_listed():
    assert rules.refusals(proposal()) == []
    assert rules.refusals(proposal(ORGANISATION)) == []


def test_minor_by_id_number_is_refused_with_age():
    minor = person(D(2010, 5, 1))
    found = rules.refusals(proposal(minor))
    assert [r.reason for r in found] == [RefusalReason.MINOR]
    assert found[0].age == 16
    assert "16" in found[0].message


def test_age_is_taken_on_the_decision_date():
    # 18 on the decision day itself: may be listed; one day younger: refused.
    assert reasons(proposal(person(D(2008, 11, 27)))) == set()
    assert reasons(proposal(person(D(2008, 11, 28)))) == {RefusalReason.MINOR}


def test_leap_day_birthday_counts_from_first_of_march():
    born = D(2008, 2, 29)
    assert rules.age_on(born, D(2026, 2, 28)) == 17
    assert rules.age_on(born, D(2026, 3, 1)) == 18


def test_minor_by_recorded_birth_date():
    minor = person(D(2009, 1, 1), use_id=False)
    assert reasons(proposal(minor)) == {RefusalReason.MINOR}
    assert reasons(proposal(person(D(1990, 1, 1), use_id=False))) == set()


def test_id_number_wins_over_recorded_birth_date():
    minor = Respondent(
        RespondentKind.PERSON,
        "王五",
        id_number=resident_id(D(2012, 3, 3)),
        birth_date=D(1970, 1, 1),
    )
    assert reasons(proposal(minor)) == {RefusalReason.MINOR}


def test_person_without_any_birth_date_is_refused():
    assert reasons(proposal(person(None, use_id=False))) == {RefusalReason.AGE_UNKNOWN}
    # An invalid ID number and no birth date: age unknown as well.
    bad = Respondent(RespondentKind.PERSON, "王五", id_number="110105198001010010")
    assert reasons(proposal(bad)) == {RefusalReason.AGE_UNKNOWN}


def test_organisation_has_no_age_bar():
    assert reasons(proposal(ORGANISATION)) == set()


def test_respondent_without_an_open_case_is_refused():
    assert reasons(proposal(open_case=False)) == {RefusalReason.NO_OPEN_CASE}


def test_no_grounds_is_refused():
    assert reasons(proposal(grounds=())) == {RefusalReason.NO_GROUNDS}


def test_ground_one_needs_the_recorded_assessment():
    ground_one = (Ground.REFUSES_DESPITE_ABILITY,)
    assert reasons(proposal(grounds=ground_one)) == {RefusalReason.ASSESSMENT_MISSING}
    unsigned = assessment(by="  ")
    assert reasons(proposal(grounds=ground_one, assessment=unsigned)) == {
        RefusalReason.ASSESSMENT_MISSING
    }
    assert reasons(proposal(grounds=ground_one, assessment=assessment())) == set()
    # Other grounds need no assessment.
    assert reasons(proposal(grounds=(Ground.BREACHES_ASSET_REPORT,))) == set()


def test_ground_one_with_security_is_refused():
    found = reasons(proposal(grounds=[1], assessment=assessment(security=True)))
    assert found == {RefusalReason.SECURITY_GIVEN}


def test_ground_one_when_frozen_property_covers_the_debt_is_refused():
    covers = assessment(frozen="100000.00", outstanding="100000.00")
    assert reasons(proposal(grounds=[1], assessment=covers)) == {
        RefusalReason.FROZEN_PROPERTY_COVERS
    }
    short = assessment(frozen="99999.99", outstanding="100000.00")
    assert reasons(proposal(grounds=[1], assessment=short)) == set()


def test_security_does_not_bar_other_grounds():
    secured = assessment(security=True)
    assert reasons(proposal(grounds=[Ground.EVADES], assessment=secured)) == set()
    # Ground 1 named beside another: the ground-1 bar still stands.
    assert reasons(proposal(grounds=[1, 3], assessment=secured)) == {RefusalReason.SECURITY_GIVEN}


def test_several_refusals_are_all_reported():
    found = reasons(proposal(person(D(2015, 1, 1)), grounds=[1], open_case=False))
    assert found == {
        RefusalReason.NO_OPEN_CASE,
        RefusalReason.MINOR,
        RefusalReason.ASSESSMENT_MISSING,
    }
    assert all(r.message for r in rules.refusals(proposal(grounds=[1], open_case=False)))


# --- Periods and extensions ------------------------------------------------------------------


@pytest.mark.parametrize("ground", [2, 3, 4, 5, 6])
def test_grounds_two_to_six_list_for_two_years(ground):
    period = rules.listing_period([ground], DECIDED)
    assert not period.until_deleted
    assert period.ends_on == D(2028, 11, 27)
    assert period.in_force_on(D(2028, 11, 26))
    assert not period.in_force_on(D(2028, 11, 27))


def test_ground_one_lists_until_deleted():
    period = rules.listing_period([Ground.REFUSES_DESPITE_ABILITY], DECIDED)
    assert period.until_deleted and period.ends_on is None
    assert period.in_force_on(D(2040, 1, 1))


def test_ground_one_with_another_ground_has_the_fixed_period():
    assert rules.listing_period([1, 4], DECIDED).ends_on == D(2028, 11, 27)


def test_period_from_a_leap_day_clips_to_february_end():
    assert rules.listing_period([3], D(2028, 2, 29)).ends_on == D(2030, 2, 28)


def test_no_grounds_has_no_period():
    with pytest.raises(RuleError):
        rules.listing_period([], DECIDED)


def test_extension_by_one_to_three_years_with_a_reason():
    grounds = [Ground.OBSTRUCTS]
    period = rules.listing_period(grounds, DECIDED)
    longer = rules.extend_period(period, grounds, 1, "以暴力方法抗拒执行，情节严重")
    assert longer.ends_on == D(2029, 11, 27)
    assert longer.extensions[0].reason == "以暴力方法抗拒执行，情节严重"
    longest = rules.extend_period(longer, grounds, 2, "再次抗拒")
    assert longest.ends_on == D(2031, 11, 27)
    assert longest.extension_years == 3
    assert period.ends_on == D(2028, 11, 27)  # the original is unchanged


def test_several_dishonest_acts_may_be_extended():
    grounds = [Ground.EVADES, Ground.BREACHES_ASSET_REPORT]
    period = rules.extend_period(rules.listing_period(grounds, DECIDED), grounds, 3, "多项失信")
    assert period.ends_on == D(2031, 11, 27)


@pytest.mark.parametrize(
    ("grounds", "years", "reason", "code"),
    [
        ([2], 0, "理由", "extension_years"),
        ([2], 4, "理由", "extension_years"),
        ([2], 1, "  ", "reason_required"),
        ([4], 1, "理由", "not_extendable"),
        ([1], 1, "理由", "no_period"),
    ],
)
def test_extension_refused(grounds, years, reason, code):
    period = rules.listing_period(grounds, DECIDED)
    with pytest.raises(RuleError) as caught:
        rules.extend_period(period, grounds, years, reason)
    assert caught.value.code == code
    assert str(caught.value.message)


def test_extensions_total_at_most_three_years():
    period = rules.extend_period(rules.listing_period([2], DECIDED), [2], 2, "理由")
    with pytest.raises(RuleError) as caught:
        rules.extend_period(period, [2], 2, "理由")
    assert caught.value.code == "extension_years"


# --- Deletion --------------------------------------------------------------------------------


def test_deletion_grounds_depend_on_the_period():
    until_deleted = rules.listing_period([1], DECIDED)
    fixed = rules.listing_period([3], DECIDED)
    for ground in DeletionGround:
        if ground in rules.GROUNDS_FOR_ANY_ENTRY:  # no basis remains (Art. 11): any entry
            assert rules.deletion_ground_applies(ground, until_deleted)
            assert rules.deletion_ground_applies(ground, fixed)
            continue
        expired = ground == DeletionGround.PERIOD_EXPIRED
        assert rules.deletion_ground_applies(ground, until_deleted) is not expired
        assert rules.deletion_ground_applies(ground, fixed) is expired
    assert len(DeletionGround) == 9  # the eight of Art. 10, and no basis remaining
    assert {DeletionGround.NO_BASIS} == rules.GROUNDS_FOR_ANY_ENTRY


def test_research_dates_every_six_months_for_five_years():
    closed = dt.date(2025, 8, 31)
    assert rules.research_due_on(closed, 1) == dt.date(2026, 2, 28)  # clipped to the month
    assert rules.research_due_on(closed, 10) == dt.date(2030, 8, 31)
    assert rules.research_runs_due(closed, dt.date(2026, 2, 27)) == 0
    assert rules.research_runs_due(closed, dt.date(2026, 2, 28)) == 1
    assert rules.research_runs_due(closed, dt.date(2040, 1, 1)) == 10
    with pytest.raises(ValueError):
        rules.research_due_on(closed, 11)


def test_nothing_found_after_termination_needs_two_searches_and_no_lead():
    assert not rules.nothing_found_after_termination(1, lead_given=False)
    assert rules.nothing_found_after_termination(2, lead_given=False)
    assert not rules.nothing_found_after_termination(3, lead_given=True)


def test_deletion_deadline_across_national_day_pure():
    # Paid in full on Wednesday 30 September 2026: 8 Oct, 9 Oct, make-up Saturday 10 Oct.
    assert rules.deletion_deadline_in(NATIONAL_DAY_2026, D(2026, 9, 30)) == D(2026, 10, 10)
    assert rules.deletion_deadline_in(WorkingCalendar(), D(2026, 9, 30)) == D(2026, 10, 5)


@pytest.mark.django_db
def test_deletion_deadline_across_holidays_from_the_seeded_calendar():
    assert rules.deletion_deadline(D(2026, 9, 30)) == D(2026, 10, 10)
    # Friday 13 Feb 2026: Saturday 14 Feb is worked, Spring Festival 15–23 Feb is off.
    assert rules.deletion_deadline(D(2026, 2, 13)) == D(2026, 2, 25)
    # An ordinary week: Friday → Wednesday.
    assert rules.deletion_deadline(D(2026, 11, 27)) == D(2026, 12, 2)


@pytest.mark.django_db
def test_expiry_deletion_deadline():
    # Listed 30 Sep 2024 for two years: expires 30 Sep 2026, deleted by Saturday 10 Oct.
    period = rules.listing_period([4], D(2024, 9, 30))
    assert period.ends_on == D(2026, 9, 30)
    assert rules.expiry_deletion_deadline(period) == D(2026, 10, 10)
    assert rules.expiry_deletion_deadline(rules.listing_period([1], DECIDED)) is None


def test_applicant_may_not_ask_for_relisting_within_six_months_of_own_request():
    deleted = D(2026, 3, 31)
    request = DeletionGround.APPLICANT_REQUEST
    assert not rules.applicant_may_request_relisting(deleted, request, D(2026, 9, 29))
    assert rules.applicant_may_request_relisting(deleted, request, D(2026, 9, 30))
    assert rules.applicant_may_request_relisting(deleted, DeletionGround.PERFORMED, D(2026, 4, 1))


# --- Corrections -----------------------------------------------------------------------------


def test_correction_deadlines():
    assert rules.correction_review_due(D(2026, 9, 20)) == D(2026, 10, 5)
    assert rules.correction_due_in(NATIONAL_DAY_2026, D(2026, 9, 30)) == D(2026, 10, 10)
    assert rules.reconsideration_request_due(D(2026, 10, 5)) == D(2026, 10, 15)
    assert rules.reconsideration_decision_due(D(2026, 10, 15)) == D(2026, 10, 30)
    assert len(rules.CorrectionGround) == 3


@pytest.mark.django_db
def test_correction_due_from_the_seeded_calendar():
    assert rules.correction_due(D(2026, 9, 30)) == D(2026, 10, 10)


# --- Consumption restriction -----------------------------------------------------------------


def test_nine_restricted_items():
    assert len(RestrictedItem) == 9
    assert all(item.legal_text and str(item.label) for item in RestrictedItem)
    assert "G字头" in RestrictedItem.HIGH_SPEED_TRAINS.legal_text
    assert rules.RESTRICTION_MANDATORY_WITH_LISTING


def test_bound_persons_of_an_organisation():
    bound = rules.bound_persons(ORGANISATION)
    assert [(b.role, b.name) for b in bound] == [
        (BoundRole.RESPONDENT, "杭州某贸易有限公司"),
        (BoundRole.LEGAL_REPRESENTATIVE, "赵六"),
        (BoundRole.PRINCIPAL_OFFICER, "钱七"),
        (BoundRole.DIRECTLY_RESPONSIBLE, "孙八"),
        (BoundRole.ACTUAL_CONTROLLER, "李九"),
    ]


def test_a_person_binds_only_themselves():
    bound = rules.bound_persons(person(legal_representative="ignored"))
    assert [(b.role, b.name) for b in bound] == [(BoundRole.RESPONDENT, "王五")]


def test_lifting_must_on_performance_may_otherwise():
    assert rules.lifting_is_mandatory(rules.LiftingReason.FULL_PERFORMANCE)
    assert not rules.lifting_is_mandatory(rules.LiftingReason.SECURITY)
    assert not rules.lifting_is_mandatory(rules.LiftingReason.APPLICANT_CONSENT)

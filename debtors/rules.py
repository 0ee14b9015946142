"""The law of the dishonest-debtor list and of consumption restrictions, as pure functions.

Sources (BRIEF §3): the SPC provisions on publishing the list of dishonest judgment debtors
(最高人民法院关于公布失信被执行人名单信息的若干规定, 2013, amended 2017; "Art." below) and the
SPC provisions on restricting high consumption (关于限制被执行人高消费及有关消费的若干规定, amended
2015; "Restriction Art."). No models: services pass plain data in and store what comes out.

Working days come from ``courtexec.working_days``; every function that counts them has a pure
``*_in(calendar, ...)`` form and a wrapper that reads the calendar from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from courtexec import working_days
from courtexec.working_days import WorkingCalendar, add_working_days_in
from enforcement.deadlines import add_months

ADULT_AGE = 18  # Art. 4: a minor is never listed (Civil Code Art. 17: adults are 18 or over)
LISTING_YEARS = 2  # Art. 2: grounds 2–6
MAX_EXTENSION_YEARS = 3  # Art. 2: extendable by 1 to 3 years
DELETION_WORKING_DAYS = 3  # Art. 10
SEARCHES_WITHOUT_ASSETS_FOR_DELETION = 2  # Art. 10(4): two or more network searches
RELISTING_BAR_MONTHS = 6  # Art. 10: after deletion at the applicant's request
CORRECTION_REVIEW_DAYS = 15  # Art. 12
CORRECTION_WORKING_DAYS = 3  # Art. 12
RECONSIDERATION_REQUEST_DAYS = 10  # Art. 12: to the higher court after a rejection
RECONSIDERATION_DECISION_DAYS = 15  # Art. 12


class RuleError(ValueError):
    """A request the rules do not allow (e.g. an extension of an entry without a period)."""

    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


# --- Grounds of listing (Art. 1) ------------------------------------------------------------


class Ground(models.IntegerChoices):
    """The six grounds of Art. 1; ``legal_text`` is the provision's own wording."""

    REFUSES_DESPITE_ABILITY = 1, _("Able to perform but refuses to perform")
    OBSTRUCTS = 2, _("Obstructs or resists enforcement by forged evidence, violence or threats")
    EVADES = (
        3,
        _("Evades enforcement by sham litigation or arbitration, or by hiding or moving assets"),
    )
    BREACHES_ASSET_REPORT = 4, _("Breaches the duty to report assets")
    BREACHES_RESTRICTION_ORDER = 5, _("Breaches a consumption-restriction order")
    REFUSES_SETTLEMENT = 6, _("Refuses without good reason to perform a settlement agreement")

    @property
    def legal_text(self) -> str:
        return GROUND_LEGAL_TEXT[self]

    @property
    def has_fixed_period(self) -> bool:
        """Grounds 2–6 list for a fixed period; ground 1 lists until deleted (Art. 2, 10)."""
        return self is not Ground.REFUSES_DESPITE_ABILITY


GROUND_LEGAL_TEXT: dict[Ground, str] = {
    Ground.REFUSES_DESPITE_ABILITY: "有履行能力而拒不履行生效法律文书确定义务的",
    Ground.OBSTRUCTS: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行的",
    Ground.EVADES: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行的",
    Ground.BREACHES_ASSET_REPORT: "违反财产报告制度的",
    Ground.BREACHES_RESTRICTION_ORDER: "违反限制消费令的",
    Ground.REFUSES_SETTLEMENT: "无正当理由拒不履行执行和解协议的",
}


# --- The respondent and the officer's assessment --------------------------------------------


class RespondentKind(models.TextChoices):
    """Same values as ``enforcement.Party.Kind``."""

    PERSON = "person", _("Natural person")
    ORGANISATION = "organisation", _("Organisation")


@dataclass(frozen=True)
class Respondent:
    """A respondent (被执行人) as the rules need it.

    A person's age comes from the resident ID number's birth date, or ``birth_date`` when the
    person has no valid mainland ID (a foreigner, an old record). An organisation names the
    people a consumption-restriction order binds (Restriction Art. 3).
    """

    kind: RespondentKind
    name: str
    id_number: str = ""
    birth_date: dt.date | None = None
    legal_representative: str = ""
    principal_officers: tuple[str, ...] = ()
    directly_responsible: tuple[str, ...] = ()
    actual_controller: str = ""

    @property
    def is_person(self) -> bool:
        return self.kind == RespondentKind.PERSON


def birth_date_of(respondent: Respondent) -> dt.date | None:
    """The birth date in a valid resident ID number, else the recorded birth date."""
    if respondent.id_number:
        try:
            return ric.get_birth_date(ric.validate(respondent.id_number.strip().upper()))
        except StdnumError:
            pass
    return respondent.birth_date


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in completed years (周岁) on ``day``; a 29 February birthday counts from 1 March."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


@dataclass(frozen=True)
class CoverageAssessment:
    """The officer's recorded assessment needed before listing under ground 1 (Art. 3).

    Whether adequate, effective security was given, and the value of the property already
    seized, frozen or impounded against the debt still outstanding.
    """

    assessed_by: str
    assessed_on: dt.date
    security_given: bool
    frozen_property_value: Decimal
    outstanding: Decimal
    note: str = ""

    @property
    def frozen_property_covers_debt(self) -> bool:
        return self.frozen_property_value >= self.outstanding


# --- Refusals (Art. 3, 4; an open case) -----------------------------------------------------


class RefusalReason(models.TextChoices):
    NO_GROUNDS = "no_grounds", _("Name at least one ground of Art. 1.")
    NO_OPEN_CASE = "no_open_case", _("Only a respondent of an open enforcement case may be listed.")
    MINOR = "minor", _("A minor may not be listed (Art. 4).")
    AGE_UNKNOWN = (
        "age_unknown",
        _(
            "The respondent's age on the decision date cannot be established: record a valid "
            "resident ID number or a birth date."
        ),
    )
    ASSESSMENT_MISSING = (
        "assessment_missing",
        _(
            "Listing for refusing to perform despite the ability to do so needs the officer's "
            "recorded assessment of security and frozen property (Art. 3)."
        ),
    )
    SECURITY_GIVEN = (
        "security_given",
        _("Adequate security was given: no listing for refusing to perform (Art. 3)."),
    )
    FROZEN_PROPERTY_COVERS = (
        "frozen_property_covers",
        _(
            "Property already seized or frozen covers the debt: no listing for refusing to perform "
            "(Art. 3)."
        ),
    )


@dataclass(frozen=True)
class Refusal:
    reason: RefusalReason
    age: int | None = None

    @property
    def message(self) -> str:
        if self.reason == RefusalReason.MINOR and self.age is not None:
            return str(
                _(
                    "The respondent is %(age)d on the decision date; a minor may not be "
                    "listed (Art. 4)."
                )
                % {"age": self.age}
            )
        return str(self.reason.label)


@dataclass(frozen=True)
class ListingProposal:
    respondent: Respondent
    grounds: frozenset[Ground]
    decided_on: dt.date
    has_open_case: bool
    assessment: CoverageAssessment | None = None

    @classmethod
    def of(cls, respondent: Respondent, grounds: Iterable[Ground | int], **kwargs):
        return cls(respondent, frozenset(Ground(g) for g in grounds), **kwargs)


def refusals(proposal: ListingProposal) -> list[Refusal]:
    """Every reason the proposal must be refused; an empty list means it may be listed.

    The bars of Art. 3 apply to ground 1 only: when ground 1 is barred but other grounds are
    named, the refusal still stands (drop ground 1 and propose again on the others).
    """
    found: list[Refusal] = []
    if not proposal.grounds:
        found.append(Refusal(RefusalReason.NO_GROUNDS))
    if not proposal.has_open_case:
        found.append(Refusal(RefusalReason.NO_OPEN_CASE))
    respondent = proposal.respondent
    if respondent.is_person:
        born = birth_date_of(respondent)
        if born is None:
            found.append(Refusal(RefusalReason.AGE_UNKNOWN))
        else:
            age = age_on(born, proposal.decided_on)
            if age < ADULT_AGE:
                found.append(Refusal(RefusalReason.MINOR, age=age))
    if Ground.REFUSES_DESPITE_ABILITY in proposal.grounds:
        assessment = proposal.assessment
        if assessment is None or not assessment.assessed_by.strip():
            found.append(Refusal(RefusalReason.ASSESSMENT_MISSING))
        else:
            if assessment.security_given:
                found.append(Refusal(RefusalReason.SECURITY_GIVEN))
            if assessment.frozen_property_covers_debt:
                found.append(Refusal(RefusalReason.FROZEN_PROPERTY_COVERS))
    return found


# --- The listing period (Art. 2) ------------------------------------------------------------


@dataclass(frozen=True)
class Extension:
    years: int
    reason: str


@dataclass(frozen=True)
class ListingPeriod:
    """From ``starts_on`` (the decision date) to ``ends_on``; ``None`` means until deleted.

    Any of grounds 2–6 gives the entry a fixed period (2 years plus extensions), even when
    ground 1 is named too; ground 1 alone lists until an Art. 10 deletion ground arises.
    """

    starts_on: dt.date
    base_years: int | None
    extensions: tuple[Extension, ...] = field(default_factory=tuple)

    @property
    def until_deleted(self) -> bool:
        return self.base_years is None

    @property
    def extension_years(self) -> int:
        return sum(extension.years for extension in self.extensions)

    @property
    def ends_on(self) -> dt.date | None:
        if self.base_years is None:
            return None
        return add_months(self.starts_on, 12 * (self.base_years + self.extension_years))

    def in_force_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


def listing_period(grounds: Iterable[Ground | int], starts_on: dt.date) -> ListingPeriod:
    chosen = {Ground(g) for g in grounds}
    if not chosen:
        raise RuleError(RefusalReason.NO_GROUNDS, RefusalReason.NO_GROUNDS.label)
    fixed = any(ground.has_fixed_period for ground in chosen)
    return ListingPeriod(starts_on, LISTING_YEARS if fixed else None)


def may_extend(grounds: Iterable[Ground | int]) -> bool:
    """Art. 2: obstruction by violence or threats (serious) or several dishonest acts."""
    chosen = {Ground(g) for g in grounds}
    fixed = any(ground.has_fixed_period for ground in chosen)
    return fixed and (Ground.OBSTRUCTS in chosen or len(chosen) > 1)


def extend_period(
    period: ListingPeriod, grounds: Iterable[Ground | int], years: int, reason: str
) -> ListingPeriod:
    """The period lengthened by ``years``; at most 3 years in all, always with a reason."""
    if period.until_deleted:
        raise RuleError(
            "no_period",
            _("An entry listed until deleted (ground 1 alone) has no period to extend."),
        )
    if not may_extend(grounds):
        raise RuleError(
            "not_extendable",
            _(
                "A period is extended only for obstruction by violence or threats, or for "
                "several dishonest acts (Art. 2)."
            ),
        )
    if not reason.strip():
        raise RuleError("reason_required", _("An extension needs a stated reason."))
    if years < 1 or period.extension_years + years > MAX_EXTENSION_YEARS:
        raise RuleError(
            "extension_years",
            _("A period may be extended by 1 to %(max)d years in all.")
            % {"max": MAX_EXTENSION_YEARS},
        )
    return ListingPeriod(
        period.starts_on, period.base_years, (*period.extensions, Extension(years, reason.strip()))
    )


# --- Deletion (Art. 10) ---------------------------------------------------------------------


class DeletionGround(models.TextChoices):
    PERFORMED = "performed", _("Obligation performed or enforcement completed")
    SETTLEMENT_PERFORMED = "settlement_performed", _("Settlement agreement performed in full")
    APPLICANT_REQUEST = "applicant_request", _("Applicant's written request approved")
    NOTHING_FOUND_AFTER_TERMINATION = (
        "nothing_found",
        _(
            "Terminated for now; two or more network searches found no property and no lead was "
            "given"
        ),
    )
    STAYED = "stayed", _("Enforcement stayed for retrial or bankruptcy")
    NOT_ENFORCED = "not_enforced", _("Ruling not to enforce")
    TERMINATED = "terminated", _("Enforcement terminated")
    PERIOD_EXPIRED = "period_expired", _("Listing period expired")
    # Art. 11(4) (a correction ground the records show as a closure): no basis remains.
    NO_BASIS = (
        "no_basis",
        _("No basis remains: the application was rejected or the case withdrawn (Art. 11)"),
    )


# Grounds that remove an entry whatever its period: it should never have stood (Art. 11).
GROUNDS_FOR_ANY_ENTRY = frozenset({DeletionGround.NO_BASIS})


def deletion_ground_applies(ground: DeletionGround, period: ListingPeriod) -> bool:
    """Art. 10: an entry with a period is deleted only when it expires; one without, on the
    seven other grounds."""
    if ground in GROUNDS_FOR_ANY_ENTRY:
        return True
    if period.until_deleted:
        return ground != DeletionGround.PERIOD_EXPIRED
    return ground == DeletionGround.PERIOD_EXPIRED


def nothing_found_after_termination(searches_without_assets: int, lead_given: bool) -> bool:
    """Art. 10(4): after 终本, at least two network searches found nothing and no lead came."""
    return searches_without_assets >= SEARCHES_WITHOUT_ASSETS_FOR_DELETION and not lead_given


# Re-searches after 终本 (SPC 2016 终本 rule Art. 9; BRIEF §1): every 6 months for 5 years.
RESEARCH_EVERY_MONTHS = 6
RESEARCH_RUNS = 10  # 5 years


def research_due_on(closed_on: dt.date, number: int) -> dt.date:
    """The day re-search ``number`` (1–10) of a case closed 终本 on ``closed_on`` falls due."""
    if not 1 <= number <= RESEARCH_RUNS:
        raise ValueError("a 终本 case is re-searched 10 times")
    return add_months(closed_on, RESEARCH_EVERY_MONTHS * number)


def research_runs_due(closed_on: dt.date, today: dt.date) -> int:
    """How many re-searches have fallen due by ``today`` (0–10)."""
    return sum(1 for n in range(1, RESEARCH_RUNS + 1) if research_due_on(closed_on, n) <= today)


def deletion_deadline_in(calendar: WorkingCalendar, arose_on: dt.date) -> dt.date:
    """The last day to delete: 3 working days after the ground arose (Art. 10)."""
    return add_working_days_in(calendar, arose_on, DELETION_WORKING_DAYS)


def deletion_deadline(arose_on: dt.date) -> dt.date:
    return working_days.add_working_days(arose_on, DELETION_WORKING_DAYS)


def expiry_deletion_deadline_in(calendar: WorkingCalendar, period: ListingPeriod) -> dt.date | None:
    """For an entry with a period: 3 working days after it expires; ``None`` otherwise."""
    ends_on = period.ends_on
    return None if ends_on is None else deletion_deadline_in(calendar, ends_on)


def expiry_deletion_deadline(period: ListingPeriod) -> dt.date | None:
    return expiry_deletion_deadline_in(working_days.load_calendar(), period)


def applicant_may_request_relisting(
    deleted_on: dt.date, deleted_for: DeletionGround, requested_on: dt.date
) -> bool:
    """Art. 10: within 6 months of a deletion at the applicant's request, the applicant's own
    request to list the respondent again is not supported (the court may still act itself)."""
    if deleted_for != DeletionGround.APPLICANT_REQUEST:
        return True
    return requested_on >= add_months(deleted_on, RELISTING_BAR_MONTHS)


# --- Correction requests (Art. 11–12) -------------------------------------------------------


class CorrectionGround(models.TextChoices):
    SHOULD_NOT_BE_LISTED = "should_not_be_listed", _("Should not have been listed")
    INACCURATE = "inaccurate", _("The recorded or published information is inaccurate")
    SHOULD_BE_DELETED = "should_be_deleted", _("The entry should have been deleted")


def correction_review_due(received_on: dt.date) -> dt.date:
    """The request is reviewed within 15 days of its receipt (calendar days)."""
    return received_on + dt.timedelta(days=CORRECTION_REVIEW_DAYS)


def correction_due_in(calendar: WorkingCalendar, upheld_on: dt.date) -> dt.date:
    """A well-founded request is corrected within 3 working days of the review."""
    return add_working_days_in(calendar, upheld_on, CORRECTION_WORKING_DAYS)


def correction_due(upheld_on: dt.date) -> dt.date:
    return working_days.add_working_days(upheld_on, CORRECTION_WORKING_DAYS)


def reconsideration_request_due(rejection_served_on: dt.date) -> dt.date:
    """After a rejection, reconsideration by the higher court is asked within 10 days."""
    return rejection_served_on + dt.timedelta(days=RECONSIDERATION_REQUEST_DAYS)


def reconsideration_decision_due(received_on: dt.date) -> dt.date:
    return received_on + dt.timedelta(days=RECONSIDERATION_DECISION_DAYS)


# --- Consumption restriction (限制高消费) -----------------------------------------------------

RESTRICTION_MANDATORY_WITH_LISTING = True  # every listed debtor is restricted


class RestrictedItem(models.TextChoices):
    """The nine items of Restriction Art. 3; ``legal_text`` is the provision's wording."""

    TRAVEL_CLASS = (
        "travel_class",
        _("Flights, soft sleepers on trains, second class or above on ships"),
    )
    LUXURY_VENUES = (
        "luxury_venues",
        _("High spending at star-rated hotels, nightclubs, golf courses and similar venues"),
    )
    PROPERTY = "property", _("Buying real estate, or building, extending or luxuriously renovating")
    OFFICES = "offices", _("Renting high-end office buildings, hotels or apartments as offices")
    VEHICLES = "vehicles", _("Buying vehicles not needed for the business")
    TRAVEL_HOLIDAYS = "travel_holidays", _("Travel and holidays")
    PRIVATE_SCHOOLS = "private_schools", _("Children at high-fee private schools")
    INSURANCE = "insurance", _("High-premium insurance or wealth-management products")
    HIGH_SPEED_TRAINS = (
        "high_speed_trains",
        _(
            "Any seat on G trains, first class or above on other bullet trains, and other spending "
            "not needed for life or work"
        ),
    )

    @property
    def legal_text(self) -> str:
        return RESTRICTED_ITEM_LEGAL_TEXT[self]


RESTRICTED_ITEM_LEGAL_TEXT: dict[RestrictedItem, str] = {
    RestrictedItem.TRAVEL_CLASS: "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
    RestrictedItem.LUXURY_VENUES: "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
    RestrictedItem.PROPERTY: "购买不动产或者新建、扩建、高档装修房屋",
    RestrictedItem.OFFICES: "租赁高档写字楼、宾馆、公寓等场所办公",
    RestrictedItem.VEHICLES: "购买非经营必需车辆",
    RestrictedItem.TRAVEL_HOLIDAYS: "旅游、度假",
    RestrictedItem.PRIVATE_SCHOOLS: "子女就读高收费私立学校",
    RestrictedItem.INSURANCE: "支付高额保费购买保险理财产品",
    RestrictedItem.HIGH_SPEED_TRAINS: (
        "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为"
    ),
}


class BoundRole(models.TextChoices):
    RESPONDENT = "respondent", _("Respondent")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    PRINCIPAL_OFFICER = "principal_officer", _("Principal officer")
    DIRECTLY_RESPONSIBLE = (
        "directly_responsible",
        _("Person directly responsible for the non-performance"),
    )
    ACTUAL_CONTROLLER = "actual_controller", _("Actual controller")


@dataclass(frozen=True)
class BoundPerson:
    role: BoundRole
    name: str


def bound_persons(respondent: Respondent) -> tuple[BoundPerson, ...]:
    """Who a restriction order binds: the respondent and, for an organisation, its legal
    representative, principal officers, directly responsible persons and actual controller."""
    bound = [BoundPerson(BoundRole.RESPONDENT, respondent.name)]
    if respondent.is_person:
        return tuple(bound)
    named = [
        (BoundRole.LEGAL_REPRESENTATIVE, [respondent.legal_representative]),
        (BoundRole.PRINCIPAL_OFFICER, respondent.principal_officers),
        (BoundRole.DIRECTLY_RESPONSIBLE, respondent.directly_responsible),
        (BoundRole.ACTUAL_CONTROLLER, [respondent.actual_controller]),
    ]
    for role, names in named:
        bound.extend(BoundPerson(role, name.strip()) for name in names if name and name.strip())
    return tuple(bound)


class LiftingReason(models.TextChoices):
    FULL_PERFORMANCE = "full_performance", _("Obligation performed in full")
    SECURITY = "security", _("Adequate security given")
    APPLICANT_CONSENT = "applicant_consent", _("Applicant consents")


def lifting_is_mandatory(reason: LiftingReason) -> bool:
    """Full performance must lift the order; security or the applicant's consent may."""
    return reason == LiftingReason.FULL_PERFORMANCE


# --- Publication (公开) ------------------------------------------------------------------------


def mask_id_number(id_number: str) -> str:
    """A person's ID number as it may be published: at most the first 4 and last 4 characters.

    The birth date (characters 7–14 of an 18-digit number, 7–12 of a 15-digit one) always falls
    in the masked middle; a shorter value keeps fewer, so that over a third is always masked.
    """
    value = id_number.strip()
    keep = max(0, min(4, (len(value) - 1) // 3))
    if keep == 0:
        return "*" * len(value)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]

"""Demo enforcement data: about 200 realistic cases of 杭州市下城区人民法院 (浙0103).

Modelled on the seed article: cases from 2015 to today in every status and category, with the
2015 Spring Festival livelihood campaign and the 2015 financial campaign, consultations, a joint
meeting, objections, detentions, fines and one transfer to the police, field work with photos,
and trips whose tickets the designated clerk bought. A few cases of 杭州市上城区人民法院
(浙0102) show that each court sees only its own.

* Every write goes through ``enforcement.services`` (filing dates in the past are allowed; the
  services refuse only future dates), so the demo obeys the same rules as the UI and the API.
* Identity numbers are fictitious but valid: resident IDs of Hangzhou districts with a
  plausible birth date and the check digit of GB 11643, credit codes with the check characters
  of GB 11714 and GB 32100 (python-stdnum).
* Deterministic: a fixed random seed; dates of open cases are counted back from today so that
  some are overdue, some due soon and some due a consultation whatever the day.
* Idempotent: a court that already has the demo's marker case is left alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import ric, uscc

from courtexec.history import acting_as
from courtexec.models import Court, User
from courtexec.roles import Role
from enforcement import deadlines, services
from enforcement.models import (
    CaseParty,
    CoerciveMeasure,
    EnforcementCase,
    FieldAction,
    MeetingDecision,
    Objection,
    Party,
    Ticket,
)

SEED = 20160103

Category = EnforcementCase.Category
Closure = EnforcementCase.ClosureMode
Flag = EnforcementCase.Flag
TypeCode = EnforcementCase.TypeCode
LIT = EnforcementCase.InstrumentKind.LITIGATION
NON_LIT = EnforcementCase.InstrumentKind.NON_LITIGATION
APPLICANT = CaseParty.Role.APPLICANT
RESPONDENT = CaseParty.Role.RESPONDENT

# Open fates; a concluded case's fate is its closure mode.
FILED, IN_PROGRESS, SUSPENDED = "filed", "in_progress", "suspended"
OPEN_FATES = {FILED, IN_PROGRESS, SUSPENDED}

# The first 2015 case (legacy numbering): its presence means the demo is loaded.
MARKER_NUMBER = "(2015)杭下执民字第86号"
OTHER_COURT_MARKER = "(2025)浙0102民初3318号"

LIVELIHOOD_CAMPAIGN = (
    "2015年春节前涉民生案件集中执行专项活动",
    dt.date(2015, 1, 1),
    dt.date(2015, 2, 17),
    [Category.LIVELIHOOD],
    "春节前集中清理拖欠劳动报酬、赡养费、抚养费及人身损害赔偿案件，对有能力履行而拒不履行的"
    "被执行人依法采取拘留措施，确保困难群众安心过年。",
)
FINANCIAL_CAMPAIGN = (
    "2015年涉金融债权案件专项执行活动",
    dt.date(2015, 6, 1),
    dt.date(2015, 9, 30),
    [Category.FINANCIAL],
    "集中执行金融借款、信用卡及担保追偿案件，全面运用网络查控、失信惩戒和限制高消费，"
    "对拒不执行判决、裁定的被执行人移送公安机关追究刑事责任。",
)

# --- Names, places and numbers -----------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏方邹孟秦邱江严钱俞楼应童施毛郑骆屠傅裘"
)
GIVEN_MALE = "伟强磊军勇杰涛斌明超刚平辉鹏华飞建国峰浩俊文志宏海波东晨宇翔林鑫昊凯健亮锋永忠春"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷洁颖琳雪慧莉倩萍红梅琴蓉佳怡欣悦琼素月秀英兰"
# Districts of Hangzhou. stdnum checks a resident ID's region against the birth year: the
# district codes of today's map exist from 1983, the older ones (市区, counties) before.
URBAN_REGIONS = ("330103", "330103", "330103", "330104", "330105", "330106")
OLDER_REGIONS = ("330120", "330120", "330122", "330127")
ROADS = (
    "体育场路",
    "中山北路",
    "延安路",
    "凤起路",
    "环城北路",
    "朝晖路",
    "香积寺路",
    "建国北路",
    "东新路",
    "石桥路",
    "潮王路",
    "河东路",
    "庆春路",
    "武林路",
    "西湖文化广场",
    "文晖路",
)
STREETS = (
    "武林街道",
    "天水街道",
    "朝晖街道",
    "潮鸣街道",
    "长庆街道",
    "石桥街道",
    "东新街道",
    "文晖街道",
)
TRADE_NAMES = (
    "恒信",
    "华鼎",
    "金帆",
    "瑞丰",
    "明达",
    "众诚",
    "天禾",
    "博远",
    "宏图",
    "锦程",
    "万象",
    "联创",
    "嘉禾",
    "汇通",
    "鼎盛",
    "永盛",
    "德润",
    "云帆",
    "海纳",
    "启明",
    "同和",
    "安泰",
    "君越",
    "中汇",
    "泽润",
    "星河",
    "佳源",
    "易达",
    "鸿运",
    "信达",
    "昌荣",
    "凯旋",
    "新拓",
    "禾丰",
    "力恒",
    "晟元",
    "朗峰",
    "蓝鲸",
    "耀华",
    "精工",
)
INDUSTRIES = (
    "贸易",
    "建筑工程",
    "装饰工程",
    "餐饮管理",
    "网络科技",
    "服饰",
    "电子商务",
    "物业管理",
    "房地产开发",
    "机械设备",
    "文化传媒",
    "食品",
    "物流",
    "汽车销售",
    "家具",
    "信息技术",
)
SHOPS = ("服装店", "鞋帽店", "百货商行", "数码店", "箱包店", "茶叶店")
# (payee bank branch, card BIN) for natural persons' accounts.
PERSON_BANKS = (
    ("中国工商银行杭州武林支行", "622202"),
    ("中国建设银行杭州宝石支行", "621700"),
    ("中国农业银行杭州朝晖支行", "622848"),
    ("中国银行杭州市中山支行", "621661"),
    ("交通银行杭州延安路支行", "622262"),
    ("招商银行杭州凤起支行", "621483"),
    ("杭州银行下城支行", "621773"),
    ("杭州联合农村商业银行石桥支行", "623091"),
)
LENDERS = (
    "中国工商银行股份有限公司杭州武林支行",
    "中国建设银行股份有限公司杭州宝石支行",
    "招商银行股份有限公司杭州分行",
    "杭州银行股份有限公司文创支行",
    "浙江泰隆商业银行股份有限公司杭州分行",
    "上海浦东发展银行股份有限公司杭州分行",
    "浙商银行股份有限公司杭州分行",
    "兴业银行股份有限公司杭州分行",
    "中信银行股份有限公司杭州分行",
    "杭州联合农村商业银行股份有限公司",
)
CARD_ISSUERS = (
    "平安银行股份有限公司杭州分行",
    "招商银行股份有限公司信用卡中心",
    "中国民生银行股份有限公司杭州分行",
)
MICRO_LENDERS = ("杭州市下城区鼎信小额贷款股份有限公司", "杭州市下城区汇丰源小额贷款有限公司")
PLATES = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def _luhn(body: str) -> str:
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return str((10 - total % 10) % 10)


def _organisation_code_check(body: str) -> str:
    """Check character of an 8-character organisation code (GB 11714)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(char, 36) * weight for char, weight in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, *, region: str = "330103", entity: str = "91") -> str:
    """A valid unified social credit code (GB 32100) for a fictitious organisation."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    if rng.random() < 0.6:  # registered since 2015: organisation codes starting MA
        body = "MA2" + "".join(rng.choice(alphabet[:28]) for _ in range(5))
    else:
        body = str(rng.randint(1, 7)) + f"{rng.randrange(10**7):07d}"
    first17 = entity + region + body + _organisation_code_check(body)
    return first17 + uscc.calc_check_digit(first17)


def resident_id(rng: random.Random, *, birth: dt.date, male: bool) -> str:
    """A valid 18-digit resident ID (GB 11643) of a Hangzhou district for ``birth``."""
    region = rng.choice(URBAN_REGIONS if birth.year >= 1984 else OLDER_REGIONS)
    order = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


# Shared by both courts: the same company is a respondent in 下城 and in 上城.
_SHARED = random.Random(SEED + 1)
SHARED_COMPANY = ("杭州鼎泰建筑装饰工程有限公司", credit_code(_SHARED, region="330102"), "骆建峰")


@dataclass
class Plan:
    """One demo case: when it was filed and what became of it."""

    filed_on: dt.date
    category: str
    fate: str
    kind: str = ""
    type_code: str = TypeCode.FIRST
    legacy_number: str = ""
    close_on: dt.date | None = None
    flags: tuple[str, ...] = ()
    extras: frozenset[str] = frozenset()
    amount: Decimal | None = None
    resume: tuple[dt.date, str] | None = None


@dataclass
class Filed:
    case: EnforcementCase
    plan: Plan
    persons: list[Party] = field(default_factory=list)  # respondents who are natural persons
    organisations: list[Party] = field(default_factory=list)
    applicants: list[Party] = field(default_factory=list)
    dispute: str = ""


@dataclass(frozen=True)
class Summary:
    cases: int
    other_court_cases: int


# --- The loader --------------------------------------------------------------------------------


def load(
    *,
    court: Court,
    staff: Mapping[Role, User],
    other_court: Court | None = None,
    other_staff: Mapping[Role, User] | None = None,
    today: dt.date | None = None,
) -> Summary:
    """Load the demo cases of ``court`` (and a few of ``other_court``); skip what is loaded.

    ``staff`` needs a judge, a clerk, a bureau chief, a section chief, a judicial police
    officer and the court president of ``court``; ``other_staff`` a judge of ``other_court``.
    The clerk is made the designated ticket clerk (``enforcement.buy_tickets``).
    """
    today = today or timezone.localdate()
    loaded = 0
    if not EnforcementCase.objects.filter(court=court, number=MARKER_NUMBER).exists():
        loaded = _Demo(court=court, staff=staff, today=today).run()
    other = 0
    if other_court is not None and other_staff:
        marker = EnforcementCase.objects.filter(
            court=other_court, instrument_number=OTHER_COURT_MARKER
        )
        if not marker.exists():
            with acting_as(other_staff[Role.JUDGE]):
                other = _load_other_court(other_court, other_staff[Role.JUDGE], today)
    if loaded or other:
        services.remind_consultations(today=today)  # what the daily jobs would do tonight
        services.warn_deadlines(today=today)
    return Summary(cases=loaded, other_court_cases=other)


class _People:
    """Fictitious parties with valid identity numbers, registered through the services."""

    def __init__(self, court: Court, rng: random.Random) -> None:
        self.court = court
        self.rng = rng
        self.numbers: set[str] = set()
        self.names: set[str] = set()

    def name(self, male: bool) -> str:
        rng = self.rng
        given = GIVEN_MALE if male else GIVEN_FEMALE
        for _ in range(20):
            length = 1 if rng.random() < 0.3 else 2
            name = rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(length))
            if name not in self.names:
                break
        self.names.add(name)
        return name

    def phone(self) -> str:
        prefix = self.rng.choice(
            (
                "133",
                "135",
                "137",
                "138",
                "139",
                "150",
                "152",
                "158",
                "159",
                "177",
                "180",
                "186",
                "187",
                "189",
            )
        )
        return prefix + f"{self.rng.randrange(10**8):08d}"

    def address(self) -> str:
        rng = self.rng
        return (
            f"杭州市下城区{rng.choice(STREETS)}{rng.choice(ROADS)}{rng.randint(1, 480)}号"
            f"{rng.randint(1, 28)}幢{rng.randint(1, 4)}单元"
            f"{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
        )

    def _unique(self, make) -> str:
        for _ in range(50):
            number = make()
            if number not in self.numbers:
                self.numbers.add(number)
                return number
        raise RuntimeError("could not find an unused identity number")

    def person(self, *, adult_by: dt.date) -> Party:
        rng = self.rng
        male = rng.random() < 0.62
        latest = min(adult_by.year - 20, 2001)
        birth = dt.date(rng.randint(1955, latest), rng.randint(1, 12), 1)
        birth = birth.replace(day=rng.randint(1, calendar.monthrange(birth.year, birth.month)[1]))
        number = self._unique(lambda: resident_id(rng, birth=birth, male=male))
        return services.register_party(
            court=self.court,
            kind=Party.Kind.PERSON,
            name=self.name(male),
            id_number=number,
            phone=self.phone(),
            address=self.address(),
        )

    def organisation(self, name: str, *, entity: str = "91", region: str = "330103") -> Party:
        rng = self.rng
        number = self._unique(lambda: credit_code(rng, region=region, entity=entity))
        return services.register_party(
            court=self.court,
            kind=Party.Kind.ORGANISATION,
            name=name,
            id_number=number,
            phone=f"0571-{rng.randint(8500, 8899)}{rng.randrange(10**4):04d}",
            address=(
                f"杭州市下城区{rng.choice(ROADS)}{rng.randint(1, 480)}号"
                f"{rng.randint(1, 22)}楼{rng.randint(1, 30):02d}{rng.randint(1, 9)}室"
            ),
            legal_representative=self.name(rng.random() < 0.75),
        )

    def company(self) -> Party:
        rng = self.rng
        for _ in range(20):
            name = (
                f"{rng.choice(('杭州', '杭州', '浙江'))}{rng.choice(TRADE_NAMES)}"
                f"{rng.choice(INDUSTRIES)}有限公司"
            )
            if name not in self.names:
                break
        self.names.add(name)
        return self.organisation(name, region=rng.choice(("330103", "330103", "330100")))

    def shop(self) -> Party:
        name = f"杭州市下城区{self.rng.choice(TRADE_NAMES)}{self.rng.choice(SHOPS)}"
        if name in self.names:
            name = name.replace("下城区", "下城区武林")
        self.names.add(name)
        return self.organisation(name, entity="92")

    def payee(self, party: Party) -> services.PartyRole:
        rng = self.rng
        if party.kind == Party.Kind.PERSON:
            bank, bin_ = rng.choice(PERSON_BANKS)
            body = bin_ + f"{rng.randrange(10**12):012d}"
            account = body + _luhn(body)
        elif "银行" in party.name:
            bank = party.name.replace("股份有限公司", "")
            account = f"{rng.randint(1, 9)}{rng.randrange(10**18):018d}"
        else:
            bank = rng.choice(PERSON_BANKS)[0]
            account = f"1202{rng.randrange(10**15):015d}"
        return services.PartyRole(
            party=party,
            role=APPLICANT,
            payee_bank=bank,
            payee_account_name=party.name,
            payee_account_number=account,
        )

    def lender(self, name: str) -> Party:
        existing = Party.objects.filter(name=name, kind=Party.Kind.ORGANISATION).first()
        return existing or self.organisation(name, region="330100")

    def shared_company(self) -> Party:
        name, number, representative = SHARED_COMPANY
        return services.register_party(
            court=self.court,
            kind=Party.Kind.ORGANISATION,
            name=name,
            id_number=number,
            legal_representative=representative,
            phone="0571-87061234",
            address="杭州市上城区解放路118号6楼",
        )


class _Demo:
    def __init__(self, *, court: Court, staff: Mapping[Role, User], today: dt.date) -> None:
        self.court = court
        self.today = today
        self.rng = random.Random(SEED)
        self.judge = staff[Role.JUDGE]
        self.clerk = _designated_ticket_clerk(staff[Role.CLERK])
        self.chief = staff[Role.BUREAU_CHIEF]
        self.section = staff[Role.SECTION_CHIEF]
        self.police = staff[Role.JUDICIAL_POLICE]
        self.president = staff[Role.PRESIDENT]
        self.investigator = staff.get(Role.INVESTIGATOR)
        self.people = _People(court, self.rng)
        self.instruments: set[str] = set()
        self.filed: list[Filed] = []
        self.photo_count = 0

    # --- plan ----------------------------------------------------------------------------------

    def run(self) -> int:
        with acting_as(self.judge):
            return self._run()

    def _run(self) -> int:
        plans = sorted(self.plans(), key=lambda plan: plan.filed_on)
        for plan in plans:
            self.filed.append(self.file(plan))
        resumptions = sorted(
            (item for item in self.filed if item.plan.resume), key=lambda item: item.plan.resume
        )
        for item in resumptions:
            self.filed.append(self.resume(item))
        self.meetings()
        self.travel()
        with acting_as(self.chief):
            self.campaigns()
        return len(self.filed)

    def campaigns(self) -> None:
        for name, starts, ends, categories, description in (
            LIVELIHOOD_CAMPAIGN,
            FINANCIAL_CAMPAIGN,
        ):
            services.create_campaign(
                court=self.court,
                user=self.chief,
                name=name,
                starts_on=starts,
                ends_on=ends,
                categories=categories,
                description=description,
            )

    def plans(self) -> list[Plan]:
        rng, today = self.rng, self.today
        plans: list[Plan] = []

        def day_in(start: dt.date, end: dt.date) -> dt.date:
            return _add_days(start, rng.randint(0, max((end - start).days, 0)))

        # 2015, Spring Festival livelihood campaign: wages and support paid before the holiday,
        # several after a detention.
        for index in range(10):
            filed = day_in(dt.date(2015, 1, 5), dt.date(2015, 1, 23))
            extras = {"field"}
            if index < 6:
                extras.add("detention")
            if index == 0:
                extras |= {"detention_review", "photo"}
            if index < 8:
                fate, close = Closure.PERFORMED, day_in(_add_days(filed, 12), dt.date(2015, 2, 13))
            elif index == 8:
                fate, close = Closure.TERMINATED_FOR_NOW, dt.date(2015, 6, 18)
                extras |= {"blacklist"}
            else:
                fate, close = Closure.TERMINATED, dt.date(2015, 2, 10)
            plans.append(
                Plan(filed, Category.LIVELIHOOD, fate, close_on=close, extras=frozenset(extras))
            )
        # 2015, financial campaign (June–September): loans and cards; 终本 with blacklisting;
        # detentions and one transfer to the police.
        for index in range(14):
            filed = day_in(dt.date(2015, 2, 2), dt.date(2015, 5, 29))
            extras = {"field"} if index % 2 else set()
            if index < 4:
                extras.add("detention")
            if index == 4:
                extras.add("police")
            if index < 6:
                fate = Closure.PERFORMED
                close = day_in(dt.date(2015, 6, 3), dt.date(2015, 9, 28))
            elif index < 12:
                fate = Closure.TERMINATED_FOR_NOW
                close = day_in(
                    max(dt.date(2015, 6, 5), _add_days(deadlines.add_months(filed, 3), 5)),
                    dt.date(2015, 9, 29),
                )
                extras.add("blacklist")
            else:
                fate = Closure.TERMINATED_FOR_NOW
                close = day_in(dt.date(2015, 10, 12), dt.date(2015, 12, 21))
                extras.add("blacklist")
            if index == 4:
                fate, close = Closure.TERMINATED_FOR_NOW, dt.date(2015, 11, 20)
            plans.append(
                Plan(filed, Category.FINANCIAL, fate, close_on=close, extras=frozenset(extras))
            )
        # 2015, other cases.
        for category, fate in (
            (Category.IP, Closure.PERFORMED),
            (Category.IP, Closure.TERMINATED_FOR_NOW),
            (Category.OTHER, Closure.PERFORMED),
            (Category.OTHER, Closure.NOT_ENFORCED),
            (Category.OTHER, Closure.WITHDRAWN),
            (Category.OTHER, Closure.REJECTED),
        ):
            plans.append(Plan(day_in(dt.date(2015, 3, 2), dt.date(2015, 11, 30)), category, fate))
        # The 2015 cases keep the numbers of their day, (2015)杭下执民字第N号, in filing order;
        # the first one (filed on the campaign's first working day) marks the demo as loaded.
        plans[0].filed_on = dt.date(2015, 1, 5)
        sequence = 0
        for plan in sorted(plans, key=lambda p: p.filed_on):
            if plan is plans[0]:
                plan.legacy_number, sequence = MARKER_NUMBER, 86
                continue
            sequence = max(sequence + rng.randint(3, 40), plan.filed_on.timetuple().tm_yday * 11)
            plan.legacy_number = f"(2015)杭下执民字第{sequence}号"

        # 2016–2023: mostly concluded, a few long-running cases and four resumptions.
        rotating = [Closure.TERMINATED, Closure.NOT_ENFORCED, Closure.WITHDRAWN, Closure.REJECTED]
        resumptions = {
            2016: (dt.date(2019, 4, 8), Closure.PERFORMED),
            2018: (dt.date(2022, 3, 14), Closure.TERMINATED_FOR_NOW),
            2020: _resume_at(today, 700, IN_PROGRESS),
            2021: _resume_at(today, 40, IN_PROGRESS),
        }
        for year in range(2016, 2024):
            fates = [Closure.PERFORMED] * 4 + [Closure.TERMINATED_FOR_NOW] * 3
            fates.append(rotating[year % 4])
            for index, fate in enumerate(fates):
                filed = day_in(dt.date(year, 1, 4), dt.date(year, 12, 20))
                extras = set()
                if index == 0 and year % 2:
                    extras.add("detention")
                if index == 1 and year in (2017, 2020):
                    extras.add("fine_person")
                if index == 2 and year in (2019, 2022):
                    extras.add("fine_org")
                if index == 4:
                    extras.add("objection_dismissed")
                if index in (4, 5) or rng.random() < 0.3:
                    extras.add("field")
                plan = Plan(filed, self._category(), fate, extras=frozenset(extras))
                if index == 4 and year in resumptions:
                    plan.resume = resumptions[year]
                plans.append(plan)
        plans.append(
            Plan(dt.date(2019, 8, 12), Category.OTHER, SUSPENDED, extras=frozenset({"field"}))
        )
        plans.append(Plan(dt.date(2021, 5, 20), Category.FINANCIAL, SUSPENDED))
        plans.append(
            Plan(
                dt.date(2023, 10, 9),
                Category.FINANCIAL,
                IN_PROGRESS,
                kind=LIT,
                extras=frozenset(
                    {"extension_approved", "consult_stale", "objection_sustained", "field"}
                ),
            )
        )

        # About two and a half to two years ago.
        start, end = _add_days(today, -1060), _add_days(today, -700)
        for fate in (
            [Closure.PERFORMED] * 6
            + [Closure.TERMINATED_FOR_NOW] * 4
            + [
                Closure.TERMINATED,
                Closure.REJECTED,
                SUSPENDED,
                IN_PROGRESS,
            ]
        ):
            extras = {"field"} if rng.random() < 0.4 else set()
            if fate == IN_PROGRESS:
                extras |= {"consult_recent", "extension_approved"}
            plans.append(Plan(day_in(start, end), self._category(), fate, extras=frozenset(extras)))

        # The last two years: most of the open work.
        start, end = _add_days(today, -690), _add_days(today, -330)
        fates = (
            [Closure.PERFORMED] * 13
            + [Closure.TERMINATED_FOR_NOW] * 8
            + [Closure.WITHDRAWN, Closure.NOT_ENFORCED, Closure.TERMINATED]
            + [IN_PROGRESS] * 4
            + [SUSPENDED] * 2
        )
        for index, fate in enumerate(fates):
            extras = {"field"} if rng.random() < 0.4 else set()
            if index == 0:
                extras.add("fine_person")
            if index == 13:
                extras.add("detention")
            if fate == IN_PROGRESS:
                extras.add("consult_recent" if index % 2 else "consult_stale")
            if index == len(fates) - 4:
                extras |= {"extension_rejected", "objection_dismissed"}
            if index == len(fates) - 5:
                extras.add("shared_company")
            plans.append(Plan(day_in(start, end), self._category(), fate, extras=frozenset(extras)))
        # Cases for the joint meeting (overdue, difficult).
        plans.append(
            Plan(
                _add_days(today, -420),
                Category.FINANCIAL,
                IN_PROGRESS,
                kind=LIT,
                flags=(Flag.LARGE_DISPOSAL, Flag.MAJOR),
                amount=Decimal("12860000.00"),
                extras=frozenset({"consult_recent", "field", "photo", "extension_approved"}),
            )
        )
        plans.append(
            Plan(
                _add_days(today, -380),
                Category.LIVELIHOOD,
                IN_PROGRESS,
                kind=LIT,
                flags=(Flag.STABILITY_RISK,),
                amount=Decimal("1463500.00"),
                extras=frozenset({"consult_recent", "wages_many", "field", "fine_org"}),
            )
        )
        plans.append(
            Plan(
                _add_days(today, -350),
                Category.OTHER,
                IN_PROGRESS,
                kind=LIT,
                flags=(Flag.DIFFICULT,),
                extras=frozenset({"consult_stale", "objection_overdue"}),
            )
        )

        # This year: fresh filings, cases due soon, cases due a consultation, quick closures.
        for _ in range(6):
            plans.append(Plan(_add_days(today, -rng.randint(0, 4)), self._category(), FILED))
        for index in range(12):
            extras = {"field"} if index % 3 == 0 else set()
            if index == 0:
                extras.add("objection_pending")
            if index == 1:
                extras |= {"detention", "detention_unapproved"}
            plans.append(
                Plan(
                    _add_days(today, -rng.randint(7, 85)),
                    self._category(),
                    IN_PROGRESS,
                    extras=frozenset(extras),
                )
            )
        six_months_ago = deadlines.add_months(today, -6)
        for index in range(8):  # due within the next 30 days
            extras = {"consult_recent"} if index % 2 else {"field"}
            if index == 3:
                extras.add("extension_pending")
            plans.append(
                Plan(
                    _add_days(six_months_ago, rng.randint(1, 28)),
                    self._category(),
                    IN_PROGRESS,
                    kind=LIT,
                    extras=frozenset(extras),
                )
            )
        for index in range(8):  # more than three months open
            extras = {"consult_recent"} if index % 2 else set()
            if index == 2:
                extras.add("disposal_small")
            if index == 5:
                extras.add("photo")
            plans.append(
                Plan(
                    _add_days(today, -rng.randint(98, 150)),
                    self._category(),
                    IN_PROGRESS,
                    kind=LIT,
                    flags=(Flag.HIGH_IMPACT,) if index == 4 else (),
                    extras=frozenset(extras),
                )
            )
        for _ in range(3):  # non-litigation instruments: a three-month limit, already past
            plans.append(
                Plan(
                    _add_days(today, -rng.randint(110, 200)),
                    Category.FINANCIAL,
                    IN_PROGRESS,
                    kind=NON_LIT,
                    extras=frozenset({"consult_stale"}),
                )
            )
        for _ in range(4):  # preservation (执保)
            plans.append(
                Plan(
                    _add_days(today, -rng.randint(5, 60)),
                    self._category(),
                    IN_PROGRESS,
                    kind=LIT,
                    type_code=TypeCode.PRESERVATION,
                )
            )
        for index in range(2):
            plans.append(
                Plan(
                    _add_days(today, -rng.randint(40, 200)),
                    self._category(),
                    SUSPENDED,
                    extras=frozenset({"unsuspend"} if index else ()),
                )
            )
        for fate, oldest, youngest in (
            *[(Closure.PERFORMED, 300, 25)] * 10,
            *[(Closure.TERMINATED_FOR_NOW, 320, 110)] * 4,
            (Closure.WITHDRAWN, 120, 15),
            (Closure.REJECTED, 150, 30),
        ):
            filed = _add_days(today, -rng.randint(youngest, oldest))
            plans.append(Plan(filed, self._category(), fate))
        return plans

    def _category(self) -> str:
        return self.rng.choices(
            [Category.LIVELIHOOD, Category.FINANCIAL, Category.IP, Category.OTHER],
            weights=[30, 36, 10, 24],
        )[0]

    # --- filing -------------------------------------------------------------------------------

    def parties(self, plan: Plan) -> tuple[list[Party], list[Party], Decimal, str]:
        """Applicants, respondents, amount and the kind of dispute, by category."""
        rng, filed = self.rng, plan.filed_on

        def money(low: int, high: int, cents: bool = False) -> Decimal:
            value = Decimal(rng.randint(low, high) // 100 * 100)
            return value + (Decimal(rng.randint(0, 99)) / 100 if cents else 0)

        if plan.category == Category.LIVELIHOOD:
            scenario = (
                "wages_many"
                if "wages_many" in plan.extras
                else rng.choice(("wages", "wages", "support", "accident", "injury"))
            )
            if scenario.startswith("wages"):
                workers = 3 if scenario == "wages_many" else rng.randint(1, 3)
                applicants = [self.people.person(adult_by=filed) for _ in range(workers)]
                respondents = [self.people.person(adult_by=filed)]
                if rng.random() < 0.5 or scenario == "wages_many":
                    respondents.insert(0, self.people.company())
                return applicants, respondents, money(8000 * workers, 45000 * workers), "劳动报酬"
            if scenario == "support":
                return (
                    [self.people.person(adult_by=filed)],
                    [self.people.person(adult_by=filed)],
                    money(12000, 80000),
                    rng.choice(("抚养费", "赡养费")),
                )
            respondents = [self.people.person(adult_by=filed)]
            if rng.random() < 0.3:
                respondents.append(self.people.company())
            label = "机动车交通事故责任" if scenario == "accident" else "人身损害赔偿"
            return (
                [self.people.person(adult_by=filed)],
                respondents,
                money(30000, 400000, True),
                label,
            )
        if plan.category == Category.FINANCIAL:
            scenario = rng.choice(("loan", "loan", "card", "micro"))
            if scenario == "card":
                return (
                    [self.people.lender(rng.choice(CARD_ISSUERS))],
                    [self.people.person(adult_by=filed)],
                    money(15000, 120000, True),
                    "信用卡",
                )
            if scenario == "micro":
                return (
                    [self.people.lender(rng.choice(MICRO_LENDERS))],
                    [self.people.person(adult_by=filed), self.people.person(adult_by=filed)],
                    money(100000, 2000000, True),
                    "小额借款合同",
                )
            respondents = [self.people.company(), self.people.person(adult_by=filed)]
            if rng.random() < 0.4:
                respondents.append(self.people.company())
            return (
                [self.people.lender(rng.choice(LENDERS))],
                respondents,
                money(500000, 15000000, True),
                "金融借款合同",
            )
        if plan.category == Category.IP:
            respondent = self.people.shop() if rng.random() < 0.5 else self.people.company()
            respondents = [respondent]
            if respondent.id_number.startswith("92"):
                respondents.append(self.people.person(adult_by=filed))
            label = rng.choice(("侵害商标权", "侵害著作权", "不正当竞争"))
            return [self.people.company()], respondents, money(20000, 600000), label
        scenario = rng.choice(("sale", "private_loan", "lease", "property_fee"))
        if scenario == "sale":
            respondents = [self.people.company()]
            if rng.random() < 0.5:
                respondents.append(self.people.person(adult_by=filed))
            return [self.people.company()], respondents, money(50000, 3000000, True), "买卖合同"
        if scenario == "private_loan":
            return (
                [self.people.person(adult_by=filed)],
                [self.people.person(adult_by=filed)],
                money(50000, 1500000),
                "民间借贷",
            )
        if scenario == "lease":
            return (
                [self.people.person(adult_by=filed)],
                [self.people.company()],
                money(20000, 300000),
                "房屋租赁合同",
            )
        return (
            [self.people.company()],
            [self.people.person(adult_by=filed)],
            money(3000, 20000, True),
            "物业服务合同",
        )

    def instrument(self, plan: Plan, kind: str, dispute: str) -> tuple[str, str, dt.date]:
        rng = self.rng
        effective = _add_days(plan.filed_on, -rng.randint(15, 120))
        year = _add_days(effective, -rng.randint(30, 200)).year
        for _ in range(50):
            n = rng.randint(100, 9800)
            if kind == NON_LIT:
                if plan.category == Category.LIVELIHOOD:
                    body, number = (
                        "杭州市下城区劳动人事争议仲裁委员会",
                        f"下劳人仲案字〔{year}〕第{n}号",
                    )
                elif plan.category == Category.FINANCIAL and rng.random() < 0.6:
                    body, number = "浙江省杭州市钱塘公证处", f"({year})浙杭钱证内字第{n}号"
                else:
                    body, number = "杭州仲裁委员会", f"({year})杭仲裁字第{n}号"
            elif plan.category == Category.IP and year >= 2018 and rng.random() < 0.5:
                body, number = "杭州互联网法院", f"({year})浙0192民初{n}号"
            elif rng.random() < 0.2 or plan.category == Category.IP:
                body = "杭州市中级人民法院"
                number = f"({year})浙杭民终字第{n}号" if year < 2016 else f"({year})浙01民终{n}号"
            else:
                body = "杭州市下城区人民法院"
                number = f"({year})杭下民初字第{n}号" if year < 2016 else f"({year})浙0103民初{n}号"
            if number not in self.instruments:
                self.instruments.add(number)
                return body, number, effective
        raise RuntimeError("could not find an unused instrument number")

    def file(self, plan: Plan) -> Filed:
        rng = self.rng
        applicants, respondents, amount, dispute = self.parties(plan)
        if "shared_company" in plan.extras:
            respondents.append(self.people.shared_company())
        kind = plan.kind or (NON_LIT if rng.random() < 0.18 else LIT)
        if plan.fate == Closure.NOT_ENFORCED:
            kind = NON_LIT  # 不予执行 concerns arbitral awards and notarised debts
        body, number, effective = self.instrument(plan, kind, dispute)
        assistants = [self.clerk] + ([self.police] if rng.random() < 0.3 else [])
        if self.investigator is not None and rng.random() < 0.2:
            assistants.append(self.investigator)
        case = services.file_case(
            court=self.court,
            user=self.judge,
            type_code=plan.type_code,
            category=plan.category,
            issuing_body=body,
            instrument_number=number,
            instrument_effective_on=effective,
            instrument_kind=kind,
            amount_to_enforce=plan.amount or amount,
            filed_on=plan.filed_on,
            judge=self.judge,
            assistants=assistants,
            parties=[self.people.payee(p) for p in applicants]
            + [services.PartyRole(party=p, role=RESPONDENT) for p in respondents],
            flags=plan.flags,
            legacy_number=plan.legacy_number,
        )
        item = Filed(
            case=case,
            plan=plan,
            persons=[p for p in respondents if p.kind == Party.Kind.PERSON],
            organisations=[p for p in respondents if p.kind == Party.Kind.ORGANISATION],
            applicants=applicants,
            dispute=dispute,
        )
        self.progress(item)
        return item

    def resume(self, original: Filed) -> Filed:
        resume_on, fate = original.plan.resume
        case = services.resume_case(
            case=original.case,
            user=self.judge,
            reason="申请执行人提供被执行人新的财产线索（名下新登记车辆及银行账户），申请恢复执行。",
            filed_on=resume_on,
        )
        plan = replace(
            original.plan,
            filed_on=resume_on,
            fate=fate,
            close_on=None,
            resume=None,
            type_code=TypeCode.RESUMED,
            extras=frozenset({"field", "consult_recent"}),
        )
        item = replace(original, case=case, plan=plan)
        self.progress(item)
        return item

    # --- the life of a case -------------------------------------------------------------------

    def close_date(self, plan: Plan) -> dt.date:
        if plan.close_on:
            return plan.close_on
        rng, filed = self.rng, plan.filed_on
        if plan.fate == Closure.TERMINATED_FOR_NOW:
            day = _add_days(deadlines.add_months(filed, 3), rng.randint(5, 80))
        else:
            low, high = {
                Closure.PERFORMED: (15, 160),
                Closure.TERMINATED: (30, 200),
                Closure.NOT_ENFORCED: (20, 90),
                Closure.WITHDRAWN: (5, 30),
                Closure.REJECTED: (10, 60),
            }[plan.fate]
            day = _add_days(filed, rng.randint(low, high))
        return min(day, _add_days(self.today, -1))

    def progress(self, item: Filed) -> None:
        rng, plan, case = self.rng, item.plan, item.case
        if plan.fate == FILED:
            return
        concluded = plan.fate not in OPEN_FATES
        end = self.close_date(plan) if concluded else self.today
        filed = plan.filed_on

        def step(milestone: str, offset: int) -> dt.date | None:
            on = min(_add_days(filed, offset), end)
            services.record_milestone(case=case, user=self.judge, milestone=milestone, on=on)
            return on

        if plan.fate in (Closure.WITHDRAWN, Closure.REJECTED):
            if rng.random() < 0.5:
                step("execution_notice_sent_on", 1)
            self.close(item, end)
            return
        notice = rng.randint(0, 3)
        step("execution_notice_sent_on", notice)
        step("asset_report_ordered_on", notice)
        zhongben = plan.fate == Closure.TERMINATED_FOR_NOW
        if zhongben or rng.random() < 0.6:
            step("property_investigation_done_on", rng.randint(3, 25))
        if zhongben or "blacklist" in plan.extras or rng.random() < 0.25:
            step("consumption_restriction_on", rng.randint(8, 40))
            if "blacklist" in plan.extras or (zhongben and rng.random() < 0.7):
                blacklisted = rng.randint(20, 70)
                if plan.close_on and plan.close_on.year == 2015 and plan.close_on.month >= 6:
                    # listed during the financial campaign
                    blacklisted = max((dt.date(2015, 6, 2) - filed).days, 20)
                    blacklisted = min(blacklisted, (end - filed).days)
                step("blacklisted_on", blacklisted)
            else:
                services.record_no_blacklist_grounds(case=case, user=self.judge)
        if zhongben:
            step("debtor_search_done_on", rng.randint(30, 85))

        self.measures(item, end)
        self.field_work(item, end)
        self.consultations(item, end)
        self.extensions(item, end)
        self.objections(item, end)
        if "disposal_small" in plan.extras:
            services.order_disposal(
                case=case,
                user=self.judge,
                description=f"被执行人名下小型轿车一辆（浙A·{self._plate()}），委托网络司法拍卖",
                amount=Decimal("186000.00"),
            )
        if plan.fate == Closure.PERFORMED or (zhongben and rng.random() < 0.4):
            self.performance(item, end, full=plan.fate == Closure.PERFORMED)
        elif plan.fate == IN_PROGRESS and rng.random() < 0.3:
            self.performance(item, end, full=False)
        if plan.fate == SUSPENDED:
            services.set_suspended(
                case=case, user=self.judge, suspended=True, reason=rng.choice(SUSPEND_REASONS)
            )
            if "unsuspend" in plan.extras:
                services.set_suspended(
                    case=case,
                    user=self.judge,
                    suspended=False,
                    reason="破产重整计划已执行完毕，恢复执行。",
                )
                services.set_suspended(
                    case=case,
                    user=self.judge,
                    suspended=True,
                    reason="案外人对执行标的提出书面异议，中止对该标的的处分。",
                )
        if concluded:
            self.close(item, end)

    def close(self, item: Filed, on: dt.date) -> None:
        mode = item.plan.fate
        services.close_case(
            case=item.case,
            user=self.judge,
            mode=mode,
            reason=self.rng.choice(CLOSURE_REASONS[mode]).format(dispute=item.dispute),
            on=on,
        )

    def performance(self, item: Filed, end: dt.date, *, full: bool) -> None:
        case = EnforcementCase.objects.get(pk=item.case.pk)
        outstanding = case.outstanding
        if not full:
            outstanding = (outstanding * Decimal(self.rng.randint(5, 35)) / 100).quantize(
                Decimal("0.01")
            )
        parts = 1 if outstanding < 50000 or not full else self.rng.randint(1, 3)
        for index in range(parts):
            amount = (
                outstanding - (outstanding // parts) * (parts - 1)
                if index == parts - 1
                else outstanding // parts
            )
            if amount > 0:
                services.record_performance(
                    case=case, user=self.judge, amount=amount, note=self.rng.choice(PAYMENT_NOTES)
                )

    def measures(self, item: Filed, end: dt.date) -> None:
        rng, plan, case = self.rng, item.plan, item.case
        filed = plan.filed_on

        def decided(low: int, high: int) -> dt.date:
            on = _add_days(filed, rng.randint(low, high))
            if plan.close_on and plan.close_on.year == 2015 and plan.category == Category.FINANCIAL:
                on = max(on, dt.date(2015, 6, 2))  # during the financial campaign
            return min(on, end, self.today)

        if "detention" in plan.extras and item.persons:
            subject = item.persons[0]
            days = rng.choice((5, 7, 10, 15, 15))
            measure = services.decide_measure(
                case=case,
                user=self.judge,
                kind=CoerciveMeasure.Kind.DETENTION,
                subject=subject,
                reason=(
                    f"被执行人{subject.name}有履行能力而拒不履行生效法律文书确定的义务，"
                    f"且拒不报告财产，依法决定司法拘留{days}日。"
                ),
                decided_on=decided(8, 25),
                detention_days=days,
            )
            if "detention_unapproved" not in plan.extras:
                services.approve_measure(user=self.president, measure=measure)
                services.record_family_notice(
                    measure=measure, user=self.judge, notified_at=timezone.now()
                )
                if "detention_review" in plan.extras:
                    services.record_review(
                        measure=measure,
                        user=self.judge,
                        requested_on=_add_days(measure.decided_on, 2),
                        decided_on=_add_days(measure.decided_on, 6),
                    )
        if "fine_person" in plan.extras and item.persons:
            subject = item.persons[-1]
            measure = services.decide_measure(
                case=case,
                user=self.judge,
                kind=CoerciveMeasure.Kind.FINE,
                subject=subject,
                reason=f"被执行人{subject.name}转移已被查封的财产，妨碍执行，依法予以罚款。",
                decided_on=decided(20, 60),
                fine_amount=Decimal(rng.choice((10000, 20000, 30000, 50000))),
            )
            services.approve_measure(user=self.president, measure=measure)
        if "fine_org" in plan.extras and item.organisations:
            subject = item.organisations[0]
            measure = services.decide_measure(
                case=case,
                user=self.judge,
                kind=CoerciveMeasure.Kind.FINE,
                subject=subject,
                reason=f"{subject.name}拒不协助查询、扣划存款，依法对该单位予以罚款。",
                decided_on=decided(20, 60),
                fine_amount=Decimal(rng.choice((50000, 100000, 200000))),
            )
            services.approve_measure(user=self.president, measure=measure)
        if "police" in plan.extras and item.persons:
            subject = item.persons[0]
            services.decide_measure(
                case=case,
                user=self.judge,
                kind=CoerciveMeasure.Kind.POLICE_TRANSFER,
                subject=subject,
                reason=(
                    f"被执行人{subject.name}对人民法院的判决有能力执行而拒不执行，情节严重，"
                    "涉嫌拒不执行判决、裁定罪（刑法第三百一十三条），移送公安机关立案侦查。"
                ),
                decided_on=decided(100, 140),
            )

    def field_work(self, item: Filed, end: dt.date) -> None:
        rng, plan = self.rng, item.plan
        if "field" not in plan.extras and "photo" not in plan.extras:
            return
        last = min(end, _add_days(self.today, -1))
        if last <= plan.filed_on:
            return
        respondent = (item.persons or item.organisations)[0]
        for index in range(rng.randint(1, 2)):
            kind = rng.choice(list(FieldAction.Kind.values))
            if "photo" in plan.extras and index == 0:
                kind = FieldAction.Kind.SEIZURE
            day = _add_days(plan.filed_on, rng.randint(1, max((last - plan.filed_on).days, 1)))
            at = timezone.make_aware(
                dt.datetime.combine(min(day, last), dt.time(rng.randint(8, 20), rng.randint(0, 59)))
            )
            photos = []
            if "photo" in plan.extras and index == 0:
                photos = [self._photo(kind) for _ in range(2)]
            officer = (
                self.police
                if kind in (FieldAction.Kind.SEARCH, FieldAction.Kind.SEIZURE)
                else self.judge
            )
            services.record_field_action(
                user=officer,
                case=item.case,
                kind=kind,
                occurred_at=at,
                place=respondent.address or self.people.address(),
                participants=f"{self.judge.display_name}、{self.police.display_name}、"
                f"被执行人{respondent.name}",
                notes=FIELD_NOTES[kind].format(name=respondent.name, plate=self._plate()),
                latitude=Decimal(f"30.{rng.randint(262000, 331000)}"),
                longitude=Decimal(f"120.{rng.randint(142000, 205000)}"),
                photos=photos,
            )

    def consultations(self, item: Filed, end: dt.date) -> None:
        rng, plan = self.rng, item.plan
        three_months = deadlines.add_months(plan.filed_on, 3)
        if three_months >= end:
            return
        participants = [self.judge, self.section, self.chief]
        held: list[dt.date] = []
        if plan.fate not in OPEN_FATES:
            held.append(min(_add_days(three_months, rng.randint(1, 12)), end))
        else:
            stale_limit = deadlines.consultation_threshold(self.today)
            if "consult_stale" in plan.extras or "consult_recent" in plan.extras:
                first = _add_days(three_months, rng.randint(1, 12))
                if first < stale_limit:
                    held.append(first)
            if "consult_recent" in plan.extras:
                recent = _add_days(self.today, -rng.randint(3, 70))
                if recent > three_months and (not held or recent > held[-1]):
                    held.append(recent)
        for day in held:
            services.record_consultation(
                case=item.case,
                user=self.judge,
                held_on=day,
                participants=participants,
                findings=rng.choice(CONSULT_FINDINGS),
                next_steps=rng.choice(CONSULT_NEXT_STEPS),
                follow_up_due=_add_days(day, 30),
            )

    def extensions(self, item: Filed, end: dt.date) -> None:
        plan, case = item.plan, item.case
        due = case.due_on
        wanted = None
        if plan.fate not in OPEN_FATES and due < end <= deadlines.add_months(due, 3):
            wanted = "approved"
        for extra in ("extension_approved", "extension_pending", "extension_rejected"):
            if extra in plan.extras:
                wanted = extra.split("_")[1]
        if wanted is None:
            return
        extension = services.request_extension(
            case=case,
            user=self.judge,
            months=3,
            reason="被执行人名下房产已查封，正在评估拍卖，需延长执行期限。",
        )
        if wanted != "pending":
            services.decide_extension(
                user=self.president,
                extension=extension,
                approve=wanted == "approved",
                note="同意延长三个月。" if wanted == "approved" else "理由不充分，不予批准。",
            )

    def objections(self, item: Filed, end: dt.date) -> None:
        rng, plan, case = self.rng, item.plan, item.case
        wanted = [extra for extra in plan.extras if extra.startswith("objection_")]
        if not wanted:
            return
        ruling = wanted[0].removeprefix("objection_")
        if ruling == "overdue":
            filed_on = _add_days(self.today, -rng.randint(22, 30))
        elif ruling == "pending":
            filed_on = _add_days(self.today, -rng.randint(2, 6))
        else:
            filed_on = min(_add_days(plan.filed_on, rng.randint(20, 60)), _add_days(end, -16))
            filed_on = max(filed_on, plan.filed_on)
        outsider = rng.random() < 0.5 or not item.persons
        objector = None if outsider else item.persons[0]
        objection = services.file_objection(
            case=case,
            user=self.judge,
            objector_name=self.people.name(True) if outsider else objector.name,
            objector_party=objector,
            contested_act=rng.choice(CONTESTED_ACTS).format(road=rng.choice(ROADS)),
            filed_on=filed_on,
        )
        if ruling in ("sustained", "dismissed"):
            services.rule_on_objection(
                objection=objection,
                user=self.judge,
                ruling=Objection.Ruling.SUSTAINED
                if ruling == "sustained"
                else Objection.Ruling.DISMISSED,
                reason=OBJECTION_REASONS[ruling],
                ruled_on=_add_days(filed_on, rng.randint(7, 14)),
            )

    # --- meetings, travel ----------------------------------------------------------------------

    def meetings(self) -> None:
        with acting_as(self.chief):
            self._meetings()

    def _meetings(self) -> None:
        flagged = {
            flag: item.case
            for item in self.filed
            for flag in item.plan.flags
            if item.plan.fate == IN_PROGRESS
        }
        attendees = [self.chief, self.section, self.judge, self.police]
        past = services.convene_meeting(
            court=self.court,
            user=self.chief,
            held_on=_add_days(self.today, -40),
            attendees=attendees,
        )
        items = [
            (
                Flag.LARGE_DISPOSAL,
                "拍卖被执行人名下位于杭州市下城区的商业用房（评估价约635万元）",
                MeetingDecision.Decision.APPROVED,
                (4, 0, 0),
                Decimal("6500000.00"),
                "评估程序合法，申请执行人与被执行人均无异议，同意网络司法拍卖，起拍价按评估价七折确定。",
            ),
            (
                Flag.STABILITY_RISK,
                "四十余名农民工追索劳动报酬，拟同意被执行人分期履行方案",
                MeetingDecision.Decision.APPROVED,
                (3, 1, 0),
                None,
                "涉众案件，须防范群体性事件；同意分三期履行，首期春节前到位，由社区和劳动监察部门配合。",
            ),
            (
                Flag.DIFFICULT,
                "案外人主张房屋系其实际所有，是否继续处分该房产",
                MeetingDecision.Decision.DEFERRED,
                (1, 1, 2),
                None,
                "权属争议尚待另案审理，暂缓讨论，待补充不动产登记及购房款支付材料后再议。",
            ),
            (
                Flag.HIGH_IMPACT,
                "拟对该案终结本次执行程序",
                MeetingDecision.Decision.REJECTED,
                (1, 3, 0),
                None,
                "媒体关注度高，财产调查尚不彻底，须补充对被执行人配偶名下财产及对外债权的调查。",
            ),
        ]
        for flag, matter, decision, (yes, no, abstain), amount, discussion in items:
            case = flagged.get(flag)
            if case is None:
                continue
            item = services.put_on_agenda(meeting=past, case=case, user=self.chief, matter=matter)
            services.record_meeting_decision(
                item=item,
                user=self.chief,
                decision=decision,
                discussion=discussion,
                votes_for=yes,
                votes_against=no,
                abstentions=abstain,
                approved_amount=amount,
            )
            if flag == Flag.LARGE_DISPOSAL:
                services.order_disposal(
                    case=case,
                    user=self.judge,
                    description="被执行人名下杭州市下城区中山北路商业用房一套，网络司法拍卖",
                    amount=Decimal("6350000.00"),
                )
        with acting_as(self.section):
            self._upcoming_meeting(flagged)

    def _upcoming_meeting(self, flagged: dict) -> None:
        upcoming = services.convene_meeting(
            court=self.court,
            user=self.section,
            held_on=_add_days(self.today, 6),
            attendees=[self.chief, self.section, self.judge],
        )
        if Flag.MAJOR in flagged:
            services.put_on_agenda(
                meeting=upcoming,
                case=flagged[Flag.MAJOR],
                user=self.section,
                matter="被执行人申请以物抵债，是否同意以其持有的股权抵偿部分债务",
            )

    def travel(self) -> None:
        open_cases = [
            item.case for item in self.filed if item.case.is_open and item.plan.fate == IN_PROGRESS
        ]
        travellers = [self.judge, self.police]
        trips = [
            (
                "温州市鹿城区",
                "赴温州查封被执行人名下房产并送达执行裁定书",
                -21,
                -20,
                "approved",
                [("train", "G7501", -21, "169.50"), ("train", "G7530", -20, "169.50")],
            ),
            (
                "深圳市南山区",
                "赴深圳冻结被执行人在第三方支付平台的资金并询问其下落",
                -9,
                -7,
                "approved",
                [("flight", "781-", -9, "1130.00"), ("flight", "999-", -7, "980.00")],
            ),
            ("上海市浦东新区", "赴上海协助查封被执行人持有的车辆", 5, 5, "approved", []),
            ("合肥市蜀山区", "赴合肥调查被执行人对外到期债权", 12, 13, "requested", []),
            ("三亚市天涯区", "赴三亚查找被执行人下落", 20, 24, "rejected", []),
        ]
        for index, (place, purpose, depart, back, decision, tickets) in enumerate(trips):
            case = open_cases[(index * 7) % len(open_cases)]
            trip = services.request_travel(
                case=case,
                user=self.judge,
                destination=place,
                purpose=purpose,
                depart_on=_add_days(self.today, depart),
                return_on=_add_days(self.today, back),
                travellers=travellers,
            )
            if decision == "requested":
                continue
            services.decide_travel(user=self.chief, travel=trip, approve=decision == "approved")
            for mode, code, day, price in tickets:
                for traveller in travellers:
                    reference = (
                        f"E{self.rng.randrange(10**9):09d} {code}"
                        if mode == "train"
                        else f"{code}{self.rng.randrange(10**10):010d}"
                    )
                    services.record_ticket(
                        user=self.clerk,
                        travel=trip,
                        traveller=traveller,
                        mode=Ticket.Mode(mode),
                        reference=reference,
                        travel_on=_add_days(self.today, day),
                        price=Decimal(price),
                    )

    # --- small things --------------------------------------------------------------------------

    def _plate(self) -> str:
        return "".join(self.rng.choice(PLATES) for _ in range(5))

    def _photo(self, kind: str) -> SimpleUploadedFile:
        from PIL import Image, ImageDraw

        self.photo_count += 1
        rng = self.rng
        image = Image.new("RGB", (320, 240), (rng.randint(150, 210),) * 3)
        draw = ImageDraw.Draw(image)
        draw.rectangle((40, 110, 280, 190), fill=(rng.randint(20, 200), 40, 60))
        draw.rectangle((90, 70, 230, 115), fill=(60, 90, rng.randint(120, 220)))
        for x in (85, 235):
            draw.ellipse((x - 22, 170, x + 22, 214), fill=(25, 25, 25))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)
        return SimpleUploadedFile(
            f"{kind}-{self.photo_count}.jpg", buffer.getvalue(), content_type="image/jpeg"
        )


def _resume_at(today: dt.date, days_ago: int, fate: str) -> tuple[dt.date, str]:
    return _add_days(today, -days_ago), fate


def _designated_ticket_clerk(clerk: User) -> User:
    """The clerk who buys tickets for everyone's trips (统一购票)."""
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="enforcement", codename="buy_tickets")
    )
    return User.objects.get(pk=clerk.pk)  # a fresh object: permissions are cached per object


def _load_other_court(court: Court, judge: User, today: dt.date) -> int:
    """A few cases of 上城 (浙0102): visible to its own staff only."""
    people = _People(court, random.Random(SEED + 102))

    def person() -> Party:
        return people.person(adult_by=today)

    shared = people.shared_company()  # also a respondent in a case of 下城
    bank = people.organisation("杭州银行股份有限公司上城支行", region="330102")
    cases = [
        (
            "financial",
            OTHER_COURT_MARKER,
            _add_days(today, -200),
            bank,
            [shared, person()],
            Decimal("2386000.00"),
            "金融借款合同",
        ),
        (
            "livelihood",
            "(2025)浙0102民初5127号",
            _add_days(today, -330),
            person(),
            [shared],
            Decimal("46800.00"),
            "劳动报酬",
        ),
        (
            "other",
            "(2026)浙0102民初1466号",
            _add_days(today, -3),
            person(),
            [person()],
            Decimal("152000.00"),
            "民间借贷",
        ),
    ]
    for category, instrument, filed_on, applicant, respondents, amount, _label in cases:
        case = services.file_case(
            court=court,
            user=judge,
            type_code=TypeCode.FIRST,
            category=category,
            issuing_body="杭州市上城区人民法院",
            instrument_number=instrument,
            instrument_effective_on=_add_days(filed_on, -40),
            instrument_kind=LIT,
            amount_to_enforce=amount,
            filed_on=filed_on,
            judge=judge,
            parties=[people.payee(applicant)]
            + [services.PartyRole(party=p, role=RESPONDENT) for p in respondents],
        )
        if category == "other":
            continue
        services.record_milestone(
            case=case, user=judge, milestone="execution_notice_sent_on", on=_add_days(filed_on, 2)
        )
        if category == "livelihood":
            services.record_performance(
                case=case, user=judge, amount=amount, note="被执行人当庭履行"
            )
            services.close_case(
                case=case,
                user=judge,
                mode=Closure.PERFORMED,
                reason="被执行人已全部履行劳动报酬支付义务。",
                on=_add_days(filed_on, 35),
            )
    return len(cases)


# --- Texts -------------------------------------------------------------------------------------

SUSPEND_REASONS = (
    "被执行人（企业）已进入破产重整程序，本案中止执行。",
    "案外人对执行标的提出确有理由的异议，中止执行。",
    "申请执行人书面表示可以延期执行。",
    "作为一方当事人的公民死亡，需要等待继承人继承权利或者承担义务。",
)
PAYMENT_NOTES = (
    "被执行人通过本院执行款专户缴纳执行款",
    "扣划被执行人银行存款",
    "被执行人直接向申请执行人支付，申请执行人书面确认",
    "网络司法拍卖成交价款到账",
)
CLOSURE_REASONS = {
    Closure.PERFORMED: (
        "被执行人已全部履行生效法律文书确定的{dispute}纠纷给付义务，申请执行人确认收到全部执行款。",
        "经扣划及拍卖，执行款已全部到账并发放申请执行人，本案执行完毕。",
        "双方当事人达成执行和解协议并已履行完毕。",
    ),
    Closure.TERMINATED_FOR_NOW: (
        "经网络执行查控系统对被执行人名下存款、车辆、不动产、证券、网络资金等财产进行查询，"
        "并经传统查控，未发现可供执行的财产；已发出限制消费令，申请执行人同意终结本次执行程序。",
        "已穷尽财产调查措施，被执行人暂无可供执行财产，已约谈申请执行人并告知恢复执行的权利，"
        "终结本次执行程序。",
    ),
    Closure.TERMINATED: (
        "申请执行人撤回执行申请，终结执行。",
        "作为被执行人的公民死亡，无遗产可供执行，又无义务承担人，终结执行。",
        "被执行人（企业）经人民法院裁定宣告破产，终结执行。",
    ),
    Closure.NOT_ENFORCED: (
        "经审查，仲裁裁决所根据的证据是伪造的，裁定不予执行。",
        "公证债权文书确有错误，裁定不予执行。",
    ),
    Closure.WITHDRAWN: (
        "立案后发现系重复立案，予以销案。",
        "本案已由其他法院立案执行，予以销案。",
    ),
    Closure.REJECTED: (
        "申请执行超过法定申请执行期间，被执行人提出异议成立，裁定驳回执行申请。",
        "申请执行人主体不适格，裁定驳回执行申请。",
    ),
}
CONSULT_FINDINGS = (
    "被执行人名下银行账户余额合计不足千元，无不动产、车辆登记；被执行人长期下落不明。",
    "被执行人名下有车辆一辆已查封，尚未控制到车辆实物；另有对外到期债权线索待核实。",
    "被执行人名下房产设有银行抵押，评估价值与抵押债权大致相当，处置后可能无剩余价值。",
    "被执行人经营困难，有履行意愿，提出分期履行方案，申请执行人尚未同意。",
)
CONSULT_NEXT_STEPS = (
    "继续网络查控，申请公安机关协助查找被执行人下落；约谈申请执行人提供财产线索。",
    "纳入车辆布控，由第三方保管单位配合扣押车辆；向第三人发出履行到期债务通知书。",
    "与抵押权人协调处置顺序，评估后启动网络司法拍卖。",
    "组织双方调解，促成执行和解；对被执行人发出限制消费令。",
)
FIELD_NOTES = {
    FieldAction.Kind.VISIT: "至被执行人{name}住所地走访，被执行人不在家，向社区工作人员了解情况，"
    "留置执行通知书及报告财产令。",
    FieldAction.Kind.SEARCH: "对被执行人{name}住所进行搜查，未发现现金及贵重物品，制作搜查笔录。",
    FieldAction.Kind.SEIZURE: "扣押被执行人{name}所有的小型轿车一辆（浙A·{plate}），张贴封条，"
    "交第三方保管单位拖至指定停车场保管。",
    FieldAction.Kind.SERVICE: "向被执行人{name}直接送达执行通知书、报告财产令、限制消费令。",
    FieldAction.Kind.INTERVIEW: "传唤被执行人{name}到庭询问财产状况，被执行人称暂无履行能力，"
    "制作询问笔录并告知拒不申报财产的法律后果。",
}
CONTESTED_ACTS = (
    "查封被执行人名下位于杭州市下城区{road}的房产，异议人主张该房产已于查封前购买并实际占有。",
    "冻结并扣划被执行人银行账户内存款，异议人主张该账户内款项系其委托被执行人代收的货款。",
    "扣押停放于{road}的小型轿车，异议人主张其为车辆实际所有人。",
)
OBJECTION_REASONS = {
    "sustained": "异议人提交的购房合同、付款凭证及物业缴费记录足以证明其在查封前已支付全部价款"
    "并实际占有，异议成立，解除查封。",
    "dismissed": "异议人未能提供充分证据证明其对执行标的享有足以排除强制执行的民事权益，驳回异议。",
}

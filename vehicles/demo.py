"""Demo vehicles for a court: a custodian with its portal user, last year's and this year's
custody agreements, two lots, and respondents' vehicles at every stage — wanted (one seen by a
camera), seized awaiting approval, towed awaiting intake, in custody (one past the long-custody
alert), released, at auction and delivered — each through the services, so every step has its
chain-of-custody event. Then a stock check with a discrepancy, last month's invoice and one
posting of fees to a case. Idempotent: loaded once per court (the custodian's name marks it).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from PIL import Image, ImageDraw

from courtexec.history import acting_as
from courtexec.models import Court, User
from courtexec.roles import Role
from enforcement.models import CaseParty, EnforcementCase
from vehicles import selectors, services
from vehicles.models import Custodian, Impound, VehicleClass
from vehicles.validators import vin_check_character

CUSTODIAN_NAME = "杭州安泰保安服务有限公司"
CUSTODIAN_CREDIT_CODE = "91330100MA2CFG7X4H"
MAKES = [
    ("大众 帕萨特", "黑色", VehicleClass.SMALL),
    ("丰田 凯美瑞", "白色", VehicleClass.SMALL),
    ("宝马 X5", "灰色", VehicleClass.SMALL),
    ("比亚迪 汉 EV", "蓝色", VehicleClass.SMALL),
    ("解放 J6P 牵引车", "红色", VehicleClass.LARGE),
    ("本田 雅阁", "银色", VehicleClass.SMALL),
    ("雅马哈 摩托车", "黑色", VehicleClass.MOTORCYCLE),
    ("奔驰 E300", "黑色", VehicleClass.SMALL),
    ("三一 挖掘机", "黄色", VehicleClass.SPECIAL),
    ("别克 GL8", "咖啡色", VehicleClass.SMALL),
    ("奥迪 A6L", "白色", VehicleClass.SMALL),
]


@dataclass
class Loaded:
    vehicles: int = 0
    impounds: int = 0


def _vin(serial: int) -> str:
    """A valid fictitious VIN (LSV… prefix, the check character computed)."""
    vin = f"LSVAB2{serial % 10}80PS{300000 + serial:06d}"
    return vin[:8] + vin_check_character(vin) + vin[9:]


def _plate(serial: int) -> str:
    return f"浙A{(37_000 + serial * 731) % 100_000:05d}"


def _signature() -> str:
    """A small drawn-looking PNG, as the signature pad sends it."""
    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    pen = ImageDraw.Draw(image)
    pen.line([(10, 60), (60, 20), (110, 55), (160, 25), (220, 50)], fill=(20, 20, 80, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _local(days_ago: int, hour: int, now: dt.datetime) -> dt.datetime:
    """``hour`` o'clock ``days_ago`` days before ``now``, never after ``now``: just after
    midnight today's steps move to the minutes before it, still in the order of their hours."""
    day = timezone.localdate(now) - dt.timedelta(days=days_ago)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    return min(moment, now - dt.timedelta(minutes=24 - hour))


def _respondent_links(court: Court) -> list[CaseParty]:
    """Respondents of the court's open cases, one link per respondent."""
    links, seen = [], set()
    for link in (
        CaseParty.objects.filter(
            case__court=court,
            role=CaseParty.Role.RESPONDENT,
        )
        .exclude(case__status=EnforcementCase.Status.CONCLUDED)
        .select_related("case", "party")
        .order_by("case__filed_on", "pk")
    ):
        if link.party_id not in seen:
            seen.add(link.party_id)
            links.append(link)
    return links


def load(*, court: Court, staff: Mapping[Role, User], keeper: User) -> Loaded:
    loaded = Loaded()
    if Custodian.objects.filter(court=court, name=CUSTODIAN_NAME).exists():
        return loaded
    links = _respondent_links(court)[: len(STAGES)]
    if not links:
        return loaded
    now = timezone.now()
    with acting_as(staff[Role.BUREAU_CHIEF]):
        custodian, lots = _custodian(court, staff[Role.BUREAU_CHIEF], keeper, now)
        for serial, (link, stage) in enumerate(zip(links, STAGES, strict=False)):
            vehicle = _vehicle(court, staff[Role.JUDGE], link, serial)
            loaded.vehicles += 1
            if stage(vehicle, link.case, staff, custodian, lots, keeper, now):
                loaded.impounds += 1
        _controls(custodian, lots, staff, keeper, now)
    return loaded


def _custodian(court: Court, chief: User, keeper: User, now: dt.datetime):
    """The custody company, its portal user, last year's and this year's agreements, two lots."""
    year = timezone.localdate(now).year
    custodian = services.save_custodian(
        user=chief,
        court=court,
        name=CUSTODIAN_NAME,
        credit_code=CUSTODIAN_CREDIT_CODE,
        contact="钱经理",
        phone="0571-86000000",
        address="杭州市拱墅区石祥路88号",
    )
    services.set_custodian_members(user=chief, custodian=custodian, members=[keeper])
    for agreement_year, towing, rates in (
        (year - 1, 25000, {"small": 3000, "large": 6000, "motorcycle": 1000, "special": 8000}),
        (year, 30000, {"small": 3500, "large": 7000, "motorcycle": 1200, "special": 9000}),
    ):
        services.save_agreement(
            user=chief,
            custodian=custodian,
            number=f"XCFY-BG-{agreement_year}",
            valid_from=dt.date(agreement_year, 1, 1),
            valid_until=dt.date(agreement_year, 12, 31),
            towing_fee=towing,
            rates=rates,
            signed_on=dt.date(agreement_year - 1, 12, 20),
        )
    lots = [
        services.save_lot(
            user=chief,
            custodian=custodian,
            name="石祥路停车场",
            address="杭州市拱墅区石祥路88号",
            capacity=40,
        ),
        services.save_lot(
            user=chief,
            custodian=custodian,
            name="半山停车场",
            address="杭州市拱墅区半山路12号",
            capacity=6,
        ),
    ]
    return custodian, lots


def _vehicle(court: Court, judge: User, link: CaseParty, serial: int):
    make, colour, vehicle_class = MAKES[serial % len(MAKES)]
    return services.register_vehicle(
        user=judge,
        court=court,
        owner=link.party,
        plate=_plate(serial),
        vin=_vin(serial),
        vehicle_class=vehicle_class,
        make_model=make,
        colour=colour,
        cases=[link.case],
    )


def _seize(vehicle, case, staff, now, days_ago: int):
    return services.seize(
        vehicle=vehicle,
        case=case,
        decision_number=f"{case.number}之{vehicle.pk}",
        seized_at=_local(days_ago, 10, now),
        place="杭州市下城区某小区地下车库",
        officers=[staff[Role.JUDGE], staff[Role.JUDICIAL_POLICE]],
        damage=["scratches"] if days_ago % 2 else [],
        condition_notes="车身左侧有轻微划痕" if days_ago % 2 else "",
        keys_received=1,
        documents_received=["driving_licence"],
        odometer=32000 + days_ago * 50,
        holder_name=str(vehicle.owner),
        user=staff[Role.JUDGE],
    )


def _to_custody(impound, staff, custodian, lot, keeper, now, days_ago: int, bay: str):
    services.approve_tow(
        impound=impound, user=staff[Role.SECTION_CHIEF], at=_local(days_ago, 11, now)
    )
    services.tow(
        impound=impound,
        custodian=custodian,
        towed_at=_local(days_ago, 14, now),
        driver="孙师傅",
        tow_from=impound.seized_place,
        tow_to=lot.address,
        signature=_signature(),
        user=staff[Role.JUDICIAL_POLICE],
    )
    return services.take_into_custody(
        impound=impound,
        lot=lot,
        bay=bay,
        intake_at=_local(days_ago, 16, now),
        custodian_signatory=str(keeper),
        signature=_signature(),
        user=keeper,
    )


# Each stage takes (vehicle, case, staff, custodian, lots, keeper, now) and says whether it
# impounded the vehicle.


def _wanted_and_seen(vehicle, case, staff, custodian, lots, keeper, now) -> bool:
    surveillance = services.place_under_surveillance(
        user=staff[Role.JUDGE],
        vehicle=vehicle,
        case=case,
        reason="被执行人拒不履行，车辆下落不明，申请布控",
        starts_on=timezone.localdate(now) - dt.timedelta(days=20),
        ends_on=timezone.localdate(now) + dt.timedelta(days=160),
    )
    services.report_sighting(
        user=staff[Role.JUDICIAL_POLICE],
        court=surveillance.case.court,
        report=services.SightingReport(
            plate=vehicle.plate.lower(),  # typed on a phone
            place="杭州市上城区解放路与建国路口",
            seen_at=now - dt.timedelta(hours=3),
        ),
    )
    return False


def _wanted(vehicle, case, staff, custodian, lots, keeper, now) -> bool:
    services.place_under_surveillance(
        user=staff[Role.JUDGE],
        vehicle=vehicle,
        case=case,
        reason="被执行人名下车辆，配合道路集中查控行动",
        starts_on=timezone.localdate(now) - dt.timedelta(days=5),
        ends_on=timezone.localdate(now) + dt.timedelta(days=175),
    )
    return False


def _seized(vehicle, case, staff, custodian, lots, keeper, now) -> bool:
    _seize(vehicle, case, staff, now, days_ago=0)  # towing awaits approval
    return True


def _towed(vehicle, case, staff, custodian, lots, keeper, now) -> bool:
    impound = _seize(vehicle, case, staff, now, days_ago=1)
    services.approve_tow(impound=impound, user=staff[Role.SECTION_CHIEF], at=_local(1, 11, now))
    services.tow(
        impound=impound,
        custodian=custodian,
        towed_at=_local(1, 15, now),
        driver="孙师傅",
        tow_from=impound.seized_place,
        tow_to=lots[0].address,
        user=staff[Role.JUDICIAL_POLICE],
    )
    return True


def _in_custody(days_ago: int, lot_index: int, bay: str):
    def stage(vehicle, case, staff, custodian, lots, keeper, now) -> bool:
        impound = _seize(vehicle, case, staff, now, days_ago=days_ago)
        _to_custody(impound, staff, custodian, lots[lot_index], keeper, now, days_ago, bay)
        return True

    return stage


def _released(vehicle, case, staff, custodian, lots, keeper, now) -> bool:
    impound = _seize(vehicle, case, staff, now, days_ago=60)
    _to_custody(impound, staff, custodian, lots[0], keeper, now, 60, "A-09")
    services.decide_disposal(
        impound=impound,
        disposal=Impound.Disposal.RELEASE,
        reference=f"{case.number}解除扣押决定",
        user=staff[Role.JUDGE],
        at=_local(32, 15, now),
    )
    services.release(
        impound=impound,
        at=_local(30, 10, now),
        received_by_name=str(vehicle.owner),
        signature=_signature(),
        note="被执行人履行完毕，解除扣押",
        user=keeper,
    )
    return True


def _auctioned(delivered: bool):
    def stage(vehicle, case, staff, custodian, lots, keeper, now) -> bool:
        impound = _seize(vehicle, case, staff, now, days_ago=75)
        _to_custody(impound, staff, custodian, lots[0], keeper, now, 75, f"B-0{int(delivered)}")
        services.decide_disposal(
            impound=impound,
            disposal=Impound.Disposal.AUCTION,
            reference=f"{case.number}拍卖裁定",
            user=staff[Role.JUDGE],
            at=_local(40, 15, now),
        )
        services.hand_to_auction(
            impound=impound,
            at=_local(20, 9, now),
            received_by_name="浙江某拍卖有限公司",
            signature=_signature(),
            user=keeper,
        )
        if delivered:
            services.deliver_to_buyer(
                impound=impound,
                at=_local(5, 15, now),
                received_by_name="竞买人 何某",
                signature=_signature(),
                user=keeper,
            )
        return True

    return stage


STAGES = [
    _wanted_and_seen,
    _wanted,
    _seized,
    _towed,
    _in_custody(12, 0, "A-01"),
    _in_custody(40, 0, "A-02"),
    _in_custody(120, 0, "A-03"),  # past the long-custody alert, no disposal decided
    _in_custody(25, 1, "1"),
    _released,
    _auctioned(delivered=False),
    _auctioned(delivered=True),
]


def _controls(custodian, lots, staff, keeper, now) -> None:
    """A stock check of the main lot a week ago with one vehicle not found in its bay and one
    stranger, last month's invoice, the fees of the longest custody posted on its case, and the
    daily controls run once (the small lot is due its first count, the 120-day custody is
    flagged)."""
    checked_at = now - dt.timedelta(days=7)
    expected = list(selectors.in_custody_at(lots[0], checked_at))
    services.record_stock_check(
        lot=lots[0],
        checked_at=checked_at,
        found={
            impound.pk: services.Found(present=index > 0, note="" if index else "车位空置，待核实")
            for index, impound in enumerate(expected)
        },
        unexpected_plates=["浙A9Z321"],
        notes="月度盘点",
        user=keeper,
    )
    first_of_month = timezone.localdate(now).replace(day=1)
    services.issue_invoice(
        custodian=custodian,
        month=(first_of_month - dt.timedelta(days=1)).replace(day=1),
        user=staff[Role.FINANCE],
    )
    longest = (
        Impound.objects.filter(custodian=custodian, state=Impound.State.IN_CUSTODY)
        .order_by("intake_at")
        .first()
    )
    if longest is not None:
        services.post_fees_to_case(
            impound=longest, through=first_of_month - dt.timedelta(days=1), user=staff[Role.JUDGE]
        )
    services.remind_stock_checks(now)
    services.alert_long_custody(now)

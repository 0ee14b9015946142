"""Demo callouts for a court: a month of past ones from the duty log and one open night callout
awaiting handover. Idempotent.

Four in five are assists for other courts (异地协助, the seed's share), handed over and
transferred; this court's own catches end in payments, promises, a detention or a release. One
is paid in part at night: a counter receipt booked by two finance officers on the respondent's
sub-account through ``casefunds``, so ``verify_ledger`` finds no drift. Past callouts are entered
as ``historical`` (nobody paged); the open one pages the team on duty like a real one.
Load after the roster (the shift on duty is recorded when there is one) and the cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone
from stdnum.cn import ric

from courtexec.history import acting_as
from courtexec.models import Court, User
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles
from enforcement.models import CaseParty, EnforcementCase, Party
from standby import rules, services
from standby.models import Callout

MARK = "demo-callouts"  # in the open callout's wanted reference: loaded once
STATIONS = ["武林派出所", "朝晖派出所", "潮鸣派出所", "长庆派出所", "天水派出所", "东新派出所"]
OFFICERS = ["赵警官", "钱警官", "孙警官", "李警官", "周警官", "吴警官"]
COURTS = [
    ("北京市朝阳区人民法院", "京0105"),
    ("上海市浦东新区人民法院", "沪0115"),
    ("广州市天河区人民法院", "粤0106"),
    ("南京市鼓楼区人民法院", "苏0106"),
    ("宁波市海曙区人民法院", "浙0203"),
    ("温州市鹿城区人民法院", "浙0302"),
]
SURNAMES = "陈林黄郑刘杨许何高罗"
DAYS = 30


def _resident_id(serial: int) -> str:
    """A valid fictitious resident ID (an area code python-stdnum knows, born 1975-1994)."""
    born = f"{1975 + serial % 20}{1 + serial % 12:02d}{1 + serial % 28:02d}"
    body = f"110105{born}{serial % 900 + 100:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _respondents(court: Court) -> list[CaseParty]:
    return list(
        CaseParty.objects.filter(
            case__court=court,
            role=CaseParty.Role.RESPONDENT,
            party__kind=Party.Kind.PERSON,
            party__id_number__isnull=False,
        )
        .exclude(case__status=EnforcementCase.Status.CONCLUDED)
        .exclude(party__id_number="")
        .select_related("party", "case")
        .order_by("case__filed_on", "pk")[:8]
    )


def load(*, court: Court, staff: Mapping[Role, User]) -> int:
    """Create the demo callouts of ``court`` once; returns how many were created (0 if loaded).

    ``staff`` maps roles to the court's demo accounts: the clerk logs the police calls, the
    judicial police and the judge work them, two finance officers count money taken at night.
    """
    if Callout.objects.filter(court=court, wanted_reference__contains=MARK).exists():
        return 0
    with acting_as(staff[Role.CLERK]):
        return _load(court, staff)


def _load(court: Court, staff: Mapping[Role, User]) -> int:
    clerk, police, judge = staff[Role.CLERK], staff[Role.JUDICIAL_POLICE], staff[Role.JUDGE]
    finance = staff[Role.FINANCE]
    second = staff_with_roles(court, Role.FINANCE).exclude(pk=finance.pk).first()
    own = _respondents(court)
    today = timezone.localdate()
    created = 0
    paid_at_night = False
    for n in range(DAYS):
        day = today - dt.timedelta(days=DAYS - n)
        night = n % 3 != 0
        hour, minute = ((21 + n % 8) % 24, (n * 7) % 60) if night else (9 + n % 10, (n * 11) % 60)
        caught = _local(day, hour, minute)
        link = own[n % len(own)] if own and n % 5 == 4 else None  # one in five is our own
        if link is None:
            name, id_number = (
                SURNAMES[n % len(SURNAMES)] + "某" + "甲乙丙丁"[n % 4],
                _resident_id(n),
            )
            requesting = COURTS[n % len(COURTS)]
            wanted = f"({day.year}){requesting[1]}执{100 + n}号"
        else:
            name, id_number, requesting = link.party.name, link.party.id_number, ("", "")
            wanted = link.case.number
        reported = caught + dt.timedelta(minutes=10)
        callout = services.report_callout(
            court=court,
            user=clerk,
            report=services.CalloutReport(
                police_station=STATIONS[n % len(STATIONS)],
                police_officer=OFFICERS[n % len(OFFICERS)],
                police_phone=f"0571-8{n:07d}",
                caught_at=caught,
                person_name=name,
                person_id_number=id_number,
                wanted_reference=wanted,
                requesting_court_name=requesting[0],
                requesting_court_code=requesting[1],
            ),
            now=reported,
            historical=True,
        )
        step = reported + dt.timedelta(minutes=4 + n % 9)
        callout = services.acknowledge_callout(callout=callout, user=police, now=step)
        step += dt.timedelta(minutes=5)
        callout = services.dispatch_callout(callout=callout, user=police, now=step)
        step += dt.timedelta(minutes=40 + 10 * (n % 5))
        callout = services.hand_over_callout(
            callout=callout, user=police, taken_over_by=police, now=step
        )
        step += dt.timedelta(minutes=30)
        outcome = _outcome(callout, n, night, finance, second, paid_at_night)
        if outcome.outcome == Callout.Outcome.PAID_IN_PART:
            paid_at_night = True
        services.record_outcome(
            callout=callout, user=judge if outcome.detention_days else police, outcome=outcome,
            now=step,
        )  # fmt: skip
        created += 1
    # The open one: caught last night (or tonight), waiting for the morning handover.
    now = timezone.now()
    local_now = timezone.localtime(now)
    caught = local_now - dt.timedelta(minutes=30)
    if not rules.is_night(caught):
        caught = _local(local_now.date() - dt.timedelta(days=1), 23, 40)
        caught = max(caught, now - dt.timedelta(days=6))
    services.report_callout(
        court=court,
        user=clerk,
        report=services.CalloutReport(
            police_station="武林派出所",
            police_officer="赵警官",
            police_phone="13800138000",
            caught_at=caught,
            person_name="陈某某",
            person_id_number=_resident_id(99),
            wanted_reference=f"(2026)京0105执88号 {MARK}",
            requesting_court_name="北京市朝阳区人民法院",
            requesting_court_code="京0105",
        ),
    )
    return created + 1


def _outcome(callout, n: int, night: bool, finance, second, paid_at_night: bool):
    if callout.is_assist:
        if n % 7 == 3:
            return services.Outcome(
                Callout.Outcome.RELEASED, note="请求法院同意解除布控，当场释放。"
            )
        return services.Outcome(
            Callout.Outcome.TRANSFERRED,
            transfer_recipient=f"{callout.requesting_court_name}执行局 {'张王李赵'[n % 4]}法官",
            note="已移交请求法院。",
        )
    if callout.matched_case_id and night and second is not None and not paid_at_night:
        return services.Outcome(
            Callout.Outcome.PAID_IN_PART,
            amount=500_000,  # ¥5,000.00
            received_by=finance,
            second_officer=second,
            note="当晚由家属代为缴纳部分执行款。",
        )
    if callout.matched_case_id and n % 3 == 0:
        return services.Outcome(
            Callout.Outcome.PROMISE,
            promise_due_on=timezone.localdate(callout.handed_over_at) + dt.timedelta(days=15),
            note="承诺十五日内履行。",
        )
    if callout.matched_case_id:
        return services.Outcome(
            Callout.Outcome.DETENTION, detention_days=7, note="拒不申报财产，决定拘留。"
        )
    return services.Outcome(Callout.Outcome.RELEASED, note="核实后释放。")

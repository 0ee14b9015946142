"""Load the demo courts, one account per role and the demo enforcement cases (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from casefunds import demo as funds_demo
from courtexec import demo_notifications, services
from courtexec.command import demo as command_demo
from courtexec.models import Court, User
from courtexec.roles import Role
from debtors import demo as debtors_demo
from enforcement import demo as enforcement_demo
from enforcement.liaison import demo_messaging as liaison_messaging_demo
from enforcement.liaison import demo_portal as liaison_portal_demo
from enforcement.liaison import demo_wechat as liaison_wechat_demo
from enforcement.models import EnforcementCase
from standby import demo_callouts as standby_callouts_demo
from standby import demo_roster as standby_roster_demo
from vehicles import demo as vehicles_demo

DEMO_PASSWORD = "courtexec-demo"

# (username, display name, role, court code, staff number, phone)
DEMO_STAFF: list[tuple[str, str, Role, str, str, str]] = [
    ("judge", "王法官", Role.JUDGE, "浙0103", "XC001", "13800000001"),
    ("clerk", "李书记员", Role.CLERK, "浙0103", "XC002", "13800000002"),
    ("chief", "陈局长", Role.BUREAU_CHIEF, "浙0103", "XC003", "13800000003"),
    ("section", "赵科长", Role.SECTION_CHIEF, "浙0103", "XC004", "13800000004"),
    ("police", "周法警", Role.JUDICIAL_POLICE, "浙0103", "XC005", "13800000005"),
    ("finance", "吴会计", Role.FINANCE, "浙0103", "XC006", "13800000006"),
    ("investigator", "郑查控", Role.INVESTIGATOR, "浙0103", "XC007", "13800000007"),
    ("president", "孙院长", Role.PRESIDENT, "浙0103", "XC008", "13800000008"),
    ("admin", "系统管理员", Role.SYSADMIN, "浙0103", "XC009", "13800000009"),
    ("judge2", "刘法官", Role.JUDGE, "浙0102", "SC001", "13800000010"),
    ("cashier", "钱出纳", Role.FINANCE, "浙0103", "XC010", "13800000011"),
    # The rest of the investigation group (查控组: three assistants on a rotation).
    ("investigator2", "冯查控", Role.INVESTIGATOR, "浙0103", "XC011", "13800000012"),
    ("investigator3", "蒋查控", Role.INVESTIGATOR, "浙0103", "XC012", "13800000013"),
    # The district police's liaison, who reports caught debtors (standby callouts).
    ("liaison", "武林派出所联络员", Role.POLICE_LIAISON, "浙0103", "PS001", "13800000014"),
    # The custody company's lot keeper (车辆保管单位), who sees only the vehicles in its custody.
    ("keeper", "安泰保管员", Role.CUSTODIAN, "浙0103", "CU001", "13800000015"),
]


class Command(BaseCommand):
    help = "Create or refresh the demo courts and staff accounts; load the demo cases once."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        high = services.ensure_court(code="浙", name="浙江省高级人民法院", level=Court.Level.HIGH)
        hangzhou = services.ensure_court(
            code="浙01", name="杭州市中级人民法院", level=Court.Level.INTERMEDIATE, parent=high
        )
        courts = {
            "浙0103": services.ensure_court(
                code="浙0103", name="杭州市下城区人民法院", level=Court.Level.BASIC, parent=hangzhou
            ),
            "浙0102": services.ensure_court(
                code="浙0102", name="杭州市上城区人民法院", level=Court.Level.BASIC, parent=hangzhou
            ),
        }
        staff: dict[str, dict[Role, User]] = {code: {} for code in courts}
        accounts: dict[str, User] = {}
        for username, name, role, court_code, number, phone in DEMO_STAFF:
            accounts[username] = services.ensure_staff_member(
                username=username,
                password=DEMO_PASSWORD,
                court=courts[court_code],
                roles=[role],
                display_name=name,
                phone=phone,
                staff_number=number,
                is_staff=role in {Role.SYSADMIN, Role.BUREAU_CHIEF, Role.FINANCE},
                is_superuser=role is Role.SYSADMIN,
            )
            staff[court_code].setdefault(role, accounts[username])
        loaded = enforcement_demo.load(
            court=courts["浙0103"],
            staff=staff["浙0103"],
            other_court=courts["浙0102"],
            other_staff=staff["浙0102"],
        )
        deposits = funds_demo.load(
            court=courts["浙0103"], staff=staff["浙0103"], cashier=accounts["cashier"]
        )
        debtors = debtors_demo.load(court=courts["浙0103"], staff=staff["浙0103"])
        shifts = standby_roster_demo.load(court=courts["浙0103"], staff=staff["浙0103"])
        callouts = standby_callouts_demo.load(court=courts["浙0103"], staff=staff["浙0103"])
        vehicles = vehicles_demo.load(
            court=courts["浙0103"], staff=staff["浙0103"], keeper=accounts["keeper"]
        )
        # Portal accounts first: the threads and the WeChat binding reuse them.
        portal_accounts = liaison_portal_demo.load(court=courts["浙0103"], staff=staff["浙0103"])
        threads = liaison_messaging_demo.load(court=courts["浙0103"], staff=staff["浙0103"])
        wechat = liaison_wechat_demo.load(court=courts["浙0103"], staff=staff["浙0103"])
        notices = demo_notifications.load(judge=accounts["judge"])
        # Last: the monthly reports and the sample export read every app's records.
        command = command_demo.load(chief=accounts["chief"])
        cases = EnforcementCase.objects.filter(court__in=courts.values()).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(DEMO_STAFF)} accounts, {cases} enforcement cases "
                f"({loaded.cases + loaded.other_court_cases} loaded now); "
                f"{deposits} demo payments booked now."
            )
        )
        self.stdout.write(
            f"Debtors demo: {debtors.requests} investigation requests, {debtors.freezes} freezes, "
            f"{debtors.entries} list entries, {debtors.restrictions} restriction orders by hand, "
            f"{debtors.research_runs} re-searches after termination, {debtors.tips} tips, "
            f"{debtors.exposures} exposures loaded now."
        )
        self.stdout.write(f"Standby demo: {shifts} shifts and {callouts} callouts loaded now.")
        self.stdout.write(
            f"Vehicles demo: {vehicles.vehicles} vehicles and {vehicles.impounds} impounds "
            "loaded now."
        )
        self.stdout.write(
            f"Liaison demo: {portal_accounts} portal accounts and {threads} threads loaded now; "
            f"WeChat sandbox user {wechat.openid if wechat else '(none)'}."
        )
        self.stdout.write(f"Notification centre demo: {notices} records loaded now.")
        self.stdout.write(
            f"Command centre demo: {command.reports} monthly reports and {command.exports} "
            "export made now."
        )

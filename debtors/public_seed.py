"""Bulk published entries for the public search and its benchmark (``seed_public_blacklist``).

Realistic rows — Hangzhou courts, valid resident IDs (adults only) and unified social credit
codes, case numbers from the courts' counters, grounds and periods from ``debtors.rules`` — are
written set-based: ids are reserved from each table's sequence, then every table is filled with
``COPY`` in batches, one transaction per batch. The ORM's ``save`` would take hours at a
million rows, and it would fire the read model's signals row by row; so this module writes the
change trail's "created" rows and the read model (``PublicListing``) itself, in the same COPY
batches, and the result is what the services would have left behind (minus the
consumption-restriction orders publishing issues, which the search does not read).

Index ``n`` of a seeded entry determines its party's identity number, so a second run tops up
from the number already seeded and never repeats one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb
from stdnum.cn import ric, uscc

from courtexec.models import Court, User
from courtexec.roles import Role
from debtors import rules
from debtors.models import BlacklistEntry, PublicListing
from debtors.selectors import public_key
from enforcement.models import CaseNumberCounter, CaseParty, EnforcementCase, Party

SEED_JUDGE = "seed_judge_"
CHANGE_REASON = "seed_public_blacklist"

# Basic courts of Hangzhou with the area code their debtors' IDs and credit codes carry.
COURTS = [
    ("浙0102", "杭州市上城区人民法院", "330102"),
    ("浙0103", "杭州市下城区人民法院", "330103"),
    ("浙0104", "杭州市江干区人民法院", "330104"),
    ("浙0105", "杭州市拱墅区人民法院", "330105"),
    ("浙0106", "杭州市西湖区人民法院", "330106"),
    ("浙0108", "杭州市滨江区人民法院", "330108"),
    ("浙0109", "杭州市萧山区人民法院", "330109"),
    ("浙0110", "杭州市余杭区人民法院", "330110"),
    ("浙0111", "杭州市富阳区人民法院", "330111"),
    ("浙0122", "桐庐县人民法院", "330122"),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
    "潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦"
    "邱江尹薛闫段雷侯龙史"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌浩宇轩"
    "鑫晨欣怡佳琪子涵梓萱一诺俊杰宏海燕雪梅晓东春林波辉鹏飞云峰亮成龙小红丹凤"
)
TRADE_WORDS = "华鑫泰恒隆盛达源通宏远嘉信瑞丰汇博创联安捷顺德新佳美正阳光明"
INDUSTRIES = ["贸易", "建设工程", "科技", "餐饮管理", "物流", "房地产开发", "电子商务", "服饰",
              "机械设备", "装饰工程", "投资管理", "文化传媒"]  # fmt: skip
CITIES = ["杭州", "浙江", "萧山", "余杭", "富阳", "桐庐"]
# (grounds, weight): ground 1 alone is the most common listing, then evasion and asset reports.
GROUND_MIX = [((1,), 50), ((3,), 15), ((4,), 15), ((1, 4), 10), ((2,), 5), ((6,), 5)]
FACTS = {
    1: "有履行能力而拒不履行生效法律文书确定的义务",
    2: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    3: "以转移财产等方法规避执行",
    4: "违反财产报告制度",
    5: "违反限制消费令",
    6: "无正当理由拒不履行执行和解协议",
}
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
BIRTH_AREAS = ["330102", "330103", "330104", "330105", "330106", "330122", "330127"]
BORN_FROM = dt.date(1983, 1, 1)
BIRTH_DAYS = 4743  # to 1995-12-31; with order codes 900–999: 3.3 million distinct people


def organisation_code(body: str) -> str:
    """A 9-character organisation code (GB 11714): 8 characters and their check character."""
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def resident_id(area: str, birth: dt.date, order: int) -> str:
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum skips the last character


def credit_code(area: str, n: int) -> str:
    body = f"91{area}{organisation_code(f'{n:08d}')}"
    return body + uscc.calc_check_digit(body)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


@dataclass
class World:
    courts: list[Court]
    judges: dict[int, User]
    presidents: dict[int, User]


def _staff(court: Court, kind: str, role: Role, name: str) -> User:
    user, created = User.objects.get_or_create(
        username=f"seed_{kind}_{court.code[-4:]}",
        defaults={"court": court, "display_name": name},
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name=role.value))
    return user


def world() -> World:
    courts, judges, presidents = [], {}, {}
    for code, name, _area in COURTS:
        court = Court.objects.filter(code=code).first() or Court.objects.create(
            code=code, name=name, level=Court.Level.BASIC
        )
        courts.append(court)
        judges[court.pk] = _staff(court, "judge", Role.JUDGE, "种子执行法官")
        presidents[court.pk] = _staff(court, "president", Role.PRESIDENT, "种子院长")
    return World(courts, judges, presidents)


def seeded_count() -> int:
    return BlacklistEntry.objects.filter(proposed_by__username__startswith=SEED_JUDGE).count()


# --- COPY -----------------------------------------------------------------------------------


def _default(field: models.Field):
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"no value for {field.model.__name__}.{field.name}")


def _copy(cursor, model: type[models.Model], rows: list[dict]) -> None:
    """``COPY`` ``rows`` (attname → value) into ``model``'s table; unnamed columns get the
    field's default; an auto primary key not named is left to the table's identity."""
    if not rows:
        return
    fields = [
        f for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField) and f.attname not in rows[0])
    ]  # fmt: skip
    defaults = {f.attname: _default(f) for f in fields if any(f.attname not in r for r in rows)}
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            values = []
            for f in fields:
                value = row[f.attname] if f.attname in row else defaults[f.attname]
                values.append(Jsonb(value) if f.attname in json_fields else value)
            copy.write_row(values)


def _copy_with_history(cursor, model, rows: list[dict], *, when: Callable[[dict], dt.datetime],
                       user: Callable[[dict], int]) -> None:  # fmt: skip
    """The rows and their change trail's "created" rows, as simple-history would write them."""
    _copy(cursor, model, rows)
    _copy(cursor, model.history.model, [
        {**row, "history_date": when(row), "history_type": "+",
         "history_change_reason": CHANGE_REASON, "history_user_id": user(row),
         "history_request_id": ""}
        for row in rows
    ])  # fmt: skip


def _reserve_ids(cursor, model: type[models.Model], count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [model._meta.db_table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _case_sequences(cursor, wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Take a block of sequence numbers per (court, year) from the courts' counters (the same
    rows ``issue_case_number`` locks), so later filings continue after the seeded cases."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for key in wanted:
        counts[key] += 1
    first = {}
    table = CaseNumberCounter._meta.db_table
    take = (
        f'INSERT INTO "{table}" (court_id, type_code, year, last_sequence) '  # noqa: S608
        "VALUES (%s, %s, %s, %s) ON CONFLICT (court_id, type_code, year) DO UPDATE "
        f'SET last_sequence = "{table}".last_sequence + EXCLUDED.last_sequence '
        "RETURNING last_sequence"
    )
    for (court_id, year), count in sorted(counts.items()):
        cursor.execute(take, [court_id, EnforcementCase.TypeCode.FIRST.value, year, count])
        first[(court_id, year)] = cursor.fetchone()[0] - count + 1
    return first


# --- One batch --------------------------------------------------------------------------------


def _batch(world: World, start: int, size: int, today: dt.date) -> None:
    now = timezone.now()
    grounds_choices = [g for g, _w in GROUND_MIX]
    weights = [w for _g, w in GROUND_MIX]
    plans = []
    for n in range(start, start + size):
        rng = random.Random(n)
        court_index = n % len(world.courts)
        court = world.courts[court_index]
        area = COURTS[court_index][2] if court.code == COURTS[court_index][0] else "330100"
        grounds = rng.choices(grounds_choices, weights)[0]
        fixed = rules.listing_period(grounds, today).ends_on is not None
        # Entries with a two-year period are recent (still in force); ground 1 ones any age.
        back = rng.randint(5, 700) if fixed else rng.randint(5, 3600)
        decided = today - dt.timedelta(days=back)
        filed = decided - dt.timedelta(days=rng.randint(90, 400))
        plans.append((n, rng, court, area, grounds, decided, filed))
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own, for COPY
        party_ids = _reserve_ids(cursor, Party, size)
        case_ids = _reserve_ids(cursor, EnforcementCase, size)
        link_ids = _reserve_ids(cursor, CaseParty, size)
        entry_ids = _reserve_ids(cursor, BlacklistEntry, size)
        sequences = _case_sequences(cursor, ((p[2].pk, p[6].year) for p in plans))
        parties, party_courts, cases, links, entries, listings = [], [], [], [], [], []
        for i, (n, rng, court, area, grounds, decided, filed) in enumerate(plans):
            judge = world.judges[court.pk]
            published = timezone.make_aware(
                dt.datetime.combine(decided + dt.timedelta(days=3), dt.time(9, rng.randint(0, 59)))
            )
            if n % 7 == 3:  # about one in seven is an organisation
                name = (rng.choice(CITIES) + rng.choice(TRADE_WORDS) + rng.choice(TRADE_WORDS)
                        + rng.choice(INDUSTRIES) + "有限公司")  # fmt: skip
                party = {"kind": Party.Kind.ORGANISATION, "name": name,
                         "id_number": credit_code(area, n),
                         "legal_representative": person_name(rng)}  # fmt: skip
            else:
                # Born 1983–1995 (adults on any decision date seeded) in a district of Hangzhou
                # whose code was in use then; (area, birth date, order) is unique per ``n``.
                area_index, k = n % len(BIRTH_AREAS), n // len(BIRTH_AREAS)
                birth = BORN_FROM + dt.timedelta(days=(k * 7919) % BIRTH_DAYS)
                order = 900 + k // BIRTH_DAYS
                id_number = resident_id(BIRTH_AREAS[area_index], birth, order)
                party = {"kind": Party.Kind.PERSON, "name": person_name(rng),
                         "id_number": id_number, "birth_date": birth,
                         "sex": "M" if order % 2 else "F"}  # fmt: skip
            party.update(id=party_ids[i], registered_by_id=court.pk, created_at=now,
                         address=f"杭州市某区某街道{rng.randint(1, 300)}号")  # fmt: skip
            parties.append(party)
            party_courts.append({"party_id": party["id"], "court_id": court.pk})
            sequence = sequences[(court.pk, filed.year)]
            sequences[(court.pk, filed.year)] += 1
            number = f"({filed.year}){court.code}执{sequence}号"
            amount = Decimal(rng.randint(5_000, 5_000_000))
            share = 0 if rng.random() < 0.7 else rng.randint(5, 80)  # per cent performed
            performed = (amount * share / 100).quantize(Decimal("1"))
            effective = filed - dt.timedelta(days=rng.randint(30, 200))
            cases.append({
                "id": case_ids[i], "court_id": court.pk, "number": number,
                "is_legacy_number": False, "year": filed.year,
                "type_code": EnforcementCase.TypeCode.FIRST, "sequence": sequence,
                "category": rng.choice(EnforcementCase.Category.values),
                "issuing_body": court.name,
                "instrument_number": f"({effective.year}){court.code}民初{rng.randint(1, 9999)}号",
                "instrument_effective_on": effective,
                "instrument_kind": EnforcementCase.InstrumentKind.LITIGATION,
                "amount_to_enforce": amount, "amount_performed": performed,
                "filed_on": filed, "due_on": filed + relativedelta(months=6),
                "judge_id": judge.pk, "status": EnforcementCase.Status.IN_PROGRESS,
                "flags": [], "execution_notice_sent_on": filed + dt.timedelta(days=2),
                "asset_report_ordered_on": filed + dt.timedelta(days=2),
                "property_investigation_done_on": filed + dt.timedelta(days=30),
                "blacklisted_on": timezone.localdate(published), "created_at": now,
            })  # fmt: skip
            links.append({"id": link_ids[i], "case_id": case_ids[i], "party_id": party["id"],
                          "role": CaseParty.Role.RESPONDENT})  # fmt: skip
            assessment = {}
            if 1 in grounds:
                assessment = {"assessed_by": judge.display_name, "security_given": False,
                              "assessed_on": decided - dt.timedelta(days=1),
                              "frozen_property_value": Decimal("0.00"),
                              "assessment_note": "未提供担保，无已冻结财产"}  # fmt: skip
            entries.append({
                "id": entry_ids[i], "case_id": case_ids[i], "respondent_id": link_ids[i],
                "grounds": list(grounds), "facts": "；".join(FACTS[g] for g in grounds),
                "decision_number": number.removesuffix("号") + "号之一", "decided_on": decided,
                "proposed_by_id": judge.pk, "approved_by_id": world.presidents[court.pk].pk,
                "approved_at": published - dt.timedelta(days=2),
                "served_on": decided + dt.timedelta(days=2), "published_at": published,
                "ends_on": rules.listing_period(grounds, decided).ends_on,
                "status": BlacklistEntry.Status.PUBLISHED, "created_at": now, **assessment,
            })  # fmt: skip
            listings.append({"entry_id": entry_ids[i], "name_key": public_key(party["name"]),
                             "id_key": public_key(party["id_number"]),
                             "published_at": published})  # fmt: skip
        by_court = {c.pk: world.judges[c.pk].pk for c in world.courts}
        _copy_with_history(cursor, Party, parties, when=lambda r: now,
                           user=lambda r: by_court[r["registered_by_id"]])  # fmt: skip
        _copy(cursor, Party.courts.through, party_courts)
        _copy_with_history(cursor, EnforcementCase, cases, when=lambda r: now,
                           user=lambda r: r["judge_id"])  # fmt: skip
        _copy_with_history(cursor, CaseParty, links, when=lambda r: now,
                           user=lambda r: cases[0]["judge_id"])  # fmt: skip
        _copy_with_history(cursor, BlacklistEntry, entries, when=lambda r: r["published_at"],
                           user=lambda r: r["proposed_by_id"])  # fmt: skip
        _copy(cursor, PublicListing, listings)


def seed(count: int, *, batch: int = 20_000, progress: Callable[[int], None] | None = None) -> int:
    """Top the seeded published entries up to ``count``; returns how many were added."""
    the_world = world()
    have = seeded_count()
    today = timezone.localdate()
    added = 0
    while have + added < count:
        size = min(batch, count - have - added)
        _batch(the_world, have + added, size, today)
        added += size
        if progress is not None:
            progress(have + added)
    if added:
        # VACUUM sets the visibility map, so counting matches is an index-only scan; inside a
        # transaction (a test) only ANALYZE can run.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Party, EnforcementCase, CaseParty, BlacklistEntry, PublicListing):
                cursor.execute(f'{command} "{model._meta.db_table}"')
    return added

"""Demo tips (举报线索) for a court: routed, overdue, checked and unrouted. Idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from courtexec.models import Court, User
from courtexec.roles import Role
from debtors import services
from debtors.models import AssetClass, Tip
from enforcement.models import CaseParty, EnforcementCase

FIRST_DETAILS = "被执行人每天开一辆白色宝马车出入小区，车牌浙A·8K8K8。"


def load_tips(court: Court, staff: Mapping[Role, User]) -> int:
    """Create the demo tips of ``court`` once; returns how many were created (0 if loaded).

    ``staff`` maps roles to the court's demo accounts (a clerk logs the hotline calls). Tips are
    about respondents of the court's open cases, so they route to those cases' judges.
    """
    if Tip.objects.filter(court=court, details=FIRST_DETAILS).exists():
        return 0
    links = list(
        CaseParty.objects.filter(
            case__court=court, role=CaseParty.Role.RESPONDENT, party__id_number__isnull=False
        )
        .exclude(case__status=EnforcementCase.Status.CONCLUDED)
        .select_related("party", "case__judge")
        .order_by("case__filed_on", "pk")[:3]
    )
    clerk = staff[Role.CLERK]
    now = timezone.now()
    created: list[Tip] = []
    if links:
        # A fresh tip from the public web form, routed by the ID number.
        created.append(
            services.submit_tip(
                court=court,
                debtor_name=links[0].party.name,
                debtor_id_number=links[0].party.id_number,
                details=FIRST_DETAILS,
                location="杭州市下城区朝晖路某小区地下车库",
                contact_phone="13900001111",
                fingerprint=services.tip_fingerprint("demo"),
            )
        )
    if len(links) > 1:
        # A hotline call eight days ago nobody checked: overdue, flagged red.
        created.append(
            services.log_hotline_tip(
                user=clerk,
                debtor_name=links[1].party.name,
                debtor_id_number=links[1].party.id_number,
                details="来电称被执行人在武林广场附近经营一家茶叶店，每日营业收入可观。",
                location="杭州市下城区武林广场东侧",
                contact_name="匿名",
                received_at=now - dt.timedelta(days=8),
            )
        )
    if len(links) > 2:
        # A lead checked by the judge: property found, the investigation group asked to search.
        checked = services.log_hotline_tip(
            user=clerk,
            debtor_name=links[2].party.name,
            debtor_id_number=links[2].party.id_number,
            details="举报人称被执行人名下有一套房产正在出租。",
            location="杭州市下城区潮鸣街道",
            received_at=now - dt.timedelta(days=3),
        )
        judge = links[2].case.judge
        created.append(
            services.record_tip_outcome(
                tip=checked,
                outcome=Tip.Outcome.PROPERTY_FOUND,
                note="经实地核查，房屋确由被执行人出租，已申请查控不动产。",
                asset_classes=[AssetClass.REAL_ESTATE],
                user=judge,
            )
        )
    # A tip naming nobody the court knows: it waits in the unrouted queue.
    created.append(
        services.submit_tip(
            court=court,
            debtor_name="杭州某不知名建材有限公司",
            details="该公司仓库内存有大量钢材。",
            location="杭州市下城区石桥路",
            fingerprint=services.tip_fingerprint("demo"),
        )
    )
    return len(created)

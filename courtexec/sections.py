"""The bureau's sections as shown in the top navigation, in the order officers use them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    app_label: str
    title: Promise
    summary: Promise
    # The section's own page once it has one; until then the nav shows the overview page.
    url_name: str = ""
    # Shown in the navigation only to users holding this permission (empty: to everyone).
    permission: str = ""

    def visible_to(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)


SECTIONS: list[Section] = [
    Section(
        "cases",
        "enforcement",
        _("Cases"),  # 案件
        _(
            "Enforcement cases from filing to closure: numbering, deadlines, consultations, joint "
            "meetings, objections, coercive measures, field work, travel and campaigns."
        ),
        url_name="enforcement:case-list",
    ),
    Section(
        "funds",
        "casefunds",
        _("Funds"),  # 案款
        _(
            "One person, one case, one account: virtual sub-accounts, deposits, payouts, fee "
            "refunds, idle-money alerts and reconciliation."
        ),
        url_name="casefunds:workbench",
        permission="casefunds.view_deposit",
    ),
    Section(
        "debtors",
        "debtors",
        _("Debtors"),  # 被执行人
        _(
            "Central property investigation and freezes, the dishonest-debtor list, consumption "
            "restrictions, public exposure and the tip hotline."
        ),
        url_name="debtors:home",
        permission="debtors.view_freeze",
    ),
    Section(
        "standby",
        "standby",
        _("Standby"),  # 备勤
        _("The 24-hour 1+1+1 standby roster and police callouts with handover deadlines."),
        url_name="standby:board",
        permission="standby.view_shift",
    ),
    Section(
        "vehicles",
        "vehicles",
        _("Vehicles"),  # 车辆
        _("Surveillance of debtors' vehicles, impound and third-party custody."),
        url_name="vehicles:home",
        permission="vehicles.view_vehicle",
    ),
    Section(
        "liaison",
        "liaison",
        _("Liaison"),  # 执行联络站
        _("Parties' messages to the judges of their cases, and how fast they are answered."),
        url_name="liaison:threads",
        permission="liaison.view_thread",
    ),
]

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}

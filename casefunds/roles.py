"""What each role may do with case funds (granted by migration, restored after flush)."""

from __future__ import annotations

from courtexec.roles import Role

VIEWABLE = ["account", "transfer", "posting", "deposit", "payout", "litigationfee", "hold",
            "fundsalert", "idletier", "channel", "statementimport", "courtaccount"]  # fmt: skip


def _perms(action: str, *models: str) -> list[str]:
    return [f"casefunds.{action}_{model}" for model in models]


CASEFUNDS_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _perms("view", *VIEWABLE) + _perms("add", "payout", "hold"),
    Role.CLERK: _perms("view", *VIEWABLE) + _perms("add", "payout", "hold"),
    Role.SECTION_CHIEF: _perms("view", *VIEWABLE) + _perms("add", "payout", "hold"),
    Role.BUREAU_CHIEF: _perms("view", *VIEWABLE)
    + _perms("add", "payout", "hold")
    + ["casefunds.approve_payout", "casefunds.decide_hold"],
    Role.FINANCE: _perms("view", *VIEWABLE)
    + _perms("add", "deposit", "litigationfee", "statementimport", "transfer")
    + ["casefunds.review_payout", "casefunds.assign_deposit"],
    Role.PRESIDENT: _perms("view", *VIEWABLE),
    Role.SYSADMIN: _perms("view", *VIEWABLE)
    + _perms("add", "channel", "idletier")
    + _perms("change", "channel", "idletier", "courtaccount"),
}


DEFAULT_TIERS = [
    # Idle-money tiers (款项沉淀分级预警) a new court starts with; editable in admin.
    # days, label, colour, roles of the court told besides the case judge
    (15, "15日提示", "info", []),
    (30, "30日超期", "warning", ["section_chief"]),
    (60, "60日严重超期", "orange", ["bureau_chief"]),
    (90, "90日重大超期", "danger", ["court_president"]),
]

"""What each role may do with property investigation and control (granted by migration)."""

from __future__ import annotations

from courtexec.roles import Role

VIEWABLE = ["investigationrequest", "investigatorrotation", "rotationmember", "search", "finding",
            "freeze", "freezerenewal", "renewalreminder", "deduction"]  # fmt: skip


def _perms(action: str, *models: str) -> list[str]:
    return [f"debtors.{action}_{model}" for model in models]


# Case officers ask for searches and order freezes, renewals and deductions; the investigation
# group (查控组) works the queue: it searches and carries out the orders too.
_ORDERS = _perms("add", "investigationrequest", "freeze", "freezerenewal", "deduction") + _perms(
    "change", "freeze"
)

DEBTORS_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _perms("view", *VIEWABLE) + _ORDERS,
    Role.CLERK: _perms("view", *VIEWABLE) + _ORDERS,
    Role.INVESTIGATOR: _perms("view", *VIEWABLE)
    + _ORDERS
    + _perms("add", "search", "finding")
    + _perms("change", "investigationrequest"),
    Role.SECTION_CHIEF: _perms("view", *VIEWABLE) + _perms("change", "investigatorrotation"),
    Role.BUREAU_CHIEF: _perms("view", *VIEWABLE) + _perms("change", "investigatorrotation"),
    Role.PRESIDENT: _perms("view", *VIEWABLE),
    Role.SYSADMIN: _perms("view", *VIEWABLE) + _perms("change", "investigatorrotation"),
}

# The dishonest-debtor list and consumption restriction (granted by migration 0004): case
# officers propose, serve, publish, delete and correct; the president approves and extends.
BLACKLIST_VIEWABLE = ["blacklistentry", "blacklistextension", "deletiontask", "correctionrequest",
                      "restrictionorder", "restrictionexemption"]  # fmt: skip
_LISTING = _perms(
    "add", "blacklistentry", "correctionrequest", "restrictionorder", "restrictionexemption"
) + _perms("change", "blacklistentry", "correctionrequest", "restrictionorder",
           "restrictionexemption")  # fmt: skip

BLACKLIST_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _perms("view", *BLACKLIST_VIEWABLE) + _LISTING,
    Role.CLERK: _perms("view", *BLACKLIST_VIEWABLE) + _LISTING,
    Role.SECTION_CHIEF: _perms("view", *BLACKLIST_VIEWABLE),
    Role.BUREAU_CHIEF: _perms("view", *BLACKLIST_VIEWABLE),
    Role.PRESIDENT: _perms("view", *BLACKLIST_VIEWABLE)
    + _perms("change", "blacklistentry")
    + _perms("add", "blacklistextension"),
    Role.SYSADMIN: _perms("view", *BLACKLIST_VIEWABLE),
}

# --- Exposure (360°曝光), granted by migration 0007: case officers record and withdraw
# exposures and export the national list; the chiefs and the president read them.
EXPOSURE_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _perms("view", "exposurerecord") + _perms("add", "exposurerecord")
    + _perms("change", "exposurerecord"),
    Role.CLERK: _perms("view", "exposurerecord") + _perms("add", "exposurerecord")
    + _perms("change", "exposurerecord"),
    Role.SECTION_CHIEF: _perms("view", "exposurerecord"),
    Role.BUREAU_CHIEF: _perms("view", "exposurerecord"),
    Role.PRESIDENT: _perms("view", "exposurerecord"),
    Role.SYSADMIN: _perms("view", "exposurerecord"),
}  # fmt: skip

# Tips (举报线索, granted by migration 0006): case officers, the investigation group and the
# chiefs log hotline calls and check leads; chiefs and the group also assign unrouted ones.
TIP_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _perms("view", "tip") + _perms("add", "tip") + _perms("change", "tip"),
    Role.CLERK: _perms("view", "tip") + _perms("add", "tip") + _perms("change", "tip"),
    Role.INVESTIGATOR: _perms("view", "tip") + _perms("add", "tip") + _perms("change", "tip"),
    Role.SECTION_CHIEF: _perms("view", "tip") + _perms("add", "tip") + _perms("change", "tip"),
    Role.BUREAU_CHIEF: _perms("view", "tip") + _perms("add", "tip") + _perms("change", "tip"),
    Role.PRESIDENT: _perms("view", "tip"),
    Role.SYSADMIN: _perms("view", "tip"),
}

# Re-searches after 终本 (granted by migration 0008): everyone who sees the investigation work
# sees the schedule; the daily job writes it.
RESEARCH_GRANTS: dict[Role, list[str]] = {
    role: _perms("view", "researchrun")
    for role in (
        Role.JUDGE,
        Role.CLERK,
        Role.INVESTIGATOR,
        Role.SECTION_CHIEF,
        Role.BUREAU_CHIEF,
        Role.PRESIDENT,
        Role.SYSADMIN,
    )
}

"""What each role may do with enforcement records (granted by migration, restored after flush)."""

from __future__ import annotations

from courtexec.roles import Role


def _perms(action: str, *models: str) -> list[str]:
    return [f"enforcement.{action}_{model}" for model in models]


CASE_WORK = ["enforcementcase", "party", "caseparty", "consultation", "objection",
             "coercivemeasure", "fieldaction", "fieldphoto", "travelrequest",
             "deadlineextension", "assetdisposal"]  # fmt: skip
OVERSIGHT = ["jointmeeting", "meetingdecision", "campaign", "consultationreminder", "ticket"]
EVERYTHING = CASE_WORK + OVERSIGHT

ENFORCEMENT_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _perms("view", *EVERYTHING)
    + _perms("add", *CASE_WORK)
    + _perms("change", *CASE_WORK),
    Role.CLERK: _perms("view", *EVERYTHING)
    + _perms("add", *CASE_WORK)
    + _perms("change", *CASE_WORK),
    Role.SECTION_CHIEF: _perms("view", *EVERYTHING)
    + _perms("add", *EVERYTHING)
    + _perms("change", *EVERYTHING),
    Role.BUREAU_CHIEF: _perms("view", *EVERYTHING)
    + _perms("add", *EVERYTHING)
    + _perms("change", *EVERYTHING),
    Role.PRESIDENT: _perms("view", *EVERYTHING)
    + _perms("change", "deadlineextension", "coercivemeasure")
    + _perms("add", "campaign"),
    Role.JUDICIAL_POLICE: _perms("view", "enforcementcase", "party", "caseparty", "fieldaction")
    + _perms("add", "fieldaction", "fieldphoto"),
    Role.INVESTIGATOR: _perms("view", "enforcementcase", "party", "caseparty"),
    Role.FINANCE: _perms(
        "view", "enforcementcase", "party", "caseparty", "travelrequest", "ticket"
    ),
    Role.SYSADMIN: _perms("view", *EVERYTHING),
}

# Models newer than the grants of migration 0002, granted by their own migration.
DEADLINE_WARNING_GRANTS: dict[Role, list[str]] = {
    role: ["enforcement.view_deadlinewarning"]
    for role in (
        Role.JUDGE,
        Role.CLERK,
        Role.SECTION_CHIEF,
        Role.BUREAU_CHIEF,
        Role.PRESIDENT,
        Role.SYSADMIN,
    )
}

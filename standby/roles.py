"""What each role may do with the standby roster and callouts (registered with the roles, so
``sync_roles`` grants them after every migrate and flush)."""

from __future__ import annotations

from courtexec.roles import Role

VIEWABLE = [
    "standbyteam",
    "rotation",
    "rotationteam",
    "shift",
    "callout",
    "calloutevent",
    # --- roster ---
    "override",
    "shiftswap",
]


def _perms(action: str, *models: str) -> list[str]:
    return [f"standby.{action}_{model}" for model in models]


# Everyone of the bureau sees the roster and the callouts and can acknowledge and work a
# callout; the bureau chief keeps the teams and the rotation; the police liaison reports
# callouts (and sees only their own: see the selectors).
_WORK_CALLOUTS = _perms("add", "callout") + _perms("change", "callout")
_KEEP_ROSTER = _perms("add", "standbyteam", "shift", "override") + _perms(
    "change", "standbyteam", "rotation", "shift", "shiftswap"
)

STANDBY_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _perms("view", *VIEWABLE) + _WORK_CALLOUTS,
    Role.CLERK: _perms("view", *VIEWABLE) + _WORK_CALLOUTS,
    Role.JUDICIAL_POLICE: _perms("view", *VIEWABLE) + _WORK_CALLOUTS,
    Role.SECTION_CHIEF: _perms("view", *VIEWABLE) + _WORK_CALLOUTS,
    Role.BUREAU_CHIEF: _perms("view", *VIEWABLE) + _WORK_CALLOUTS + _KEEP_ROSTER,
    Role.PRESIDENT: _perms("view", *VIEWABLE),
    Role.SYSADMIN: _perms("view", *VIEWABLE) + _KEEP_ROSTER,
    Role.POLICE_LIAISON: _perms("add", "callout") + _perms("view", "callout"),
}

"""Who sees the command centre, the per-judge table and the monthly reports."""

from courtexec.roles import Role

# Every bureau role sees the command centre; each tile also needs its app's view permission
# (a tile of case funds shows only to those who may see case funds).
_BUREAU = [
    Role.JUDGE,
    Role.CLERK,
    Role.BUREAU_CHIEF,
    Role.SECTION_CHIEF,
    Role.JUDICIAL_POLICE,
    Role.FINANCE,
    Role.INVESTIGATOR,
    Role.PRESIDENT,
    Role.SYSADMIN,
]
_CHIEFS = [Role.BUREAU_CHIEF, Role.SECTION_CHIEF, Role.PRESIDENT]

COMMAND_GRANTS: dict[Role, list[str]] = {
    role: ["command.view_command_centre", "command.view_exportjob"]
    + (["command.view_workload", "command.view_monthlyreport"] if role in _CHIEFS else [])
    + (["command.view_monthlyreport"] if role == Role.SYSADMIN else [])
    for role in _BUREAU
}

# Who receives the monthly report (notify_role), in each court.
REPORT_RECIPIENTS = (Role.BUREAU_CHIEF, Role.SECTION_CHIEF, Role.PRESIDENT)

"""What each bureau role may do at the liaison station. Parties hold no model permission: they
reach only their own cases and threads, through ``enforcement.liaison.portal``."""

from courtexec.roles import Role

_STAFF_READ = [
    "liaison.view_thread",
    "liaison.view_message",
    "liaison.view_serveddocument",
]
_CASE_STAFF = [
    *_STAFF_READ,
    "liaison.add_message",
    "liaison.add_serveddocument",
]

LIAISON_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _CASE_STAFF,
    Role.CLERK: _CASE_STAFF,
    Role.SECTION_CHIEF: _CASE_STAFF,
    Role.BUREAU_CHIEF: _CASE_STAFF,
    Role.PRESIDENT: _STAFF_READ,
    Role.SYSADMIN: [*_STAFF_READ, "liaison.view_portalaccount", "liaison.change_portalaccount"],
}

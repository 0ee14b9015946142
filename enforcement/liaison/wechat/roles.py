"""Who may look at the WeChat records in admin: the bureau's chiefs see their court's, the
system administrator every court's and may remove a binding (a lost phone)."""

from courtexec.roles import Role

_READ = ["courtexec.view_wechatbinding", "liaison.view_wechatinbound"]

WECHAT_GRANTS: dict[Role, list[str]] = {
    Role.BUREAU_CHIEF: _READ,
    Role.SECTION_CHIEF: _READ,
    Role.SYSADMIN: [*_READ, "courtexec.delete_wechatbinding"],
}

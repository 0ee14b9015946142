"""Admin of the liaison station; each part registers its own pages."""

from enforcement.liaison.wechat import admin as wechat_admin  # noqa: F401

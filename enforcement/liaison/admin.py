"""Admin pages of the liaison station, one module per part of the app."""

from enforcement.liaison import admin_messaging, admin_portal  # noqa: F401
from enforcement.liaison.wechat import admin as wechat_admin  # noqa: F401

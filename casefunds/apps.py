from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseFundsConfig(AppConfig):
    name = "casefunds"
    verbose_name = _("Case funds")

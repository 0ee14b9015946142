from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseFundsConfig(AppConfig):
    name = "casefunds"
    verbose_name = _("Case funds")

    def ready(self) -> None:
        from casefunds.roles import CASEFUNDS_GRANTS
        from courtexec.roles import register_grants

        register_grants(CASEFUNDS_GRANTS)

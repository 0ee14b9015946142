from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandbyConfig(AppConfig):
    name = "standby"
    verbose_name = _("Standby")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from standby.roles import STANDBY_GRANTS

        register_grants(STANDBY_GRANTS)

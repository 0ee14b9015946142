from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("Enforcement cases")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from enforcement.roles import DEADLINE_WARNING_GRANTS, ENFORCEMENT_GRANTS

        register_grants(ENFORCEMENT_GRANTS)
        register_grants(DEADLINE_WARNING_GRANTS)

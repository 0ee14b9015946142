from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtorsConfig(AppConfig):
    name = "debtors"
    verbose_name = _("Debtors")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from debtors.roles import DEBTORS_GRANTS

        register_grants(DEBTORS_GRANTS)
        # Exposure slice (and the list's grants, so a flush between live-server tests keeps them)
        from debtors.roles import BLACKLIST_GRANTS, EXPOSURE_GRANTS

        register_grants(BLACKLIST_GRANTS)
        register_grants(EXPOSURE_GRANTS)
        from debtors.roles import TIP_GRANTS

        register_grants(TIP_GRANTS)

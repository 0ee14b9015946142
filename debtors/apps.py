from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtorsConfig(AppConfig):
    name = "debtors"
    verbose_name = _("Debtors")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from debtors.roles import DEBTORS_GRANTS

        register_grants(DEBTORS_GRANTS)
        # The list's and restriction's grants (migration 0004) must survive a flush too.
        from debtors.roles import BLACKLIST_GRANTS

        register_grants(BLACKLIST_GRANTS)

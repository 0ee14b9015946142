from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtorsConfig(AppConfig):
    name = "debtors"
    verbose_name = _("Debtors")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from debtors.roles import BLACKLIST_GRANTS, DEBTORS_GRANTS, EXPOSURE_GRANTS, TIP_GRANTS

        # Registered (not only granted by migrations) so a flush between live-server tests and
        # sync_roles after every migrate restore them.
        for grants in (DEBTORS_GRANTS, BLACKLIST_GRANTS, EXPOSURE_GRANTS, TIP_GRANTS):
            register_grants(grants)

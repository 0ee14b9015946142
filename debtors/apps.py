from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtorsConfig(AppConfig):
    name = "debtors"
    verbose_name = _("Debtors")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from debtors.roles import DEBTORS_GRANTS

        register_grants(DEBTORS_GRANTS)

        from debtors.roles import BLACKLIST_GRANTS, RESEARCH_GRANTS

        register_grants(BLACKLIST_GRANTS)  # restored after a flush, like the first slice's
        register_grants(RESEARCH_GRANTS)
        # Campaign figures count blacklist entries from the debtors records; enforcement asks
        # through this hook and never imports debtors.
        from debtors.selectors import campaign_blacklist_entries
        from enforcement.selectors import register_campaign_counter

        register_campaign_counter("blacklist_entries", campaign_blacklist_entries)

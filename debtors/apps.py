from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtorsConfig(AppConfig):
    name = "debtors"
    verbose_name = _("Debtors")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from debtors.roles import (
            BLACKLIST_GRANTS,
            DEBTORS_GRANTS,
            EXPOSURE_GRANTS,
            RESEARCH_GRANTS,
            TIP_GRANTS,
        )
        from debtors.selectors import campaign_blacklist_entries
        from enforcement.selectors import register_campaign_counter

        # Registered (not only granted by migrations) so sync_roles restores them after a flush.
        for grants in (
            DEBTORS_GRANTS,
            BLACKLIST_GRANTS,
            EXPOSURE_GRANTS,
            TIP_GRANTS,
            RESEARCH_GRANTS,
        ):
            register_grants(grants)
        # Campaign figures count blacklist entries from the debtors records; enforcement asks
        # through this hook and never imports debtors.
        register_campaign_counter("blacklist_entries", campaign_blacklist_entries)

        import debtors.signals  # noqa: F401  (the public search's read model, ADR 013)

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CaseFundsConfig(AppConfig):
    name = "casefunds"
    verbose_name = _("Case funds")

    def ready(self) -> None:
        from casefunds.roles import CASEFUNDS_GRANTS
        from courtexec.roles import register_grants

        register_grants(CASEFUNDS_GRANTS)
        post_migrate.connect(ensure_default_tiers, sender=self, dispatch_uid="casefunds.tiers")


def ensure_default_tiers(sender=None, **kwargs) -> None:
    """post_migrate: with no idle-money tier at all (a fresh or flushed database), the defaults
    of migration 0003 are put back; tiers an administrator edited are left alone."""
    from casefunds.models import IdleTier
    from casefunds.roles import DEFAULT_TIERS

    if not IdleTier.objects.exists():
        IdleTier.objects.bulk_create(
            IdleTier(days=days, label=label, colour=colour, notify_roles=roles)
            for days, label, colour, roles in DEFAULT_TIERS
        )

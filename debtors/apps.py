from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtorsConfig(AppConfig):
    name = "debtors"
    verbose_name = _("Debtors")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from debtors.roles import DEBTORS_GRANTS

        register_grants(DEBTORS_GRANTS)

        import debtors.signals  # noqa: F401  (the public search's read model, ADR 013)

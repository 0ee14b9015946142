from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtExecConfig(AppConfig):
    name = "courtexec"
    verbose_name = _("Courts and staff")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from courtexec import history  # noqa: F401  (connects the history signal)
        from courtexec.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="courtexec.sync_roles")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtExecConfig(AppConfig):
    name = "courtexec"
    verbose_name = _("Courts and staff")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from courtexec import history  # noqa: F401  (connects the history signal)
        from courtexec.roles import sync_roles
        from courtexec.seeds import restore_seeded_rows

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="courtexec.sync_roles")
        post_migrate.connect(restore_seeded_rows, sender=self, dispatch_uid="courtexec.seeds")

        from django.db.models.signals import post_delete, post_save

        from courtexec.models import CalendarDay
        from courtexec.working_days import clear_cache

        for signal in (post_save, post_delete):
            signal.connect(clear_cache, sender=CalendarDay, dispatch_uid="courtexec.calendar")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "courtexec.command"
    label = "command"
    verbose_name = _("Command centre")

    def ready(self) -> None:
        from courtexec.command.roles import COMMAND_GRANTS
        from courtexec.roles import register_grants

        register_grants(COMMAND_GRANTS)

        import courtexec.command.figures  # noqa: F401 (registers every app's tiles and charts)

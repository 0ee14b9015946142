from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "enforcement.liaison"
    label = "liaison"
    verbose_name = _("Liaison station")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from enforcement.liaison.roles import LIAISON_GRANTS
        from enforcement.liaison.wechat.roles import WECHAT_GRANTS

        register_grants(LIAISON_GRANTS)
        register_grants(WECHAT_GRANTS)  # restored after a flush, like the others

        import enforcement.liaison.checks  # noqa: F401 (registers the WeChat system checks)
        from enforcement.liaison import messaging_receivers  # noqa: F401 (connects them)

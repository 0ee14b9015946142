from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandbyConfig(AppConfig):
    name = "standby"
    verbose_name = _("Standby")

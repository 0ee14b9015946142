from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("Vehicles")

    def ready(self) -> None:
        from courtexec.roles import register_grants
        from vehicles.roles import VEHICLES_GRANTS

        register_grants(VEHICLES_GRANTS)

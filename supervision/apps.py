from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision of listed subjects (inspections, unannounced visits, rectification
    orders), timeliness accountability per bureau, and leads (举报线索) from the public."""

    name = "supervision"
    verbose_name = _("Supervision and accountability")

    def ready(self) -> None:
        from supervision.dashboard import dashboard_register

        dashboard_register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision of listed subjects (inspections, unannounced visits, rectification
    orders), timeliness accountability per bureau, and leads (举报线索) from the public."""

    name = "supervision"
    verbose_name = _("Supervision and accountability")

    def ready(self) -> None:
        from supervision.dashboard import dashboard_register
        from supervision.hooks import measures_and_leads_register
        from supervision.measures_tiles import measures_tiles_register

        measures_and_leads_register()
        # The region's backlog and timeliness first, then rectifications and leads.
        dashboard_register()
        measures_tiles_register()

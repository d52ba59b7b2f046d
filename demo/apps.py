from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data and accounts for a local trial (`manage.py seed_demo`). The top layer: it may
    use every app's services."""

    name = "demo"
    verbose_name = _("Demo data")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """China's official working-day calendar and the working-day arithmetic every deadline
    uses. Sits just above the kernel: records, archive and the others count on it."""

    name = "workdays"
    verbose_name = _("Working-day calendar")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Bulk intake of records from spreadsheets (XLSX and CSV): template, upload, check in
    the worker, preview, confirm through the records services."""

    name = "intake"
    verbose_name = _("Spreadsheet intake")

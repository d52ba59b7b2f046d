from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Bulk intake of records from spreadsheets (XLSX and CSV): template, upload, check in
    the worker, preview, confirm through the records services."""

    name = "intake"
    verbose_name = _("Spreadsheet intake")

    def ready(self) -> None:
        from intake.dashboard import imports_waiting_tiles
        from intake.notifications import notify_reviewers_of_import
        from intake.services import checking, imports
        from kernel.audit import action_labels_register
        from kernel.dashboard import dashboard_tiles_register
        from kernel.jobs import job_register

        action_labels_register(
            {
                "import_upload": _("spreadsheet uploaded for import"),
                "import_confirm": _("spreadsheet import confirmed"),
                "import_discard": _("spreadsheet import discarded"),
            }
        )
        job_register(
            "intake_check",
            checking.import_check,
            on_give_up=checking.import_check_give_up,
            long_running=True,
        )
        job_register(
            "intake_create",
            imports.import_create,
            on_give_up=imports.import_create_give_up,
            long_running=True,
        )
        job_register("intake_notify_reviewers", notify_reviewers_of_import)
        dashboard_tiles_register("intake", imports_waiting_tiles)

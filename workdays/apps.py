from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """China's official working-day calendar and the working-day arithmetic every deadline
    uses. Sits just above the kernel: records, archive and the others count on it."""

    name = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from kernel.audit import action_labels_register
        from kernel.jobs import job_register
        from workdays import services

        action_labels_register(
            {
                "calendar_year_create": _("working-day calendar entered"),
                "calendar_year_update": _("working-day calendar changed (draft)"),
                "calendar_year_load": _("working-day calendar loaded"),
                "calendar_year_correct": _("working-day calendar corrected"),
                "calendar_year_approve": _("working-day calendar approved"),
            }
        )
        job_register(services.REMINDER_JOB, services.calendar_reminder_email)

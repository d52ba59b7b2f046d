from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """China's official working-day calendar and the working-day arithmetic every deadline
    uses. Sits just above the kernel: records, archive and the others count on it."""

    name = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from kernel.jobs import job_register
        from workdays import services

        job_register(services.REMINDER_JOB, services.calendar_reminder_email)

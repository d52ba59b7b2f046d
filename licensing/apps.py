from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("Licence review")

    def ready(self) -> None:
        from kernel.audit import action_labels_register
        from kernel.jobs import job_register
        from licensing.services import batches

        action_labels_register(
            {
                "applicant_check": _("applicant checked"),
                "applicant_check_conclude": _("check concluded"),
                "check_batch_create": _("batch of applicants uploaded"),
            }
        )
        job_register(
            "licensing_batch_part",
            batches.batch_part_run,
            on_give_up=batches.batch_part_give_up,
            long_running=True,
        )

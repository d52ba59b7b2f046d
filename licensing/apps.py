from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("Licence review")

    def ready(self) -> None:
        from kernel.jobs import job_register
        from licensing.services import batches

        job_register(
            "licensing_batch_part",
            batches.batch_part_run,
            on_give_up=batches.batch_part_give_up,
            long_running=True,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = _("Public disclosure")

    def ready(self) -> None:
        from publication.deadlines import archive_deadlines_recompute
        from workdays.hooks import deadline_recompute_register

        deadline_recompute_register("archive_request_deadline", archive_deadlines_recompute)

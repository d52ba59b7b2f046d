from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """The credit archive (信用档案): interested parties' requests, decisions, read grants,
    the access log and proof files. It owns which archived records a requester may read."""

    name = "archive"
    verbose_name = _("Credit archive")

    def ready(self) -> None:
        from archive.deadlines import archive_deadlines_recompute
        from workdays.hooks import deadline_recompute_register

        deadline_recompute_register("archive_request_deadline", archive_deadlines_recompute)

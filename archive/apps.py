from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """The credit archive (信用档案): interested parties' requests, decisions, read grants,
    the access log and proof files. It owns which archived records a requester may read."""

    name = "archive"
    verbose_name = _("Credit archive")

    def ready(self) -> None:
        from archive import mail
        from archive.deadlines import archive_deadlines_recompute
        from kernel.audit import action_labels_register
        from kernel.jobs import job_register
        from workdays.hooks import deadline_recompute_register

        action_labels_register(
            {
                "archive_request_file": _("archive request filed"),
                "archive_request_approve": _("archive request approved"),
                "archive_request_refuse": _("archive request refused"),
                "archive_request_deadline_recomputed": _(
                    "deadline counted again on the corrected working-day calendar"
                ),
                "archive_record_read": _("archived record read"),
            }
        )
        deadline_recompute_register("archive_request_deadline", archive_deadlines_recompute)

        job_register("archive_decision_email", mail.decision_email_send)
        job_register("archive_reminder_email", mail.reminder_email_send)
        job_register("archive_overdue_digest", mail.overdue_digest_send)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Bad records")

    def ready(self) -> None:
        from kernel.audit import action_labels_register, audit_scopes_register
        from kernel.jobs import job_register
        from records import deadlines, notifications
        from records.audit_labels import ACTION_LABELS
        from records.audit_scopes import audit_scopes
        from workdays.hooks import deadline_recompute_register

        action_labels_register(ACTION_LABELS)
        audit_scopes_register(audit_scopes)
        job_register("notify_reviewers_of_submission", notifications.notify_reviewers_of_submission)
        deadline_recompute_register("publish_deadline", deadlines.publish_deadlines_recompute)

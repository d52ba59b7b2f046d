from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """The listed subject's rights: notice of publication, objections (异议), credit repair
    and early removal, and the subject's own view of its records."""

    name = "rights"
    verbose_name = _("Subject's rights")

    def ready(self) -> None:
        from kernel.audit import action_labels_register
        from kernel.dashboard import dashboard_tiles_register
        from kernel.jobs import job_register
        from rights import mail
        from rights.dashboard import rights_tiles
        from rights.deadlines import rights_deadlines_recompute
        from workdays.hooks import deadline_recompute_register

        action_labels_register(
            {
                "subject_claim_file": _("claim to be the subject filed"),
                "subject_claim_verify": _("subject verified"),
                "subject_claim_refuse": _("subject claim refused"),
                "objection_file": _("objection filed"),
                "objection_uphold": _("objection upheld"),
                "objection_reject": _("objection rejected"),
                "repair_apply": _("credit repair applied for"),
                "repair_approve": _("credit repair approved"),
                "repair_reject": _("credit repair rejected"),
                "notice_record": _("notice to the subject recorded"),
                "rights_deadline_recomputed": _(
                    "deadline counted again on the corrected working-day calendar"
                ),
            }
        )
        deadline_recompute_register("rights_deadline", rights_deadlines_recompute)
        job_register("rights_claim_decided_email", mail.claim_decided_send)
        job_register("rights_objection_filed_email", mail.objection_filed_send)
        job_register("rights_objection_answered_email", mail.objection_answered_send)
        job_register("rights_repair_filed_email", mail.repair_filed_send)
        job_register("rights_repair_decided_email", mail.repair_decided_send)
        job_register("rights_reminder_email", mail.reminder_send)
        job_register("rights_overdue_digest", mail.overdue_digest_send)
        dashboard_tiles_register("rights", rights_tiles)

"""What measures and leads register with the layers below (audit labels, outbox jobs, the
working-day calendar's deadline recompute), called once from SupervisionConfig.ready()."""

from django.utils.translation import gettext_lazy as _


def measures_and_leads_register() -> None:
    from kernel.audit import action_labels_register
    from kernel.jobs import job_register
    from supervision import lead_mail
    from supervision.services.leads import lead_deadlines_recompute
    from workdays.hooks import deadline_recompute_register

    action_labels_register(
        {
            "measure_create": _("supervision measure logged"),
            "measure_attachment_add": _("file added to a supervision measure"),
            "measure_follow_up": _("rectification follow-up recorded"),
            "measure_record_start": _("draft record started after no rectification"),
            "lead_file": _("lead filed"),
            "lead_accept": _("lead accepted"),
            "lead_transfer": _("lead transferred"),
            "lead_not_accept": _("lead not accepted"),
            "lead_measure_create": _("supervision measure logged from a lead"),
            "lead_record_start": _("draft record started from a lead"),
            "lead_deadline_recomputed": _(
                "deadline counted again on the corrected working-day calendar"
            ),
        }
    )
    deadline_recompute_register("lead_first_answer", lead_deadlines_recompute)
    job_register("lead_answer_email", lead_mail.answer_email_send)
    job_register("lead_reminder_email", lead_mail.reminder_email_send)
    job_register("lead_overdue_digest", lead_mail.overdue_digest_send)

"""E-mails about leads: the answer to a reporter who asked for one (by e-mail), reminders
and the overdue list to the handling bureau's staff. Services queue them as outbox jobs in
their own transaction (registered in supervision/apps.py); the drain composes and sends them
with the `*_send` functions, which re-read the state first so that a retry or a late run
never sends something no longer true."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kernel import jobs
from kernel.mail import absolute_url, mail_send
from records.models import User


def queue_answer_email(*, lead_id: int) -> None:
    jobs.job_enqueue(name="lead_answer_email", payload={"lead_id": lead_id})


def queue_reminder_email(*, lead_id: int) -> None:
    jobs.job_enqueue(name="lead_reminder_email", payload={"lead_id": lead_id})


def queue_overdue_digest(*, bureau_id: int, lead_ids: list[int]) -> None:
    jobs.job_enqueue(
        name="lead_overdue_digest", payload={"bureau_id": bureau_id, "lead_ids": lead_ids}
    )


def _handlers(bureau: Any) -> list[str]:
    """The handling bureau's staff who triage leads."""
    return list(
        User.objects.filter(
            bureau=bureau,
            groups__name__in=settings.SUPERVISION_MEASURE_ROLES,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def answer_email_send(*, lead_id: int) -> bool:
    from supervision.models import Lead, LeadStatus

    lead = Lead.objects.select_related("bureau").filter(pk=lead_id).first()
    if lead is None or lead.status == LeadStatus.RECEIVED or "@" not in lead.contact:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your lead %(number)s: %(status)s") % {
            "number": lead.number,
            "status": lead.get_status_display(),
        }
        body = _(
            "Your lead %(number)s about %(name)s: %(status)s (%(bureau)s).\n\n%(reason)s\n\n"
            "Follow it with its receipt number and code at %(url)s"
        ) % {
            "number": lead.number,
            "name": lead.subject_name,
            "status": lead.get_status_display(),
            "bureau": lead.bureau,
            "reason": lead.decision_reason,
            "url": absolute_url(reverse("supervision:lead_follow")),
        }
    mail_send(subject=subject, body=body, recipients=[lead.contact])
    return True


def reminder_email_send(*, lead_id: int) -> bool:
    from supervision.models import Lead

    lead = Lead.objects.waiting().select_related("bureau").filter(pk=lead_id).first()
    if lead is None:
        return False
    recipients = _handlers(lead.bureau)
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Lead %(number)s needs a first answer by %(due)s") % {
            "number": lead.number,
            "due": lead.answer_due.isoformat(),
        }
        body = _("Lead %(number)s about %(name)s waits for triage.\n\n%(url)s") % {
            "number": lead.number,
            "name": lead.subject_name,
            "url": absolute_url(reverse("admin:supervision_lead_change", args=[lead.pk])),
        }
    mail_send(subject=subject, body=body, recipients=recipients)
    return True


def overdue_digest_send(*, bureau_id: int, lead_ids: list[int]) -> bool:
    from records.models import Bureau
    from supervision.models import Lead

    bureau = Bureau.objects.filter(pk=bureau_id).first()
    overdue = list(
        Lead.objects.waiting().filter(pk__in=lead_ids, bureau_id=bureau_id).order_by("answer_due")
    )
    recipients = _handlers(bureau) if bureau else []
    if not overdue or not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(n)d lead(s) past their first-answer deadline") % {"n": len(overdue)}
        lines = [
            _("%(number)s %(name)s, due %(due)s")
            % {"number": lead.number, "name": lead.subject_name, "due": lead.answer_due}
            for lead in overdue
        ]
        url = absolute_url(reverse("admin:supervision_lead_changelist")) + "?answer=overdue"
        body = "\n".join([*lines, "", url])
    mail_send(subject=subject, body=body, recipients=recipients)
    return True

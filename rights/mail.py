"""E-mails of the subject's rights, queued as outbox jobs by the services (registered in
rights/apps.py) and composed by the drain with the `*_send` functions below, which re-read the
state first. A subject gets its e-mails in the language it used when it claimed to be the
subject; the bureau's reviewers in the portal's language."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kernel import jobs
from kernel.mail import absolute_url, mail_send
from records.models import User
from records.roles import Role


def queue(name: str, **payload: Any) -> None:
    jobs.job_enqueue(name=name, payload=payload)


def _reviewers(bureau_id: int) -> list[str]:
    """The reviewers of the publishing bureau: it answers."""
    return list(
        User.objects.filter(bureau_id=bureau_id, groups__name=Role.REVIEWER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _own_page() -> str:
    return absolute_url(reverse("rights:home"))


def claim_decided_send(*, claim_id: int) -> bool:
    from rights.models import ClaimStatus, SubjectClaim

    claim = SubjectClaim.objects.select_related("account", "record").filter(pk=claim_id).first()
    if claim is None or claim.status == ClaimStatus.SUBMITTED or not claim.account.email:
        return False
    with translation.override(claim.language):
        values = {
            "reference": claim.reference,
            "name": claim.record.subject_name,
            "reasons": claim.decision_reasons,
            "url": _own_page(),
        }
        if claim.status == ClaimStatus.VERIFIED:
            subject = _("You are verified as %(name)s") % values
            body = (
                _(
                    "Your claim %(reference)s was accepted: you may now object to its records or "
                    "apply for credit repair.\n\nReasons: %(reasons)s\n\n%(url)s"
                )
                % values
            )
        else:
            subject = _("Your claim %(reference)s was refused") % values
            body = _("Your claim to act for %(name)s was refused.\n\nReasons: %(reasons)s") % values
    mail_send(subject=subject, body=body, recipients=[claim.account.email])
    return True


def _request(kind: str, pk: int) -> Any:
    from rights.models import Objection, RepairApplication

    model = Objection if kind == "objection" else RepairApplication
    return model.objects.select_related("claim__account", "record").filter(pk=pk).first()


def _filed_send(kind: str, pk: int) -> bool:
    item = _request(kind, pk)
    if item is None:
        return False
    sent = False
    with translation.override(item.claim.language):
        values = {
            "reference": item.reference,
            "record": item.record.reference,
            "deadline": item.deadline.isoformat(),
            "url": _own_page(),
        }
        if kind == "objection":
            subject = _("Objection %(reference)s received") % values
            body = (
                _(
                    "Your objection %(reference)s to record %(record)s was received. The "
                    "publishing bureau answers by %(deadline)s; the record stays public meanwhile."
                    "\n\n%(url)s"
                )
                % values
            )
        else:
            subject = _("Credit-repair application %(reference)s received") % values
            body = (
                _(
                    "Your credit-repair application %(reference)s for record %(record)s was "
                    "received. The publishing bureau decides by %(deadline)s.\n\n%(url)s"
                )
                % values
            )
    if item.claim.account.email:
        mail_send(subject=subject, body=body, recipients=[item.claim.account.email])
        sent = True
    recipients = _reviewers(item.record.filing_bureau_id)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            values["url"] = absolute_url(
                reverse(f"admin:rights_{item._meta.model_name}_change", args=[item.pk])
            )
            staff_subject = _("New %(kind)s %(reference)s, due %(deadline)s") % {
                **values,
                "kind": item._meta.verbose_name,
            }
            staff_body = _("Record %(record)s. Answer by %(deadline)s.\n\n%(url)s") % values
        mail_send(subject=staff_subject, body=staff_body, recipients=recipients)
        sent = True
    return sent


def objection_filed_send(*, objection_id: int) -> bool:
    return _filed_send("objection", objection_id)


def repair_filed_send(*, application_id: int) -> bool:
    return _filed_send("repair", application_id)


def _answered_send(kind: str, pk: int) -> bool:
    from rights.models import RequestState

    item = _request(kind, pk)
    if item is None or item.status == RequestState.OPEN or not item.claim.account.email:
        return False
    with translation.override(item.claim.language):
        values = {
            "reference": item.reference,
            "record": item.record.reference,
            "answer": item.status_label,
            "day": item.decided_on.isoformat(),
            "reasons": item.decision_reasons,
            "url": _own_page(),
        }
        subject = _("%(reference)s answered: %(answer)s") % values
        body = (
            _(
                "%(reference)s about record %(record)s was answered on %(day)s: %(answer)s.\n\n"
                "Reasons: %(reasons)s\n\n%(url)s"
            )
            % values
        )
    mail_send(subject=subject, body=body, recipients=[item.claim.account.email])
    return True


def objection_answered_send(*, objection_id: int) -> bool:
    return _answered_send("objection", objection_id)


def repair_decided_send(*, application_id: int) -> bool:
    return _answered_send("repair", application_id)


def reminder_send(*, kind: str, pk: int) -> bool:
    from rights.models import RequestState

    item = _request(kind, pk)
    if item is None or item.status != RequestState.OPEN:
        return False
    recipients = _reviewers(item.record.filing_bureau_id)
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "reference": item.reference,
            "record": item.record.reference,
            "deadline": item.deadline.isoformat(),
            "url": absolute_url(
                reverse(f"admin:rights_{item._meta.model_name}_change", args=[item.pk])
            ),
        }
        subject = _("%(reference)s is due on %(deadline)s") % values
        body = _("%(reference)s about record %(record)s waits for an answer.\n\n%(url)s") % values
    mail_send(subject=subject, body=body, recipients=recipients)
    return True


def overdue_digest_send(*, bureau_id: int, objection_ids: list[int], repair_ids: list[int]) -> bool:
    from rights.models import Objection, RepairApplication, RequestState

    items: list[Objection | RepairApplication] = [
        *Objection.objects.filter(pk__in=objection_ids, status=RequestState.OPEN),
        *RepairApplication.objects.filter(pk__in=repair_ids, status=RequestState.OPEN),
    ]
    recipients = _reviewers(bureau_id)
    if not items or not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(n)d objection(s) or repair application(s) past their deadline") % {
            "n": len(items)
        }
        body = "\n".join(
            _("%(reference)s, deadline %(deadline)s")
            % {"reference": item.reference, "deadline": item.deadline.isoformat()}
            for item in items
        )
    mail_send(subject=subject, body=body, recipients=recipients)
    return True

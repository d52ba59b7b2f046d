"""E-mails of the credit archive: the decision to the requester, reminders and the overdue
list to archive reviewers. Services queue them as outbox jobs in their own transaction
(registered in archive/apps.py); the worker's drain composes and sends them with the `*_send`
functions below, which re-read the state first so that a retry or a late run never sends
something no longer true."""

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kernel import jobs
from kernel.mail import absolute_url, mail_send
from records.models import User
from records.roles import Role

logger = logging.getLogger(__name__)


def queue_decision_email(*, archive_request_id: int) -> None:
    jobs.job_enqueue(
        name="archive_decision_email", payload={"archive_request_id": archive_request_id}
    )


def queue_reminder_email(*, archive_request_id: int) -> None:
    jobs.job_enqueue(
        name="archive_reminder_email", payload={"archive_request_id": archive_request_id}
    )


def queue_overdue_digest(*, bureau_id: int, archive_request_ids: list[int]) -> None:
    jobs.job_enqueue(
        name="archive_overdue_digest",
        payload={"bureau_id": bureau_id, "archive_request_ids": archive_request_ids},
    )


# Composed and sent by the outbox drain.


def decision_email_send(*, archive_request_id: int) -> bool:
    """The requester's e-mail about the decision; sent once (`decision_emailed_at` is the
    guard, set in the drain's transaction). False when there is nothing to send (not decided,
    or already sent)."""
    from archive.models import ArchiveRequest, RequestStatus

    archive_request = (
        ArchiveRequest.objects.select_related("requester").filter(pk=archive_request_id).first()
    )
    if (
        archive_request is None
        or archive_request.status == RequestStatus.SUBMITTED
        or archive_request.decision_emailed_at is not None
        or not archive_request.requester.email
    ):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "reference": archive_request.reference,
            "name": archive_request.subject_name,
            "reasons": archive_request.decision_reasons,
        }
        if archive_request.status == RequestStatus.APPROVED:
            subject = _("Archive request %(reference)s approved") % values
            body = _(
                "Your request %(reference)s to read the credit archive about %(name)s was "
                "approved.\n\nReasons: %(reasons)s\n\nYou may read the records until "
                "%(until)s at %(url)s (sign in first)."
            ) % {
                **values,
                "until": archive_request.access_until.isoformat(),  # type: ignore[union-attr]
                "url": absolute_url(
                    reverse("accounts:login")
                    + "?next="
                    + reverse("archive:records", args=[archive_request.pk])
                ),
            }
        else:
            subject = _("Archive request %(reference)s refused") % values
            body = (
                _(
                    "Your request %(reference)s to read the credit archive about %(name)s was "
                    "refused.\n\nReasons: %(reasons)s"
                )
                % values
            )
    mail_send(subject=subject, body=body, recipients=[archive_request.requester.email])
    ArchiveRequest.objects.filter(pk=archive_request.pk, decision_emailed_at=None).update(
        decision_emailed_at=timezone.now()
    )
    return True


def _archive_reviewers(bureau: Any) -> list[str]:
    """Archive reviewers of the bureau and of every bureau above it."""
    above = [code for code in bureau.path.split("/") if code]
    return list(
        User.objects.filter(
            bureau__code__in=above, groups__name=Role.ARCHIVE_REVIEWER, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def reminder_email_send(*, archive_request_id: int) -> bool:
    from archive.models import ArchiveRequest, RequestStatus

    archive_request = (
        ArchiveRequest.objects.select_related("bureau").filter(pk=archive_request_id).first()
    )
    if archive_request is None or archive_request.status != RequestStatus.SUBMITTED:
        return False
    recipients = _archive_reviewers(archive_request.bureau)
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Archive request %(reference)s is due on %(deadline)s") % {
            "reference": archive_request.reference,
            "deadline": archive_request.deadline.isoformat(),
        }
        body = _(
            "Archive request %(reference)s about %(name)s waits for a decision; its "
            "deadline is %(deadline)s.\n\n%(url)s"
        ) % {
            "reference": archive_request.reference,
            "name": archive_request.subject_name,
            "deadline": archive_request.deadline.isoformat(),
            "url": absolute_url(
                reverse("admin:archive_archiverequest_change", args=[archive_request.pk])
            ),
        }
    mail_send(subject=subject, body=body, recipients=recipients)
    return True


def overdue_digest_send(*, bureau_id: int, archive_request_ids: list[int]) -> bool:
    from archive.models import ArchiveRequest, RequestStatus
    from records.models import Bureau

    bureau = Bureau.objects.filter(pk=bureau_id).first()
    overdue = list(
        ArchiveRequest.objects.filter(
            pk__in=archive_request_ids, status=RequestStatus.SUBMITTED
        ).order_by("deadline", "pk")
    )
    recipients = _archive_reviewers(bureau) if bureau else []
    if not overdue or not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(n)d archive request(s) past their deadline") % {"n": len(overdue)}
        lines = [
            _("%(reference)s %(name)s, deadline %(deadline)s")
            % {
                "reference": item.reference,
                "name": item.subject_name,
                "deadline": item.deadline.isoformat(),
            }
            for item in overdue
        ]
        body = "\n".join(
            [
                *lines,
                "",
                absolute_url(reverse("admin:archive_archiverequest_changelist"))
                + "?deadline=overdue",
            ]
        )
    mail_send(subject=subject, body=body, recipients=recipients)
    return True

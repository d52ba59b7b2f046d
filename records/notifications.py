"""E-mails to staff. Called by outbox jobs, never inside a web request."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from records.models import BadRecord, RecordStatus, User
from records.roles import Role


def notify_reviewers_of_submission(*, record_id: int) -> None:
    """Tell the filing bureau's reviewers that a record waits for them. Re-checks the state:
    a record already reviewed by the time the job runs needs no e-mail."""
    record = BadRecord.objects.select_related("filing_bureau").filter(pk=record_id).first()
    if record is None or record.status != RecordStatus.SUBMITTED:
        return
    recipients = list(
        User.objects.filter(
            bureau=record.filing_bureau_id, groups__name=Role.REVIEWER, is_active=True
        )
        .exclude(pk=record.filed_by_id)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Record %(reference)s waits for your review")
            % {"reference": record.reference},
            message=_(
                "Record %(reference)s (%(name)s, ground %(ground)s) was submitted for review. "
                "Its publication deadline is %(deadline)s."
            )
            % {
                "reference": record.reference,
                "name": record.subject_name,
                "ground": record.ground,
                "deadline": record.publish_deadline.isoformat(),
            },
            from_email=None,
            recipient_list=recipients,
        )

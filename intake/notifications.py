"""E-mail to the bureau's reviewers when an import created records submitted for review: one
message for the file, not one per record. Called by an outbox job, never inside a request."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from intake.models import Import
from records.models import User
from records.roles import Role


def notify_reviewers_of_import(*, import_id: int) -> None:
    batch = Import.objects.filter(pk=import_id, status=Import.Status.CONFIRMED).first()
    if batch is None or batch.create_as != Import.CreateAs.SUBMITTED or not batch.created:
        return
    reviewers = User.objects.filter(
        bureau=batch.bureau_id, groups__name=Role.REVIEWER, is_active=True
    ).exclude(email="")
    if batch.confirmed_by_id is not None:
        reviewers = reviewers.exclude(pk=batch.confirmed_by_id)
    recipients = list(reviewers.values_list("email", flat=True).distinct())
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("%(n)d imported records wait for your review") % {"n": batch.created},
            message=_(
                "%(n)d records were imported from the spreadsheet %(file)s and submitted for "
                "review. They are in the records list with the status submitted."
            )
            % {"n": batch.created, "file": batch.original_name},
            from_email=None,
            recipient_list=recipients,
        )

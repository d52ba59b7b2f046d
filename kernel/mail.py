"""E-mail helpers shared by every app: absolute links to the public site and sending in the
portal's default language (e-mails go to people who did not choose a language)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation


def absolute_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def mail_send(*, subject: str, body: str, recipients: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Public accounts (interested parties today; listed subjects and people reporting leads
    later): sign-up, e-mail verification, sign-in lockout and password reset."""

    name = "accounts"
    verbose_name = _("Public accounts")

    def ready(self) -> None:
        from accounts import mail
        from kernel.audit import action_labels_register
        from kernel.jobs import job_register

        action_labels_register(
            {
                "party_signup": _("public account signed up"),
                "party_verify": _("e-mail address confirmed"),
            }
        )
        job_register("accounts_verification_email", mail.verification_email_send)
        job_register("accounts_signup_notice", mail.signup_notice_send)
        job_register("accounts_password_reset_email", mail.password_reset_email_send)

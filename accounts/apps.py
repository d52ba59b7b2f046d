from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Public accounts (interested parties today; listed subjects and people reporting leads
    later): sign-up, e-mail verification, sign-in lockout and password reset."""

    name = "accounts"
    verbose_name = _("Public accounts")

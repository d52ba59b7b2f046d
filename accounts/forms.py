from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts import mail


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters, not only digits, not a common password, not like your "
            "name or address."
        ),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class LoginForm(forms.Form):
    login = forms.CharField(
        label=_("E-mail address or user name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PartyPasswordResetForm(PasswordResetForm):
    """Django's reset form, for public accounts only, and sending through the outbox so that
    the page answers as fast for an unknown address as for a known one."""

    def get_users(self, email: str) -> Any:
        return (user for user in super().get_users(email) if not user.is_staff)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only outbox rows are written here; the worker makes the link and sends the mail.
        for user in self.get_users(self.cleaned_data["email"]):
            mail.queue_password_reset_email(user_id=user.pk)

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from publication import mail
from publication.models import IdentifierKind, Relationship
from records.models import Bureau
from records.models.bureaus import BureauLevel


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
    """Django's reset form, for public accounts only, and sending through the worker so that
    the page answers as fast for an unknown address as for a known one."""

    def get_users(self, email: str) -> Any:
        return (user for user in super().get_users(email) if not user.is_staff)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mail.queue_prepared_email(subject=subject, body=body, to=to_email)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service (type by content, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def bureau_choices() -> list[tuple[int, str]]:
    """Every bureau as "浙江省 · 杭州市 · 西湖区", from one query."""
    bureaus = list(
        Bureau.objects.exclude(level=BureauLevel.NATIONAL).only("pk", "code", "name", "path")
    )
    names = {bureau.code: bureau.name for bureau in bureaus}
    choices = []
    for bureau in bureaus:
        parts = [names[code] for code in bureau.path.split("/") if code in names]
        label = " · ".join(dict.fromkeys(parts))
        choices.append((bureau.pk, label))
    return sorted(choices, key=lambda choice: choice[1])


class ArchiveRequestForm(forms.Form):
    subject_name = forms.CharField(label=_("Name of the operator or practitioner"), max_length=200)
    identifier_kind = forms.ChoiceField(
        label=_("Type of identifier"), choices=[("", "—"), *IdentifierKind.choices]
    )
    identifier = forms.CharField(label=_("Identifier"), max_length=40)
    bureau = forms.TypedChoiceField(
        label=_("Region"),
        coerce=int,
        help_text=_(
            "The request goes to the tourism bureau of this region; it decides about records "
            "filed in its region."
        ),
    )
    relationship = forms.ChoiceField(
        label=_("Your relationship to the subject"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you chose “other”."),
    )
    proofs = MultipleFileField(
        label=_("Proof of your interest"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB each, up to 5 files."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bureau"].choices = [("", "—"), *bureau_choices()]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["bureau"] = Bureau.objects.filter(pk=data.get("bureau")).first()
        data.pop("proofs", None)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))

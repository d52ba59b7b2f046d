from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import IdentifierKind, Relationship
from records.models import Bureau
from records.models.bureaus import BureauLevel


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
        bureau = cast(forms.TypedChoiceField, self.fields["bureau"])
        bureau.choices = [("", "—"), *bureau_choices()]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        bureau_id = data.get("bureau")
        data["bureau"] = (
            Bureau.objects.filter(pk=bureau_id).first() if bureau_id is not None else None
        )
        data.pop("proofs", None)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.forms import MultipleFileField
from rights.models import ClaimIdentifier, NoticeMethod

PROOF_HELP = _("PDF, JPEG or PNG, at most 10 MB each, up to 5 files.")


class ClaimForm(forms.Form):
    record_reference = forms.CharField(
        label=_("Reference of one of your records"),
        max_length=20,
        help_text=_("As shown on the public page or in the notice letter, e.g. TR00000123."),
    )
    identifier_kind = forms.ChoiceField(
        label=_("Type of identifier"), choices=[("", "—"), *ClaimIdentifier.choices]
    )
    identifier = forms.CharField(
        label=_("Identifier"),
        max_length=40,
        help_text=_(
            "An operator: its unified social credit code or licence number. A practitioner: "
            "its certificate number."
        ),
    )
    acting_person = forms.CharField(label=_("Name of the person acting"), max_length=100)
    proofs = MultipleFileField(
        label=_("Authorisation letter or identity document"),
        required=False,
        help_text=_(
            "An operator: the authorisation letter for the person acting (with the business "
            "licence if you wish). A practitioner: the identity document. %(help)s"
        )
        % {"help": PROOF_HELP},
    )


class ObjectionForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the objection"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say which published field is wrong and why."),
    )
    proofs = MultipleFileField(label=_("Proof"), required=False, help_text=PROOF_HELP)


class RepairForm(forms.Form):
    statement = forms.CharField(
        label=_("Rectification"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe what was done: penalty paid, rectification accepted, no new record."),
    )
    proofs = MultipleFileField(
        label=_("Proof of rectification"), required=False, help_text=PROOF_HELP
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("rejected", _("Rejected")),
            ("corrected", _("Upheld: correct the record")),
            ("withdrawn", _("Upheld: withdraw the record")),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    cause = forms.CharField(
        label=_("Corrected cause"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a correction: the published fields as they should read."),
    )
    penalty_decision = forms.CharField(
        label=_("Corrected penalty decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    complaint_result = forms.CharField(
        label=_("Corrected complaint-handling result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    CORRECTION_FIELDS = ("cause", "penalty_decision", "complaint_result")

    def correction(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.CORRECTION_FIELDS}


class RepairDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: the record leaves the list")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verified")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class NoticeForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=NoticeMethod.choices)
    served_on = forms.DateField(
        label=_("Served on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proofs = MultipleFileField(label=_("Proof of notice"), required=False, help_text=PROOF_HELP)

"""What an officer types, cleaned: the same rules for the check page, the API and each row of
a batch file. Every problem names its field; nothing is looked up until all are fixed."""

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kernel.errors import FieldErrors
from kernel.identifiers import (
    clean_certificate_no,
    clean_credit_code,
    clean_identity_number,
    clean_licence_no,
)
from kernel.names import normalize_name, strip_invisible
from licensing.lookup import Applicant, Person
from licensing.models import ApplicantCheck, ApplicantKind, ApplicationType

FIELDS = (
    "applicant_kind",
    "name",
    "credit_code",
    "licence_no",
    "identity_number",
    "certificate_no",
    "legal_representative",
    "principal_persons",
    "application_type",
    "application_ref",
)
MAX_PRINCIPAL_PERSONS = 20
# The check stores the legal representative's name (its identity number only masked and
# hashed): the name may be no longer than the column, or PostgreSQL refuses the row.
LEGAL_REPRESENTATIVE_MAX_LENGTH: int = ApplicantCheck._meta.get_field(
    "legal_representative"
).max_length  # type: ignore[assignment]


@dataclass
class CheckInput:
    applicant: Applicant
    application_type: str
    application_ref: str


def _person(line: str, errors: FieldErrors, field: str) -> Person | None:
    """`name` or `name identity-number` (a comma, tab or spaces between them)."""
    text = normalize_name(line.replace(",", " ").replace("，", " ").replace("\t", " "))
    if not text:
        return None
    name, _sep, rest = text.rpartition(" ")
    if not name or not any(c.isdigit() for c in rest):
        return Person(name=text)
    identity = errors.check(field, clean_identity_number, rest)
    return Person(name=name, identity_number=identity)


def clean_check_input(data: dict[str, Any]) -> CheckInput:
    errors = FieldErrors()
    value = {key: str(data.get(key) or "").strip() for key in FIELDS}
    kind = value["applicant_kind"]
    if kind not in ApplicantKind.values:
        errors.add("applicant_kind", _("Choose whether the applicant is a company or a person."))
    application_type = value["application_type"]
    if application_type not in ApplicationType.values:
        errors.add("application_type", _("Choose the type of application."))
    # Kept as typed (only invisible characters and repeated spaces go): the check shows the
    # applicant's name as entered; matching normalises on its own.
    name = " ".join(strip_invisible(value["name"]).split())
    if not name:
        errors.add("name", _("Enter the applicant's name."))
    elif len(name) > 200:
        errors.add("name", _("A name has at most 200 characters."))
    reference = normalize_name(value["application_ref"])
    if not reference:
        errors.add("application_ref", _("Enter the application's reference number."))
    elif len(reference) > 100:
        errors.add("application_ref", _("A reference number has at most 100 characters."))

    applicant = Applicant(kind=kind, name=name)
    if kind == ApplicantKind.OPERATOR:
        if value["credit_code"]:
            applicant.credit_code = errors.check(
                "credit_code", clean_credit_code, value["credit_code"]
            )
        if value["licence_no"]:
            applicant.licence_no = errors.check("licence_no", clean_licence_no, value["licence_no"])
        if value["legal_representative"]:
            legal = _person(value["legal_representative"], errors, "legal_representative")
            if legal and len(legal.name) > LEGAL_REPRESENTATIVE_MAX_LENGTH:
                errors.add(
                    "legal_representative",
                    _("A legal representative's name has at most %(n)d characters.")
                    % {"n": LEGAL_REPRESENTATIVE_MAX_LENGTH},
                )
            applicant.legal_representative = legal
        lines = [line for line in re.split(r"[\n;；]", value["principal_persons"]) if line.strip()]
        if len(lines) > MAX_PRINCIPAL_PERSONS:
            errors.add(
                "principal_persons",
                _("At most %(n)d principal persons, one a line.") % {"n": MAX_PRINCIPAL_PERSONS},
            )
        for line in lines[:MAX_PRINCIPAL_PERSONS]:
            person = _person(line, errors, "principal_persons")
            if person:
                applicant.principal_persons.append(person)
    elif kind == ApplicantKind.PERSON:
        if value["identity_number"]:
            applicant.identity_number = errors.check(
                "identity_number", clean_identity_number, value["identity_number"]
            )
        if value["certificate_no"]:
            applicant.certificate_no = errors.check(
                "certificate_no", clean_certificate_no, value["certificate_no"]
            )
        if len(applicant.certificate_no) > 40:
            errors.add("certificate_no", _("A certificate number has at most 40 characters."))
    errors.raise_if_any()
    return CheckInput(
        applicant=applicant, application_type=application_type, application_ref=reference
    )


def error_text(error: ValidationError) -> str:
    """One line naming each field and what is wrong with it (batch reports, logs)."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for e in errs for m in e.messages)}"
            for field, errs in error.error_dict.items()
        )
    return " ".join(error.messages)

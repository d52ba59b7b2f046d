"""Operators and practitioners: creation and change, with their identifiers checked and
normalised (SPEC §4). Only the bureau that created a subject may change it."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kernel import identifiers
from kernel.audit import audit_log, changed_fields
from kernel.errors import FieldErrors
from kernel.identity_numbers import identity_number_digests
from kernel.names import normalize_name, search_key, short_grams
from records.models import Bureau, Operator, Practitioner, PractitionerKind, Sector, User
from records.permissions import can_edit_subject, can_file

OPERATOR_FIELDS = (
    "name",
    "sector",
    "credit_code",
    "licence_no",
    "business_address",
    "legal_representative",
    "region",
)
PRACTITIONER_FIELDS = ("name", "kind", "identity_number", "certificate_no", "employer", "region")


def _text(data: dict[str, Any], field: str) -> str:
    return normalize_name(str(data.get(field) or ""))


def _required(errors: FieldErrors, data: dict[str, Any], field: str) -> None:
    if not data.get(field):
        errors.add(field, _("This field is required."))


def _check_taken(
    errors: FieldErrors, others: QuerySet[Any], cleaned: dict[str, Any], field: str, message: str
) -> None:
    """A valid identifier that another subject already carries points the filer to it.
    Identity numbers are stored encrypted: they are compared by their keyed hash."""
    value = cleaned[field]
    if not value or field in errors.errors:
        return
    if field == "identity_number":
        taken = others.filter(identity_number_hmac__in=identity_number_digests(value))
    else:
        taken = others.filter(**{field: value})
    if taken.exists():
        errors.add(field, message)


def operator_clean(*, data: dict[str, Any], instance: Operator | None = None) -> dict[str, Any]:
    errors = FieldErrors()
    cleaned = {
        "name": str(data.get("name") or "").strip(),
        "sector": data.get("sector") or "",
        "business_address": _text(data, "business_address"),
        "legal_representative": _text(data, "legal_representative"),
        "region": data.get("region"),
        "credit_code": "",
        "licence_no": "",
    }
    for field in ("name", "sector", "region"):
        _required(errors, cleaned, field)
    if cleaned["sector"] and cleaned["sector"] not in Sector.values:
        errors.add("sector", _("Choose one of the listed sectors."))
    if cleaned["region"] is not None and not isinstance(cleaned["region"], Bureau):
        errors.add("region", _("Choose a region from the list."))
    if data.get("credit_code"):
        cleaned["credit_code"] = errors.check(
            "credit_code", identifiers.clean_credit_code, data["credit_code"]
        )
    if data.get("licence_no"):
        cleaned["licence_no"] = errors.check(
            "licence_no", identifiers.clean_licence_no, data["licence_no"]
        )
    others = Operator.objects.exclude(pk=instance.pk) if instance else Operator.objects.all()
    _check_taken(
        errors,
        others,
        cleaned,
        "credit_code",
        _("An operator with this credit code already exists; choose it instead."),
    )
    _check_taken(
        errors,
        others,
        cleaned,
        "licence_no",
        _("An operator with this licence number already exists; choose it instead."),
    )
    errors.raise_if_any()
    return cleaned


def practitioner_clean(
    *, data: dict[str, Any], instance: Practitioner | None = None
) -> dict[str, Any]:
    errors = FieldErrors()
    cleaned = {
        "name": str(data.get("name") or "").strip(),
        "kind": data.get("kind") or "",
        "employer": data.get("employer"),
        "region": data.get("region"),
        "identity_number": "",
        "certificate_no": "",
    }
    for field in ("name", "kind", "region"):
        _required(errors, cleaned, field)
    if cleaned["kind"] and cleaned["kind"] not in PractitionerKind.values:
        errors.add("kind", _("Choose one of the listed kinds."))
    if data.get("identity_number"):
        cleaned["identity_number"] = errors.check(
            "identity_number", identifiers.clean_identity_number, data["identity_number"]
        )
    if data.get("certificate_no"):
        clean = (
            identifiers.clean_guide_certificate_no
            if cleaned["kind"] == PractitionerKind.GUIDE
            else identifiers.clean_certificate_no
        )
        cleaned["certificate_no"] = errors.check("certificate_no", clean, data["certificate_no"])
    others = (
        Practitioner.objects.exclude(pk=instance.pk) if instance else Practitioner.objects.all()
    )
    _check_taken(
        errors,
        others,
        cleaned,
        "identity_number",
        _("A practitioner with this identity number already exists; choose them instead."),
    )
    _check_taken(
        errors,
        others,
        cleaned,
        "certificate_no",
        _("A practitioner with this certificate number already exists; choose them instead."),
    )
    errors.raise_if_any()
    return cleaned


def _subject_state(subject: Operator | Practitioner, fields: tuple[str, ...]) -> dict[str, Any]:
    state = {field: getattr(subject, field) for field in fields}
    if "identity_number" in state:  # never in the audit trail in full
        state["identity_number"] = identifiers.mask_identity_number(state["identity_number"])
    return state


def _name_keys(subject: Operator | Practitioner) -> None:
    """The name's search key and its short grams, kept with every save of the name."""
    subject.name_key = search_key(subject.name)
    subject.name_grams = short_grams(subject.name_key)


def _require_filer(by: User) -> None:
    if not can_file(by):
        raise PermissionDenied(_("Only a filer of a bureau may enter subjects."))


@transaction.atomic
def operator_create(*, by: User, data: dict[str, Any]) -> Operator:
    _require_filer(by)
    cleaned = operator_clean(data=data)
    operator = Operator(**cleaned, created_by_bureau=by.bureau)
    _name_keys(operator)
    operator.save()
    audit_log(
        actor=by,
        action="operator_create",
        obj=operator,
        after=_subject_state(operator, OPERATOR_FIELDS),
    )
    return operator


@transaction.atomic
def operator_update(*, operator: Operator, by: User, data: dict[str, Any]) -> Operator:
    if not can_edit_subject(by, operator):
        raise PermissionDenied(_("Only the bureau that entered this operator may change it."))
    cleaned = operator_clean(data=data, instance=operator)
    before = _subject_state(operator, OPERATOR_FIELDS)
    for field, value in cleaned.items():
        setattr(operator, field, value)
    _name_keys(operator)
    operator.save()
    old, new = changed_fields(before, _subject_state(operator, OPERATOR_FIELDS))
    audit_log(actor=by, action="operator_update", obj=operator, before=old, after=new)
    return operator


@transaction.atomic
def practitioner_create(*, by: User, data: dict[str, Any]) -> Practitioner:
    _require_filer(by)
    cleaned = practitioner_clean(data=data)
    practitioner = Practitioner(**cleaned, created_by_bureau=by.bureau)
    _name_keys(practitioner)
    practitioner.save()
    audit_log(
        actor=by,
        action="practitioner_create",
        obj=practitioner,
        after=_subject_state(practitioner, PRACTITIONER_FIELDS),
    )
    return practitioner


@transaction.atomic
def practitioner_update(
    *, practitioner: Practitioner, by: User, data: dict[str, Any]
) -> Practitioner:
    if not can_edit_subject(by, practitioner):
        raise PermissionDenied(_("Only the bureau that entered this person may change the entry."))
    cleaned = practitioner_clean(data=data, instance=practitioner)
    before = _subject_state(practitioner, PRACTITIONER_FIELDS)
    for field, value in cleaned.items():
        setattr(practitioner, field, value)
    _name_keys(practitioner)
    practitioner.save()
    old, new = changed_fields(before, _subject_state(practitioner, PRACTITIONER_FIELDS))
    audit_log(actor=by, action="practitioner_update", obj=practitioner, before=old, after=new)
    return practitioner

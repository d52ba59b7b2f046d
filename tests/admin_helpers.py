"""Helpers to drive the Django admin like a person with a browser would."""

from typing import Any

from django.test import Client

from records.forms import EvidenceUploadForm


def inline_management_data(response: Any, *, uploads: int = 0) -> dict[str, Any]:
    """Management-form data for every inline on an admin form page: no rows posted, except
    `uploads` new rows for the evidence-upload inline."""
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        is_upload = issubclass(formset.form, EvidenceUploadForm)
        data[f"{formset.prefix}-TOTAL_FORMS"] = uploads if is_upload else 0
        data[f"{formset.prefix}-INITIAL_FORMS"] = 0
        data[f"{formset.prefix}-MIN_NUM_FORMS"] = 0
        data[f"{formset.prefix}-MAX_NUM_FORMS"] = 1000
        if is_upload:
            data["_upload_prefix"] = formset.prefix
    return data


def post_admin_form(
    client: Client, url: str, fields: dict[str, Any], files: list[Any] | None = None
) -> Any:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = inline_management_data(page, uploads=len(files or []))
    prefix = data.pop("_upload_prefix", None)
    for i, upload in enumerate(files or []):
        data[f"{prefix}-{i}-file"] = upload
    data.update(fields)
    return client.post(url, data)


def record_fields(operator_id: int, **overrides: Any) -> dict[str, Any]:
    fields = {
        "subject_type": "operator",
        "operator": operator_id,
        "practitioner": "",
        "ground": "G1",
        "cause": "强迫游客购物",
        "penalty_decision": "罚款人民币二万元",
        "complaint_result": "",
        "basis_type": "penalty_decision",
        "basis_number": "杭西文旅罚〔2026〕7号",
        "basis_issuer": "杭州市西湖区文化和广电旅游体育局",
        "basis_date": "2026-02-26",
        "obtained_on": "",
        "period_years": "",
        "period_legal_basis": "",
        "internal_note": "",
        "_save": "Save",
    }
    fields.update(overrides)
    return fields

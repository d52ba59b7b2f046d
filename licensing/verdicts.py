"""How a stored check is put into words. Checks store reason codes, so that the same check
reads in Chinese or English and old checks keep their meaning."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from licensing.models import ApplicantCheck

REASONS = {
    "licence_no_same": _("same licence number"),
    "credit_code_same": _("same unified social credit code"),
    "certificate_no_same": _("same certificate number"),
    "identity_number_same": _("same identity number"),
    "name_identical": _("identical name"),
    "name_same_normalised": _(
        "same name once written alike (full- and half-width, traditional and simplified "
        "characters, punctuation, company form, region)"
    ),
    "person_name_same_normalised": _(
        "same name once written alike (full- and half-width, traditional and simplified "
        "characters, spacing)"
    ),
    "name_same_other_region": _("same name but a different region in the name"),
    "name_similar": _("similar name"),
    "name_contained": _("one name contains the other"),
    "credit_code_differs": _("but the unified social credit codes differ"),
    "licence_no_differs": _("but the licence numbers differ"),
    "certificate_no_differs": _("but the certificate numbers differ"),
}
ROLES = {
    "legal_representative": _("legal representative"),
    "principal_person": _("principal person"),
}


def _words(match: dict[str, Any]) -> dict[str, Any]:
    return {
        **match,
        "reason_text": "; ".join(str(REASONS.get(code, code)) for code in match["reasons"]),
        "role_text": str(ROLES.get(match.get("role", ""), "")),
    }


def presented(check: ApplicantCheck) -> dict[str, list[dict[str, Any]]]:
    return {
        "matches": [_words(m) for m in check.matches],
        "archived": [_words(m) for m in check.archived],
        "connected": [_words(m) for m in check.connected],
    }

"""Corrections to the OpenAPI schema drf-spectacular generates for the open-data API."""

from typing import Any

from publication.filters import DisclosureFilter

LIST_PATH = "/api/v1/disclosures/"


def list_filters_allow_empty_values(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A postprocessing hook (SPECTACULAR_SETTINGS): the list's filters take an empty value
    as no filter, so the API answers a list page's query string (whose form sends every
    field, filled or not) as the page does. The schema says so with `allowEmptyValue`."""
    operation = result.get("paths", {}).get(LIST_PATH, {}).get("get")
    if operation is None:
        return result
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter["name"] in DisclosureFilter.base_filters:
            parameter["allowEmptyValue"] = True
    return result

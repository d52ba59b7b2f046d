from typing import Any

from django import template

from kernel.admin_rows import result_list_context

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def fast_result_list(cl: Any) -> dict[str, Any]:
    """Django's `result_list`, with rows written by kernel.admin_rows."""
    return result_list_context(cl)

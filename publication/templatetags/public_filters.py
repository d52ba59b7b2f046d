"""Template helpers of the public pages."""

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def select_options(field: BoundField) -> str:
    """The <option>s of a choice field, the current value selected. Written out here because
    Django's widget templates cost more per page than the page's own queries."""
    current = str(field.value() or "")
    choices = [(str(v), str(label) if v != "" else "—") for v, label in field.field.choices]
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html('<option value="{}" selected>{}</option>', value, label)
                if value == current
                else format_html('<option value="{}">{}</option>', value, label),
            )
            for value, label in choices
        ),
    )

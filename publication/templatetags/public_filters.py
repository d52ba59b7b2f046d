"""Template helpers of the public pages."""

from collections.abc import Iterable
from typing import cast

from django import template
from django.forms import BoundField, ChoiceField
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def select_options(field: BoundField) -> str:
    """The <option>s of a choice field, the current value selected. Written out here because
    Django's widget templates cost more per page than the page's own queries."""
    current = str(field.value() or "")
    # Used on choice fields, whose choices Django keeps as (value, label) pairs (the stubs type
    # the property with everything its setter accepts).
    pairs = cast(Iterable[tuple[object, object]], cast(ChoiceField, field.field).choices)
    choices = [(str(v), str(label) if v != "" else "—") for v, label in pairs]
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

"""Template helpers of the public pages."""

from collections.abc import Iterable
from html import escape
from typing import cast

from django import template
from django.forms import BoundField, ChoiceField
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from publication.presenters import Row
from records.published_fields import PublishedField

register = template.Library()


@register.filter
def select_options(field: BoundField) -> str:
    """The <option>s of a choice field, the current value selected. Written out here because
    Django's widget templates cost more per page than the page's own queries."""
    current = str(field.value() or "")
    # The choices are fixed (grounds, sectors, sorts) and their labels depend on the language
    # only: each select is built once per process, language and selected value.
    key = (field.html_name, translation.get_language(), current)
    html = _OPTIONS.get(key)
    if html is None:
        # Used on choice fields, whose choices Django keeps as (value, label) pairs (the stubs
        # type the property with everything its setter accepts).
        pairs = cast(Iterable[tuple[object, object]], cast(ChoiceField, field.field).choices)
        choices = [(str(v), str(label) if v != "" else "—") for v, label in pairs]
        html = _options(choices, current)
        if any(value == current for value, _label in choices):  # not any typed value
            _OPTIONS[key] = html
    return html


# Keyed by a field of DisclosureFilter, a language and one of that field's values: a few
# hundred entries at most.
_OPTIONS: dict[tuple[str, str | None, str], str] = {}


def _options(choices: list[tuple[str, str]], current: str) -> str:
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


# One row of the public tables (publication/includes/record_table.html). Written out here
# because the template loop over twenty rows cost more than the page's queries; the labels
# are translated once per table.
ROW_HTML = (
    '<tr><th scope="row"><a href="{}">{}</a> <span class="kind">{}</span></th>'
    '<td data-label="{}">{}</td>'
    '<td data-label="{}">{} <span class="ground-meaning">{}</span></td>'
    '<td data-label="{}">{}</td>'
    '<td data-label="{}"><time datetime="{}">{}</time></td>'
    '<td data-label="{}"><time datetime="{}">{}</time></td></tr>\n  '
)


@register.filter
def record_rows(rows: Iterable[Row]) -> str:
    """The <tr>s of the public record table, escaped like the template did. The labels are
    the same on every row and escaped once; each value goes through `escape` (Django's
    escape is html.escape, which format_html would call sixteen times a row, slower)."""
    labels = [
        escape(gettext(text))
        for text in (
            "Licence or certificate number",
            "Ground",
            "Publishing bureau",
            "Published on",
            "Last public day",
        )
    ]
    number, ground, bureau, since, until = labels
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            ROW_HTML.format(
                escape(row.url),
                escape(row.name),
                escape(row.kind),
                number,
                escape(row.identifier or "—"),
                ground,
                escape(row.ground),
                escape(row.ground_meaning),
                bureau,
                escape(row.bureau),
                since,
                escape(row.public_from),
                escape(row.public_from),
                until,
                escape(row.public_until),
                escape(row.public_until),
            )  # fmt: skip
            for row in rows
        )
    )


@register.filter
def record_fields(fields: Iterable[tuple[PublishedField, str]]) -> str:
    """The <dt>/<dd> pairs of the detail page, escaped like the template loop did (long texts
    keep their line breaks); written here for the same reason as record_rows."""
    parts = []
    for field, text in fields:
        if field.multiline:
            value = linebreaksbr(text or "—", autoescape=True)
            parts.append(
                f'\n  <dt>{escape(str(field.label))}</dt><dd class="text">{value}</dd>\n  '
            )
        else:
            value = conditional_escape(text or "—")
            parts.append(f"\n  <dt>{escape(str(field.label))}</dt><dd>{value}</dd>\n  ")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above

"""Template helpers of the public pages."""

from collections.abc import Iterable
from html import escape
from typing import cast

from django import template
from django.forms import ChoiceField, DateField, Form
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from publication.presenters import Row
from records.published_fields import PublishedField
from records.search import SEARCH_MAX_LENGTH

register = template.Library()


def _select_options(name: str, field: ChoiceField, value: object) -> str:
    """The <option>s of a choice field, the current value selected. Written out here because
    Django's widget templates cost more per page than the page's own queries."""
    current = str(value or "")
    # The choices are fixed (grounds, sectors, sorts) and their labels depend on the language
    # only: each select is built once per process, language and selected value.
    key = (name, translation.get_language(), current)
    html = _OPTIONS.get(key)
    if html is None:
        # Used on choice fields, whose choices Django keeps as (value, label) pairs (the stubs
        # type the property with everything its setter accepts).
        pairs = cast(Iterable[tuple[object, object]], field.choices)
        choices = [(str(v), str(label) if v != "" else "—") for v, label in pairs]
        html = _options(choices, current)
        # Not any typed value: a choice, or none (the sort's select has no empty choice).
        if not current or any(value == current for value, _label in choices):
            _OPTIONS[key] = html
    return html


@register.simple_tag
def filter_fields(form: Form, region_options: str, page_size: int | None, sizes: list[int]) -> str:
    """The fields of the public list's filter form, each with its label and the request's
    value (a field in error marked aria-invalid). Written out here because the template loop
    over the form's fields was most of a filtered page's template (a hundred nodes a page);
    what depends on the language only — the labels, each select with its selected choice —
    is made once per process (_LABELS_HTML, _FIELDS)."""
    errors = form.errors
    fields = form.fields
    language = translation.get_language()
    labels = _labels_html(fields, language)
    # A bound form's value is what the request sent (BoundField.value() for these fields).
    data = form.data if form.is_bound else form.initial
    parts = [
        '<div class="field wide"><label for="id_q">'
        f'{labels["q"]}</label><input id="id_q" name="q" type="search" '
        f'maxlength="{SEARCH_MAX_LENGTH}" value="{escape(str(data.get("q") or ""))}"></div>',
        '<div class="field"><label for="id_region">'
        f'{labels["region"]}</label><select id="id_region" name="region"><option value="">'
        f"{labels['all_regions']}</option>{conditional_escape(region_options)}</select></div>",
    ]
    for name, field in fields.items():
        if name in ("q", "region"):
            continue
        invalid = ' aria-invalid="true"' if name in errors else ""
        if isinstance(field, DateField):
            control = (
                f'<input id="id_{name}" name="{name}" type="date" '
                f'value="{escape(str(data.get(name) or ""))}"{invalid}>'
            )
            parts.append(_field_html(name, labels[name], control))
            continue
        current = str(data.get(name) or "")
        key = (name, language, current, invalid)
        html = _FIELDS.get(key)
        if html is None:
            options = _select_options(name, cast(ChoiceField, field), data.get(name))
            control = f'<select id="id_{name}" name="{name}"{invalid}>{options}</select>'
            html = _field_html(name, labels[name], control)
            if (name, language, current) in _OPTIONS:  # a choice, not any typed value
                _FIELDS[key] = html
        parts.append(html)
    options = "".join(
        f'<option value="{size}"{" selected" if size == page_size else ""}>{size}</option>'
        for size in sizes
    )
    parts.append(
        '<div class="field"><label for="id_page_size">'
        f'{labels["page_size"]}</label><select id="id_page_size" name="page_size">'
        f"{options}</select></div>"
    )
    return mark_safe("\n    ".join(parts))  # noqa: S308 - every value is escaped


def _field_html(name: str, label: str, control: str) -> str:
    return f'<div class="field"><label for="id_{name}">{label}</label>{control}</div>'


def _labels_html(fields: dict, language: str | None) -> dict[str, str]:
    """The form's labels, escaped, in `language`: made once per process and language."""
    labels = _LABELS_HTML.get(language)
    if labels is None:
        labels = {name: escape(str(field.label)) for name, field in fields.items()}
        labels |= {
            "region": escape(gettext("Region")),
            "all_regions": escape(gettext("All regions")),
            "page_size": escape(gettext("Rows per page")),
        }
        _LABELS_HTML[language] = labels
    return labels


_LABELS_HTML: dict[str | None, dict[str, str]] = {}
# Keyed by a choice field, a language, its selected value and its aria-invalid mark.
_FIELDS: dict[tuple[str, str | None, str, str], str] = {}


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
    escape is html.escape, which format_html would call sixteen times a row, slower), and
    a value many rows share (a kind, a ground, a bureau, a date) is escaped once a page."""
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
    escaped: dict[str, str] = {}

    def shared(text: str) -> str:
        found = escaped.get(text)
        if found is None:
            found = escaped[text] = escape(text)
        return found

    parts = []
    for row in rows:
        public_from, public_until = shared(row.public_from), shared(row.public_until)
        parts.append(
            ROW_HTML.format(
                escape(row.url),
                escape(row.name),
                shared(row.kind),
                number,
                escape(row.identifier or "—"),
                ground,
                shared(row.ground),
                shared(row.ground_meaning),
                bureau,
                shared(row.bureau),
                since,
                public_from,
                public_from,
                until,
                public_until,
                public_until,
            )  # fmt: skip
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


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

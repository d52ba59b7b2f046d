"""Formatting of the accountability report's figures."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    """An on-time share as a whole percentage; a dash when nothing was published."""
    return "—" if value is None else f"{value:.0%}"


@register.filter
def days(value: float | int | None) -> str:
    """Working days, with .5 for the median of an even count; a dash when there are none."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


@register.filter
def bureau_label(row: object) -> str:
    bureau = getattr(row, "bureau", None)
    if getattr(row, "own", False):
        return _("%(bureau)s (its own records)") % {"bureau": bureau}
    return str(bureau)

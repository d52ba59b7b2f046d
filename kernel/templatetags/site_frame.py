"""The site's frame (header with the language links and main navigation, footer), rendered
once per process, language and script prefix instead of on every page: its dozen links and
translations cost more than many a page's own content. Only the language links' `next=`
depends on the request; it is put in afterwards."""

from urllib.parse import quote

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Letters and underscores only: `urlencode` leaves it as it is, so it can be found again.
NEXT_MARKER = "__site_frame_next_path__"
PARTS = ("header", "footer")


class _MarkedRequest:
    """Stands in for the request while the frame is rendered: its path is the marker."""

    def get_full_path(self) -> str:
        return NEXT_MARKER


_FRAMES: dict[tuple[str, str | None, str], str] = {}


@register.simple_tag(takes_context=True)
def site_frame(context: template.Context, part: str) -> SafeString:
    if part not in PARTS:
        raise template.TemplateSyntaxError(f"site_frame takes one of {PARTS}, not {part!r}")
    key = (part, translation.get_language(), get_script_prefix())
    html = _FRAMES.get(key)
    if html is None:
        html = render_to_string(f"includes/site_{part}.html", {"request": _MarkedRequest()})
        html = _FRAMES[key] = html.strip()
    # As {{ request.get_full_path|urlencode }} wrote it (nothing when there is no request).
    request = context.get("request")
    path = escape(quote(request.get_full_path(), safe="/")) if request is not None else ""
    return mark_safe(html.replace(NEXT_MARKER, path))  # noqa: S308 - escaped above

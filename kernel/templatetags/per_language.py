"""`{% per_language %}…{% end_per_language %}`: a part of a template that depends on nothing
but the language (and the script prefix of its links) — headings, labels, fixed links — is
rendered once per process, language and prefix, like the site's frame (site_frame.py).

A public list page translates a dozen texts and reverses three URLs on every request, about
a tenth of a millisecond. The part is rendered with an empty context, so a variable put in
it by mistake comes out empty on every page, where a test sees it, rather than showing one
visitor's data to the next."""

from django import template
from django.template.base import Parser, Token
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class PerLanguageNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[str | None, str], str] = {}

    def render(self, context: template.Context) -> SafeString:
        key = (translation.get_language(), get_script_prefix())
        html = self.rendered.get(key)
        if html is None:
            empty = template.Context(autoescape=context.autoescape)
            empty.template = context.template  # the engine, for a tag that needs it (include)
            html = self.rendered[key] = self.nodelist.render(empty)
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


@register.tag
def per_language(parser: Parser, token: Token) -> PerLanguageNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("per_language takes no arguments")
    nodelist = parser.parse(("end_per_language",))
    parser.delete_first_token()
    return PerLanguageNode(nodelist)

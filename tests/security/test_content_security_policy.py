"""A strict Content-Security-Policy on every page type: public pages, the accounts' pages,
the officer pages, the admin (sign-in, index, lists, forms), the API docs and JSON, and the
error pages; and no page type carries an inline script the policy would block."""

import re

import pytest
from django.test import Client

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/disclosures/",
    "/statistics/",
    "/verify/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password-reset/",
    "/api/docs/",
    "/api/schema/",
    "/api/v1/disclosures/",
    "/admin/login/",
    "/no-such-page/",
]
STAFF_PAGES = [
    ("xihu_admin", "/admin/"),
    ("xihu_admin", "/admin/records/user/"),
    ("fang", "/admin/records/badrecord/"),
    ("fang", "/admin/records/badrecord/add/"),
    ("li", "/licensing/"),
    ("li", "/licensing/tokens/"),
]


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict(response, path: str) -> None:
    directives = policy(response)
    assert directives, f"{path}: no Content-Security-Policy"
    script = directives.get("script-src", directives.get("default-src"))
    assert script == ["'self'"], f"{path}: script-src {script}"
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]
    assert "'unsafe-inline'" not in directives.get("style-src", [])


def inline_scripts(html: str) -> list[str]:
    """<script> elements with content (JSON data blocks are not run, so they are allowed)."""
    found = []
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if body.strip() and "application/json" not in attributes:
            found.append(body.strip()[:80])
    return found


def inline_handlers(html: str) -> list[str]:
    return re.findall(r"\son[a-z]+\s*=\s*[\"']", html)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_type_has_a_strict_policy_and_no_inline_script(path, bureaus):
    response = Client().get(path)
    assert response.status_code in (200, 404)
    assert_strict(response, path)
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert inline_scripts(html) == []
        assert inline_handlers(html) == []


@pytest.mark.parametrize(("persona", "path"), STAFF_PAGES)
def test_every_staff_page_type_has_a_strict_policy_and_no_inline_script(request, persona, path):
    response = client_for(request.getfixturevalue(persona)).get(path)
    assert response.status_code == 200
    assert_strict(response, path)
    html = response.content.decode()
    assert inline_scripts(html) == []
    assert inline_handlers(html) == []


def test_the_api_docs_start_up_script_is_a_file_the_policy_allows():
    from django.conf import settings
    from django.contrib.staticfiles import finders

    html = Client().get("/api/docs/").content.decode()
    assert inline_scripts(html) == []
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert any(source.endswith("api-docs.js") for source in sources), sources
    for source in sources:
        assert source.startswith("/"), source  # same origin, no CDN
        assert finders.find(source.removeprefix(settings.STATIC_URL)), source


def test_the_error_page_of_a_server_error_has_the_policy(settings):
    from csp.middleware import CSPMiddleware
    from django.test import RequestFactory

    from blacklist_portal.errors import server_error

    request = RequestFactory().get("/")
    response = CSPMiddleware(lambda r: server_error(r))(request)
    assert_strict(response, "500")

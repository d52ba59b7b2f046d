"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server,
which runs the whole middleware stack (CSRF checks included, unlike the test client) with
DEBUG off, in this process, so `time_machine` moves the server's clock too.

Every test that takes `page` runs twice: at 1366 px (a desktop) and at 390 px (a phone).
A failing test leaves a full-page screenshot and a Playwright trace (open it with
`playwright show-trace <file>`) under var/browser-artifacts/<test>/; the run prints that
folder at the end.

Chromium is the system's (`BROWSER_TESTS_CHROMIUM`, default /usr/bin/chromium): Playwright's
own browser download is not used. Without it the tests skip locally and fail under CI=true.
"""

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from tests.conftest import PASSWORD

CHROMIUM = Path(os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
# Long enough for a cold page on a busy CI machine, short enough that a missing element fails
# the test quickly.
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    phone: bool


DESKTOP = Viewport("1366px", 1366, 768, phone=False)
PHONE = Viewport("390px", 390, 844, phone=True)


def zh(message: str) -> str:
    """The Simplified Chinese the page shows for an English message id, so that tests find
    elements by the label a visitor reads without copying translations into the tests."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def zh_label(message: str) -> re.Pattern:
    """A form field's whole label in Chinese, with or without the colon Django adds."""
    return re.compile(rf"^\s*{re.escape(zh(message))}\s*[:：]?\s*$")


def _no_browser(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


# --- artifacts of failing tests ----------------------------------------------------------


def _artifact_root(config: pytest.Config) -> Path:
    return Path(
        os.environ.get("BROWSER_ARTIFACTS_DIR", config.rootpath / "var" / "browser-artifacts")
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(node: pytest.Item) -> bool:
    return any(
        getattr(node, f"report_{when}", None) is not None and getattr(node, f"report_{when}").failed
        for when in ("setup", "call")
    )


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    root = _artifact_root(config)
    files = sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
    if files:
        terminalreporter.section("browser artifacts of failing tests")
        terminalreporter.write_line(f"folder: {root.resolve()}")
        for path in files:
            terminalreporter.write_line(f"  {path.resolve()}")


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def artifacts_cleared(pytestconfig: pytest.Config) -> None:
    """What the artifacts folder holds from now on belongs to this run only."""
    shutil.rmtree(_artifact_root(pytestconfig), ignore_errors=True)


@pytest.fixture(scope="module")
def chromium(artifacts_cleared: None) -> Iterator[Any]:
    """Chromium for one test module. Playwright is stopped after each module, so that the
    tests after the browser tests run without its event loop (see below)."""
    if not CHROMIUM.exists():
        _no_browser(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _no_browser('playwright is not installed (pip install -e ".[dev]")')
    expect.set_options(timeout=TIMEOUT_MS)
    # Playwright's sync API keeps an asyncio loop marked as running in this thread, which
    # Django takes for async code and refuses the ORM. The tests and the live server are
    # plain threads: the check does not apply to them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                # Containers often run as root and have a small /dev/shm.
                args=["--no-sandbox", "--disable-dev-shm-usage"],
            )
            yield browser
            browser.close()
    finally:
        # Not for the tests after these: `manage.py check --deploy` refuses it, rightly.
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session", autouse=True)
def live_server_serves_no_media() -> Iterator[None]:
    """The portal has no public media (MEDIA_URL is None: private files go through one
    view), and Django's live server wraps every request in a media handler that cannot
    read a None URL. It is told to pass every request on."""
    from django.test.testcases import _MediaFilesHandler

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)
        yield


@pytest.fixture(params=[DESKTOP, PHONE], ids=lambda viewport: viewport.name)
def viewport(request: pytest.FixtureRequest) -> Viewport:
    return request.param


class Portal:
    """The live server as a visitor reaches it, with a helper to open fresh browsers."""

    def __init__(self, url: str, chromium: Any, viewport: Viewport, artifacts: Path) -> None:
        self.url = url
        self.viewport = viewport
        self._chromium = chromium
        self._artifacts = artifacts
        self.contexts: list[Any] = []

    def new_page(self, *, language: str | None = None) -> Any:
        """A page in a new browser context: no cookies, as a second person or a signed-out
        browser would be. `language` sets Accept-Language (the portal answers in Chinese
        unless asked otherwise on the page)."""
        context = self._chromium.new_context(
            base_url=self.url,
            viewport={"width": self.viewport.width, "height": self.viewport.height},
            is_mobile=self.viewport.phone,
            has_touch=self.viewport.phone,
            locale=language or "zh-CN",
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.tracing.start(screenshots=True, snapshots=True)
        self.contexts.append(context)
        return context.new_page()

    def signed_in_page(self, user: Any) -> Any:
        """A page in a new browser context already signed in as `user` (a session made on
        the server, its cookie handed to the browser): for tests about what a page shows,
        not about signing in."""
        from django.conf import settings
        from django.test import Client

        from tests.conftest import verify_second_factor

        client = Client()
        client.force_login(user)
        verify_second_factor(client, user)
        page = self.new_page()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": self.url,
                }
            ]
        )
        return page

    def close(self, *, keep_artifacts: bool) -> None:
        for number, context in enumerate(self.contexts, start=1):
            if keep_artifacts:
                self._artifacts.mkdir(parents=True, exist_ok=True)
                for page_number, page in enumerate(context.pages, start=1):
                    # A crashed page has no screenshot, but still its trace.
                    with contextlib.suppress(Exception):
                        page.screenshot(
                            path=self._artifacts / f"browser{number}-page{page_number}.png",
                            full_page=True,
                        )
                context.tracing.stop(path=self._artifacts / f"browser{number}-trace.zip")
            else:
                context.tracing.stop()
            context.close()


@pytest.fixture
def portal(
    request: pytest.FixtureRequest, chromium: Any, viewport: Viewport, live_server: Any, settings
) -> Iterator[Portal]:
    """The live server (DEBUG off, CSRF on) and fresh browser contexts at the test's width.
    E-mailed links point at the live server."""
    settings.PUBLIC_BASE_URL = live_server.url
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    portal = Portal(live_server.url, chromium, viewport, _artifact_root(request.config) / name)
    yield portal
    portal.close(keep_artifacts=_failed(request.node))


@pytest.fixture
def page(portal: Portal) -> Any:
    """One signed-out browser at the test's width."""
    return portal.new_page()


# --- helpers the journeys share ------------------------------------------------------------


def staff_sign_in(page: Any, username: str, *, next_path: str = "/admin/") -> None:
    """Sign in through the admin's own login form, as staff do: name, password and the
    code the account's authenticator shows now (the account is enrolled if it is not)."""
    from accounts.two_factor import two_factor_current_code, two_factor_enrol, two_factor_enrolled
    from records.models import User

    user = User.objects.get(username=username)
    if not two_factor_enrolled(user):
        two_factor_enrol(by=None, account=user)
    page.goto(f"/admin/login/?next={next_path}")
    page.get_by_label(zh("Username")).fill(username)
    page.get_by_label(zh("Password")).fill(PASSWORD)
    page.get_by_label(zh("Verification code")).fill(two_factor_current_code(user))
    page.get_by_role("button", name=zh("Log in")).click()
    page.wait_for_url(re.compile(r"^(?!.*/admin/login/).*$"))


def inject_axe(page: Any) -> None:
    # Evaluated through the browser's debugging protocol, which the page's
    # Content-Security-Policy does not govern (a <script> tag added to the page would be).
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def axe_violations(page: Any, *, impacts: tuple[str, ...] = ("critical", "serious")) -> list:
    """axe-core's violations of the given impacts on the page as it is now (WCAG 2.1 A/AA
    and best practices), each as {id, impact, help, nodes: [target …]}."""
    inject_axe(page)
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )
    return [violation for violation in results if violation["impact"] in impacts]


def describe(violations: list) -> str:
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}" for v in violations
    )

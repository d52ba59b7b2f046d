"""Production-like smoke run: the portal as deployed (DEBUG=0, gunicorn, PostgreSQL, Redis,
a Celery worker), on a free loopback port, checked from outside like a visitor would.

    .venv/bin/python scripts/smoke_production.py

Needs PostgreSQL and Redis answering (SMOKE_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_smoke, is dropped and created afresh;
SMOKE_BROKER_URL, default redis://127.0.0.1:6379/15; SMOKE_CACHE_URL, default
redis://127.0.0.1:6379/14, is emptied: production's CACHE_URL, where the limits of all
gunicorn workers count together). Every check prints PASS or FAIL with
its reason; the script exits 1 if any failed. It starts and stops its own gunicorn and
worker (their whole process groups), whatever happens.

Checks: /healthz; static files served by whitenoise (hashed name, long cache); the worker
answers; every error page — 404, 403 (a POST without a CSRF token), 400 (a malformed Host),
429 (too many /verify/ attempts), 500 (the database gone: a second gunicorn pointed at a
database that does not exist) — is served in the site's frame and in the visitor's
language, Simplified Chinese by default and English when the visitor chose it; the
Content-Security-Policy of each page type; the admin sign-in's lock across workers.
"""

import base64
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DATABASE_URL = os.environ.get(
    "SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_smoke"
)
BROKER_URL = os.environ.get("SMOKE_BROKER_URL", "redis://127.0.0.1:6379/15")
# Production shares limits and rendered pages between gunicorn workers in Redis (README,
# CACHE_URL); without it each worker counts on its own and a limit is multiplied by them.
CACHE_URL = os.environ.get("SMOKE_CACHE_URL", "redis://127.0.0.1:6379/14")
START_SECONDS = 60
VERIFY_RATE = 20  # LICENSING_VERIFY_RATE's default, per minute

# What every page of the site's frame carries (templates/base.html), and how each language
# shows in it.
FRAME_MARKERS = ('<header class="site"', '<footer class="site"', 'href="/"')
LANGUAGES = {
    "zh-hans": ('<html lang="zh-hans"', "旅游"),
    "en": ('<html lang="en"', "Tourism"),
}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Smoke:
    port: int = 0
    results: list[tuple[str, bool, str]] = field(default_factory=list)
    children: list[subprocess.Popen] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, ok, detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}{'' if ok else f': {detail}'}", flush=True)
        return ok


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(
    port: int,
    method: str,
    path: str,
    *,
    host: str | None = None,
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or f"127.0.0.1:{port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        encoded = body.encode() if body is not None else b""
        if body is not None:
            connection.putheader("Content-Length", str(len(encoded)))
        connection.endheaders(encoded or None)
        response = connection.getresponse()
        return Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            response.read().decode("utf-8", "replace"),
        )
    finally:
        connection.close()


def language_headers(language: str) -> dict[str, str]:
    # The visitor's choice is the language cookie the site's language links set.
    return {} if language == "zh-hans" else {"Cookie": f"django_language={language}"}


def framed_in(answer: Answer, language: str) -> str:
    """Why the page is not in the site's frame and the language, or "" if it is."""
    missing = [marker for marker in FRAME_MARKERS if marker not in answer.body]
    if missing:
        return f"not in the site's frame (missing {', '.join(missing)}): {snippet(answer)}"
    lang_marker, text = LANGUAGES[language]
    if lang_marker not in answer.body or text not in answer.body:
        return f"not in {language} (expected {lang_marker!r} and {text!r}): {snippet(answer)}"
    return ""


def snippet(answer: Answer) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.body)).strip()
    return repr(text[:120])


# --- the stack -------------------------------------------------------------------------------


def environment(var_dir: Path, database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "SECURE_", "CACHE_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        IDENTITY_NUMBER_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        IDENTITY_NUMBER_HMAC_KEYS=secrets.token_hex(32),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=BROKER_URL,
        CACHE_URL=CACHE_URL,
        LICENSING_VERIFY_RATE=f"{VERIFY_RATE}/min",
        VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        # Plain HTTP on loopback: no TLS proxy in front here.
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def database_recreate(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def cache_empty(url: str) -> None:
    """An earlier run's pages and counts stay out of this one."""
    import redis

    redis.Redis.from_url(url).flushdb()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def start(smoke: Smoke, env: dict[str, str], log: Path, *command: str) -> subprocess.Popen:
    with log.open("ab") as out:
        child = subprocess.Popen(  # noqa: S603 - our own programs, fixed arguments
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )  # fmt: skip
    smoke.children.append(child)
    return child


def gunicorn(smoke: Smoke, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    return start(
        smoke, env, log, str(BIN / "gunicorn"), "blacklist_portal.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
    )  # fmt: skip


def stop_all(smoke: Smoke) -> None:
    for child in smoke.children:
        if child.poll() is None:
            with_group(child, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in smoke.children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with_group(child, signal.SIGKILL)
            child.wait()


def with_group(child: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, sig)  # the group this script started, by its id


def wait_until_answering(port: int, child: subprocess.Popen) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            return False
        try:
            request(port, "GET", "/healthz")
            return True
        except OSError:
            time.sleep(0.5)
    return False


# --- the checks ------------------------------------------------------------------------------


def check_health_and_static(smoke: Smoke) -> None:
    health = request(smoke.port, "GET", "/healthz")
    smoke.check(
        "/healthz answers 200 with database and broker ok",
        health.status == 200 and '"database": "ok"' in health.body.replace('":"', '": "')
        and '"broker": "ok"' in health.body.replace('":"', '": "'),
        f"{health.status} {health.body[:200]}",
    )  # fmt: skip
    home = request(smoke.port, "GET", "/")
    smoke.check("the home page answers 200", home.status == 200, f"{home.status}")
    stylesheet = re.search(r'href="(/static/portal\.[0-9a-f]{12}\.css)"', home.body)
    if not smoke.check(
        "pages link the hashed stylesheet of collectstatic",
        stylesheet is not None,
        "no /static/portal.<hash>.css in the home page",
    ):
        return
    css = request(smoke.port, "GET", stylesheet.group(1))
    smoke.check(
        "whitenoise serves the stylesheet with a long cache lifetime",
        css.status == 200
        and css.headers.get("content-type", "").startswith("text/css")
        and "max-age=315360000" in css.headers.get("cache-control", ""),
        f"{css.status} {css.headers.get('content-type')} {css.headers.get('cache-control')}",
    )
    docs = request(smoke.port, "GET", "/api/docs/")
    scripts = re.findall(r'src="(/static/[^"]+\.js)"', docs.body)
    answers = [request(smoke.port, "GET", src).status for src in scripts]
    smoke.check(
        "the API docs page's scripts are served from our static files",
        docs.status == 200 and scripts and set(answers) == {200},
        f"{docs.status}, scripts {dict(zip(scripts, answers, strict=True))}",
    )


def check_worker(smoke: Smoke, env: dict[str, str]) -> None:
    """The worker started beside gunicorn answers over Redis (it may still be starting)."""
    output = ""
    for _attempt in range(4):
        ping = subprocess.run(  # noqa: S603 - our own celery, fixed arguments
            [str(BIN / "celery"), "-A", "blacklist_portal", "inspect", "ping", "--timeout", "5"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        output = (ping.stdout + ping.stderr).strip()[-300:]
        if ping.returncode == 0 and "pong" in ping.stdout:
            break
    smoke.check("the Celery worker answers a ping over Redis", "pong" in output, output)


def check_error_pages(smoke: Smoke) -> None:
    for language in LANGUAGES:
        headers = language_headers(language)
        not_found = request(smoke.port, "GET", "/disclosures/TR99999999", headers=headers)
        smoke.check(
            f"404 (an ended record's link) in the frame, in {language}",
            not_found.status == 404 and not framed_in(not_found, language),
            f"{not_found.status} {framed_in(not_found, language)}",
        )
        forbidden = request(
            smoke.port, "POST", "/accounts/login/",
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            body="login=someone&password=x",
        )  # fmt: skip
        smoke.check(
            f"403 (a POST without CSRF token) in the frame, in {language}",
            forbidden.status == 403 and not framed_in(forbidden, language),
            f"{forbidden.status} {framed_in(forbidden, language)}",
        )
        bad = request(smoke.port, "GET", "/", host="bad_host.example", headers=headers)
        smoke.check(
            f"400 (a malformed Host) in the frame, in {language}",
            bad.status == 400 and not framed_in(bad, language),
            f"{bad.status} {framed_in(bad, language)}",
        )
        throttled = verify_until_throttled(smoke.port, language)
        smoke.check(
            f"429 (too many /verify/ attempts) in the frame, in {language}",
            throttled.status == 429 and not framed_in(throttled, language),
            f"{throttled.status} {framed_in(throttled, language)}",
        )


def verify_until_throttled(port: int, language: str) -> Answer:
    """/verify/ as a browser posts it (token from the page's cookie, same-origin Origin),
    until the per-address limit answers."""
    page = request(port, "GET", "/verify/", headers=language_headers(language))
    token = re.search(r"csrftoken=([^;]+)", page.headers.get("set-cookie", ""))
    cookie = f"csrftoken={token.group(1) if token else ''}"
    if language != "zh-hans":
        cookie += f"; django_language={language}"
    answer = page
    # Fixed one-minute windows: up to twice the rate can pass across a window boundary.
    for attempt in range(2 * VERIFY_RATE + 5):
        answer = request(
            port, "POST", "/verify/",
            headers={
                "Cookie": cookie,
                "Origin": f"http://127.0.0.1:{port}",
                "Referer": f"http://127.0.0.1:{port}/verify/",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": token.group(1) if token else "",
            },
            body=f"number=LC{attempt:08d}&code=WRONG",
        )  # fmt: skip
        if answer.status not in (200, 404):
            break
    return answer


def check_security(smoke: Smoke) -> None:
    """The Content-Security-Policy on each page type, and the admin sign-in's lock holding
    across gunicorn's worker processes (the counters are in the database)."""
    for path in ("/", "/disclosures/", "/admin/login/", "/api/docs/", "/verify/", "/nowhere/"):
        answer = request(smoke.port, "GET", path)
        policy = answer.headers.get("content-security-policy", "")
        smoke.check(
            f"{path} has a Content-Security-Policy without inline script",
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0],
            policy or "no header",
        )
    page = request(smoke.port, "GET", "/admin/login/")
    token = re.search(r"csrftoken=([^;]+)", page.headers.get("set-cookie", ""))
    answer = page
    for _attempt in range(8):
        answer = request(
            smoke.port, "POST", "/admin/login/",
            headers={
                "Cookie": f"csrftoken={token.group(1) if token else ''}",
                "Origin": f"http://127.0.0.1:{smoke.port}",
                "Referer": f"http://127.0.0.1:{smoke.port}/admin/login/",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": token.group(1) if token else "",
            },
            body="username=smoke-nobody&password=wrong-password&otp_code=000000",
        )  # fmt: skip
    smoke.check(
        "the admin sign-in locks a name after repeated failures, across workers",
        answer.status == 200
        and re.search(r"\d\d:\d\d", answer.body) is not None
        and "后再试" in answer.body,
        snippet(answer),
    )


def check_server_error(smoke: Smoke, var_dir: Path) -> None:
    """A 500 as production meets it: the database is gone. A second gunicorn, the same
    settings, pointed at a database that does not exist."""
    missing = DATABASE_URL.rsplit("/", 1)[0] + "/portal_smoke_does_not_exist"
    env = environment(var_dir, missing)
    port = free_port()
    child = gunicorn(smoke, env, port, var_dir / "gunicorn-no-database.log")
    if not smoke.check(
        "a gunicorn without its database starts",
        wait_until_answering(port, child),
        "did not answer",
    ):
        return
    for language in LANGUAGES:
        failed = request(port, "GET", "/disclosures/", headers=language_headers(language))
        smoke.check(
            f"500 (database gone) in the frame, in {language}",
            failed.status == 500 and not framed_in(failed, language),
            f"{failed.status} {framed_in(failed, language)}",
        )
    health = request(port, "GET", "/healthz")
    smoke.check("/healthz answers 503 without the database", health.status == 503, health.body)


def main() -> int:
    smoke = Smoke()
    var_dir = Path(tempfile.mkdtemp(prefix="portal-smoke-"))
    env = environment(var_dir, DATABASE_URL)
    print(f"Smoke run: logs and files under {var_dir}", flush=True)
    try:
        database_recreate(DATABASE_URL)
        cache_empty(CACHE_URL)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_bureaus")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        smoke.port = free_port()
        web = gunicorn(smoke, env, smoke.port, var_dir / "gunicorn.log")
        start(
            smoke, env, var_dir / "worker.log", str(BIN / "celery"), "-A", "blacklist_portal",
            "worker", "--loglevel", "INFO", "--concurrency", "1", "--without-gossip",
        )  # fmt: skip
        if not smoke.check(
            f"gunicorn answers on 127.0.0.1:{smoke.port}",
            wait_until_answering(smoke.port, web),
            f"see {var_dir / 'gunicorn.log'}",
        ):
            return 1
        check_health_and_static(smoke)
        check_worker(smoke, env)
        check_error_pages(smoke)
        check_security(smoke)
        check_server_error(smoke, var_dir)
    finally:
        stop_all(smoke)
    failed = [name for name, ok, _detail in smoke.results if not ok]
    print(f"\n{len(smoke.results) - len(failed)} passed, {len(failed)} failed", flush=True)
    if failed:
        print(f"Logs kept in {var_dir}", flush=True)
        return 1
    shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # runs the finally: children stop
    sys.exit(main())

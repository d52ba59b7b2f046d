"""Limits that hold: sign-up, password reset, verification links and /verify/ are counted
per client address and per e-mail address (or check number), refused with a 429 page in the
site's frame and language, and counted in the shared cache. No request waits on the broker,
and /healthz answers in bounded time when the broker or the database hangs."""

import socket
import threading
import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client

from kernel.limits import limit_hit
from kernel.models import OutboxJob
from tests.conftest import make_party

PASSWORD = "Xq7!mountain-lake-42"


def _chinese_client(address: str = "203.0.113.5") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="zh-hans")


def _signup(client: Client, email: str):
    return client.post(
        "/accounts/signup/",
        {"full_name": "潘晓", "email": email, "password": PASSWORD, "password_again": PASSWORD},
    )


def _reset(client: Client, email: str):
    return client.post("/accounts/password-reset/", {"email": email})


def test_password_reset_mails_to_one_address_stop_at_the_limit(db, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "3/hour"
    make_party("pan")
    statuses = [
        _reset(_chinese_client(f"198.51.100.{n}"), "pan@example.org").status_code
        for n in range(1, 27)
    ]
    assert statuses[:3] == [302] * 3
    assert set(statuses[3:]) == {429}
    assert OutboxJob.objects.filter(name="accounts_password_reset_email").count() == 3


def test_a_refused_reset_says_when_to_try_again_in_the_sites_frame_and_language(db, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "2/hour"
    client = _chinese_client()
    for n in range(2):
        _reset(client, f"someone{n}@example.org")
    response = _reset(client, "someone-else@example.org")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "尝试次数过多" in html and "分钟后再试" in html
    assert 'name="email"' in html  # the form again, in the site's page


def test_a_reset_refusal_is_the_same_for_unknown_and_known_addresses(db, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "1/hour"
    make_party("pan")
    known = [_reset(_chinese_client(), "pan@example.org").status_code for _ in range(2)]
    unknown = [_reset(_chinese_client(), "nobody@example.org").status_code for _ in range(2)]
    assert known == unknown == [302, 429]


def test_sign_ups_are_limited_per_e_mail_address_and_per_client_address(db, settings):
    settings.SIGNUP_RATE_PER_EMAIL = "2/hour"
    settings.SIGNUP_RATE_PER_ADDRESS = "3/hour"
    same_email = [
        _signup(_chinese_client(f"198.51.100.{n}"), "new@example.org").status_code
        for n in range(1, 5)
    ]
    assert same_email == [302, 302, 429, 429]
    # One verification mail, one "already signed up" notice: no flood.
    assert OutboxJob.objects.count() == 2

    client = _chinese_client("203.0.113.77")
    same_address = [_signup(client, f"user{n}@example.org").status_code for n in range(5)]
    assert same_address == [302, 302, 302, 429, 429]
    refused = _signup(client, "late@example.org").content.decode()
    assert "尝试次数过多" in refused


def test_verification_links_cannot_be_guessed_in_bulk(db, settings):
    settings.EMAIL_VERIFY_RATE_PER_ADDRESS = "3/hour"
    client = _chinese_client()
    statuses = [client.get(f"/accounts/verify/MQ/abc-{n}/").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def test_one_check_number_gets_a_bounded_number_of_guesses_from_any_addresses(db, settings):
    settings.CHECK_VERIFY_RATE_PER_NUMBER = "4/hour"
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}")
        .post("/verify/", {"number": "LC20260101-ABCDEF", "code": f"AAAAAAAA{n:02d}"})
        .status_code
        for n in range(1, 7)
    ]
    assert statuses == [404, 404, 404, 404, 429, 429]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_counts_live_in_the_configured_shared_cache(settings):
    """Two processes with their own memory but the same Redis see one count: what each
    gunicorn worker sees when CACHE_URL points at the compose Redis."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": f"limits-test-{time.time_ns()}",
        },
    }
    settings.LIMITS_CACHE = "shared"
    assert limit_hit(scope="t", ident="203.0.113.5", rate="2/min").allowed
    caches["default"].clear()  # a worker's own memory is no help
    assert limit_hit(scope="t", ident="203.0.113.5", rate="2/min").allowed
    assert not limit_hit(scope="t", ident="203.0.113.5", rate="2/min").allowed
    caches["shared"].clear()


def test_the_deploy_check_warns_when_limits_would_count_per_process(settings):
    from kernel.checks import shared_cache_check

    # Whatever CACHE_URL the run was given (CI's security stage gives Redis).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [message.id for message in shared_cache_check()] == ["kernel.W002"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
        }
    }
    assert shared_cache_check() == []


@pytest.fixture
def frozen_server():
    """A port that accepts connections and never answers: a frozen broker."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_healthz_answers_in_bounded_time_with_a_frozen_broker(db, settings, frozen_server):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{frozen_server}/0"
    started = time.monotonic()
    response = Client().get("/healthz")
    elapsed = time.monotonic() - started
    assert elapsed < settings.HEALTHZ_TIMEOUT_SECONDS + 0.5, elapsed
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "error: timeout"}


def test_healthz_answers_503_in_bounded_time_when_the_database_hangs(db, settings):
    from django.db.backends.utils import CursorWrapper

    real_execute = CursorWrapper.execute

    def hang(self, sql, params=None):
        if sql == "SELECT 1":
            time.sleep(settings.HEALTHZ_TIMEOUT_SECONDS + 1)
        return real_execute(self, sql, params)

    with mock.patch.object(CursorWrapper, "execute", hang):
        started = time.monotonic()
        response = Client().get("/healthz")
        elapsed = time.monotonic() - started
        time.sleep(1.2)  # let the hung check finish before the patch is lifted
    assert elapsed < settings.HEALTHZ_TIMEOUT_SECONDS + 0.5, elapsed
    assert response.status_code == 503
    assert response.json()["database"] == "error: timeout"


def test_sign_up_and_password_reset_never_wait_on_a_frozen_broker(db, settings, frozen_server):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{frozen_server}/0"
    make_party("pan")
    started = time.monotonic()
    assert _signup(_chinese_client(), "fresh@example.org").status_code == 302
    assert _reset(_chinese_client(), "pan@example.org").status_code == 302
    assert time.monotonic() - started < 2.0
    assert OutboxJob.objects.count() == 2

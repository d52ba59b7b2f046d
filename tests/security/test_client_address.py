"""Whose address a limit counts: by default the connection's (REMOTE_ADDR), never a header
any client can write; behind NUM_PROXIES proxies, the address the nearest trusted proxy saw."""

import pytest
from django.test import Client, RequestFactory

from kernel.client_address import client_address


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_by_default_a_forwarded_header_is_ignored():
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_entry_the_proxy_appended_counts(settings):
    settings.NUM_PROXIES = 1
    # The client forged "198.51.100.1"; the proxy appended the address it saw.
    forged = _request("10.0.0.2", "198.51.100.1, 203.0.113.7")
    assert client_address(forged) == "203.0.113.7"
    assert client_address(_request("10.0.0.2", "203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_second_entry_from_the_right_counts(settings):
    settings.NUM_PROXIES = 2
    request = _request("10.0.0.3", "198.51.100.1, 203.0.113.7, 10.0.0.2")
    assert client_address(request) == "203.0.113.7"


def test_a_request_bypassing_the_trusted_proxies_counts_as_itself(settings):
    settings.NUM_PROXIES = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_address(_request("10.1.2.3", "198.51.100.1")) == "198.51.100.1"


@pytest.mark.parametrize("header", ["", "not-an-address", " , ", "198.51.100.1; drop table"])
def test_a_malformed_header_falls_back_to_the_connection(settings, header):
    settings.NUM_PROXIES = 1
    assert client_address(_request("10.0.0.2", header)) == "10.0.0.2"


def test_rotating_x_forwarded_for_buys_no_more_verify_guesses(db, settings):
    """DRF's own address (NUM_PROXIES unset) believed the whole header: a new fake address
    per request was a new bucket, so the code of a check could be guessed without limit."""
    settings.LICENSING_VERIFY_RATE = "3/min"
    client = Client()
    statuses = [
        client.post(
            "/verify/",
            {"number": f"LC20260101-{n:06d}", "code": "AAAAAAAAAA"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(1, 6)
    ]
    assert statuses == [404, 404, 404, 429, 429]

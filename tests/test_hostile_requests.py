"""Requests no form would send but anyone can: a NUL character in an address, a query
parameter, a form field or a cookie (PostgreSQL cannot hold one in text, so it used to
answer 500 wherever a value reached a query unchecked), and HEAD requests, which link
checkers and uptime monitors send. DEBUG off, as in production."""

import json

import pytest
from django.test import Client

from licensing.models import ApplicantCheck
from tests.conftest import client_for
from tests.test_licensing_api import BODY, URL, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def browser() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/check/", {"number": "L-ZJ\x00CJ00001"}),
        ("get", "/check/L-ZJ%00CJ00001", None),
        ("get", "/disclosures/BR%0012", None),
        ("get", "/disclosures/", {"q": "西湖\x00"}),
        ("post", "/verify/", {"number": "LC20261127\x00", "code": "ABC"}),
        ("post", "/accounts/login/", {"login": "pan\x00", "password": "x"}),
    ],
)
def test_a_nul_character_anywhere_in_a_public_request_is_a_bad_request_in_the_sites_frame(
    public_list, method, path, data
):
    response = getattr(browser(), method)(path, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and 'href="/disclosures/"' in page


def test_a_nul_character_in_an_api_parameter_is_a_field_error_naming_it(public_list):
    response = browser().get("/api/v1/disclosures/", {"region": "33\x000000"})
    assert response.status_code == 400
    assert list(response.json()) == ["region"]


def test_a_nul_character_in_the_staff_search_is_a_bad_request(public_list, fang):
    client = client_for(fang)
    response = client.get("/admin/records/badrecord/", {"q": "西湖\x00"})
    assert response.status_code == 400


def test_a_nul_character_in_the_session_cookie_is_a_bad_request(public_list):
    client = browser()
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/disclosures/",
        "/disclosures/?region=330000",
        "/disclosures.csv",
        "/disclosures/feed.atom",
        "/check/",
        "/check/L-ZJ-CJ00001",
        "/statistics/",
        "/verify/",
        "/api/docs/",
        "/healthz",
    ],
)
def test_a_head_request_answers_like_get_without_a_body(public_list, path):
    client = browser()
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    body = b"".join(head.streaming_content) if head.streaming else head.content
    assert body == b""


def test_a_head_request_for_a_record_of_the_list(public_list):
    path = f"/disclosures/{public_list.agency.reference}"
    assert browser().head(path).status_code == 200


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/login/"])
def test_an_account_form_refuses_methods_other_than_get_and_post(path, method):
    response = getattr(browser(), method)(path)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


@pytest.mark.parametrize("charset", ["latin-1", "gbk", "utf-16"])
def test_a_json_body_is_read_as_utf8_whatever_charset_the_client_names(li, charset):
    body = json.dumps(BODY, ensure_ascii=False).encode()
    response = api_for(li).generic(
        "POST", URL, body, content_type=f"application/json; charset={charset}"
    )
    assert response.status_code == 201, response.content
    assert ApplicantCheck.objects.get().applicant_name == BODY["name"]

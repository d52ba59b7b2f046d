"""Error pages as a visitor meets them in production (DEBUG off): in the site's frame, in the
visitor's language, with a way back. The admin's refusals stay in the admin's frame; the
API's errors stay JSON."""

from unittest import mock

import pytest
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client

from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db

SITE_FRAME = ('<a class="brand" href="/">', '<nav class="site"', '<footer class="site">')


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def browser(language: str = "zh-hans", **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def assert_in_site_frame(response, language: str) -> str:
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for part in SITE_FRAME:
        assert part in html, part
    assert response["Content-Type"].startswith("text/html")
    return html


def test_an_ended_records_old_link_finds_a_chinese_page_explaining_why(public_list):
    ended = public_list.hidden["ended"]
    response = browser().get(f"/disclosures/{ended.reference}")
    assert response.status_code == 404
    html = assert_in_site_frame(response, "zh-hans")
    assert "页面不存在" in html
    assert "公示期届满" in html  # a record whose period ended is no longer shown
    assert 'href="/disclosures/"' in html


def test_the_not_found_page_speaks_english_to_an_english_visitor(db):
    response = browser("en").get("/no-such-page/")
    assert response.status_code == 404
    html = assert_in_site_frame(response, "en")
    assert "Page not found" in html


def test_a_staff_page_refused_to_someone_without_the_role_is_a_framed_chinese_403(fang):
    client = browser()
    client.force_login(fang)
    verify_second_factor(client, fang)
    response = client.get("/licensing/")
    assert response.status_code == 403
    html = assert_in_site_frame(response, "zh-hans")
    assert "无权" in html


def test_the_admins_refusal_stays_in_the_admin_frame_and_the_staffs_language(bei):
    for language, words in (("zh-hans", "无权"), ("en", "not allowed")):
        client = browser(language)
        client.force_login(bei)
        verify_second_factor(client, bei)
        response = client.get("/admin/archive/archiverequest/")
        assert response.status_code == 403
        html = response.content.decode()
        assert f'<html lang="{language}"' in html
        assert 'id="header"' in html and "admin-extra.css" in html
        assert words in html
        assert 'href="/admin/"' in html


def test_a_bad_request_is_a_framed_page(db):
    response = browser().get("/disclosures/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    html = assert_in_site_frame(response, "zh-hans")
    assert "请求无效" in html


def test_an_expired_form_is_a_friendly_page_not_djangos_csrf_explanation(db):
    client = browser("en", enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = assert_in_site_frame(response, "en")
    assert "CSRF" not in html
    assert "reload" in html.lower()


def test_the_server_error_page_is_shown_in_the_frame_even_with_the_database_down(db):
    with mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("database is down")
    ):
        response = browser().get("/statistics/")
    assert response.status_code == 500
    html = assert_in_site_frame(response, "zh-hans")
    assert "服务器" in html


def test_the_server_error_page_speaks_english_to_an_english_visitor(db):
    with mock.patch(
        "publication.views.public.disclosure_statistics", side_effect=RuntimeError("boom")
    ):
        response = browser("en").get("/statistics/")
    assert response.status_code == 500
    assert "went wrong" in assert_in_site_frame(response, "en")


def test_too_many_verification_attempts_get_a_framed_page(db):
    client = browser()
    for _ in range(20):
        client.post("/verify/", {"number": "X", "code": "Y"})
    response = client.post("/verify/", {"number": "X", "code": "Y"})
    assert response.status_code == 429
    assert "尝试次数过多" in assert_in_site_frame(response, "zh-hans")


def test_the_apis_errors_stay_json(public_list):
    missing = browser().get("/api/v1/disclosures/TR99999999/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    unknown = browser().get("/api/v1/no-such-endpoint/")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/json"
    assert unknown.json()["detail"]

"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES idle and STAFF_SESSION_MAX_HOURS
after sign-in; public accounts keep their ordinary sessions. Every sign-in follows `next`
only on this site: an off-site one lands on the admin index (or the archive page), never a
404."""

import datetime

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, staff_sign_in

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


def staff_page(client: Client) -> int:
    return client.get("/admin/").status_code


def test_a_staff_session_ends_after_thirty_idle_minutes(rui):
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        staff_sign_in(client, rui)
        clock.move_to(START + datetime.timedelta(minutes=29))
        assert staff_page(client) == 200
        clock.move_to(START + datetime.timedelta(minutes=29 + 31))
        assert staff_page(client) == 302


def test_a_busy_staff_session_still_ends_twelve_hours_after_sign_in(rui):
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        staff_sign_in(client, rui)
        for minutes in range(20, 12 * 60, 20):
            clock.move_to(START + datetime.timedelta(minutes=minutes))
            assert staff_page(client) == 200, minutes
        clock.move_to(START + datetime.timedelta(hours=12, minutes=1))
        assert staff_page(client) == 302


def test_the_staff_session_cookie_does_not_outlive_the_absolute_lifetime(rui, settings):
    client = Client()
    staff_sign_in(client, rui)
    assert client.session.get_expiry_age() <= settings.STAFF_SESSION_MAX_HOURS * 3600


def test_the_timeouts_are_settings(rui, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        staff_sign_in(client, rui)
        clock.move_to(START + datetime.timedelta(minutes=6))
        assert staff_page(client) == 302


def test_a_public_account_keeps_its_session_for_days(pan):
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.post("/accounts/login/", {"login": "pan", "password": PASSWORD})
        clock.move_to(START + datetime.timedelta(days=3))
        assert client.get("/archive/requests/").status_code == 200


@pytest.mark.parametrize(
    "next_path",
    ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_an_off_site_next_on_the_admin_sign_in_lands_on_the_admin_index(rui, next_path):
    response = staff_sign_in(Client(), rui, next_path=next_path)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_an_on_site_next_is_followed(rui):
    response = staff_sign_in(Client(), rui, next_path="/licensing/")
    assert response["Location"] == "/licensing/"


def test_an_off_site_next_on_the_public_sign_in_lands_on_the_archive_page(pan):
    response = Client().post(
        "/accounts/login/?next=https://evil.example/",
        {"login": "pan", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/archive/requests/"


def test_an_open_admin_page_sends_to_the_sign_in_and_back(rui):
    client = Client()
    response = client.get("/admin/records/badrecord/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    response = staff_sign_in(client, rui, next_path="/admin/records/badrecord/")
    assert response["Location"] == "/admin/records/badrecord/"

"""The second factor of every staff sign-in: the right password alone does not sign in;
a TOTP code works once; a recovery code works once; a session that was never verified (or
whose account has no authenticator) is not a staff session; bureau administrators enrol
and reset the accounts of their bureau only."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken

from accounts.two_factor import two_factor_current_code, two_factor_enrol
from kernel.models import AuditEvent
from tests.conftest import PASSWORD, client_for, staff_sign_in

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, code: str):
    return client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "otp_code": code}
    )


def is_staff_session(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_right_password_without_a_code_does_not_sign_a_reviewer_in(rui):
    two_factor_enrol(by=None, account=rui)
    client = Client()
    response = client.post("/admin/login/", {"username": "rui", "password": PASSWORD})
    assert response.status_code == 200
    assert not is_staff_session(client)


def test_the_right_password_with_a_wrong_code_does_not_sign_in(rui):
    two_factor_enrol(by=None, account=rui)
    code = two_factor_current_code(rui)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    client = Client()
    attempt(client, "rui", wrong)
    assert not is_staff_session(client)


def test_the_password_and_current_code_sign_a_reviewer_in(rui):
    client = Client()
    response = staff_sign_in(client, rui)
    assert response.status_code == 302
    assert is_staff_session(client)


def test_a_code_is_accepted_once_only(rui):
    two_factor_enrol(by=None, account=rui)
    code = two_factor_current_code(rui)
    first, second = Client(), Client()
    attempt(first, "rui", code)
    attempt(second, "rui", code)
    assert is_staff_session(first)
    assert not is_staff_session(second)


def test_a_recovery_code_signs_in_once(rui):
    codes = two_factor_enrol(by=None, account=rui).recovery_codes
    first, second = Client(), Client()
    attempt(first, "rui", codes[0].upper())
    attempt(second, "rui", codes[0])
    assert is_staff_session(first)
    assert not is_staff_session(second)
    assert StaticToken.objects.filter(device__user=rui).count() == len(codes) - 1


def test_a_staff_account_without_an_authenticator_cannot_sign_in(rui):
    client = Client()
    attempt(client, "rui", "123456")
    assert not is_staff_session(client)


def test_a_session_signed_in_by_password_alone_is_not_a_staff_session(rui):
    client = Client()
    client.force_login(rui)  # a session without the second factor
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.get("/licensing/").status_code == 302


def test_a_bureau_administrator_enrols_an_account_of_their_bureau_and_sees_the_secret_once(
    rui, xihu_admin
):
    admin = client_for(xihu_admin)
    page = admin.get(f"/admin/records/user/{rui.pk}/two-factor/")
    assert page.status_code == 200
    assert "otpauth://" not in page.content.decode()
    response = admin.post(f"/admin/records/user/{rui.pk}/two-factor/")
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    uri = re.search(r"otpauth://totp/[^<\s]+", html)
    assert uri
    codes = re.findall(r"<li><code>([a-z0-9]{10})</code></li>", html)
    assert len(codes) == 10
    # The account signs in with a recovery code from that page.
    client = Client()
    attempt(client, "rui", codes[3])
    assert is_staff_session(client)
    # Later visits do not show the secret again.
    assert (
        "otpauth://" not in admin.get(f"/admin/records/user/{rui.pk}/two-factor/").content.decode()
    )
    assert AuditEvent.objects.filter(action="two_factor_enrol", actor=xihu_admin).exists()


def test_a_reset_makes_the_old_codes_stop_working(rui, xihu_admin):
    old_codes = two_factor_enrol(by=None, account=rui).recovery_codes
    client_for(xihu_admin).post(f"/admin/records/user/{rui.pk}/two-factor/")
    client = Client()
    attempt(client, "rui", old_codes[0])
    assert not is_staff_session(client)


@pytest.mark.parametrize("persona", ["fang", "dongcheng_admin", "li"])
def test_others_cannot_enrol_or_reset_a_reviewers_second_factor(request, persona, rui, bureaus):
    from records.roles import Role
    from tests.conftest import make_user

    users = {
        "fang": lambda: request.getfixturevalue("fang"),
        "li": lambda: request.getfixturevalue("li"),
        "dongcheng_admin": lambda: make_user("dc_admin", bureaus["dongcheng"], Role.BUREAU_ADMIN),
    }
    client = client_for(users[persona]())
    response = client.post(f"/admin/records/user/{rui.pk}/two-factor/")
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="two_factor_enrol").exists()


def test_the_sign_in_page_asks_for_the_code_in_chinese():
    html = Client().get("/admin/login/").content.decode()
    assert 'name="otp_code"' in html
    assert "验证码" in html


def test_the_otp_code_command_prints_the_code_that_signs_in(rui, settings):
    import io

    from django.core.management import call_command

    two_factor_enrol(by=None, account=rui)
    settings.DEBUG = True
    out = io.StringIO()
    call_command("otp_code", "rui", "--uri", stdout=out)
    uri, code = out.getvalue().split()
    assert uri.startswith("otpauth://totp/") and "secret=" in uri
    client = Client()
    attempt(client, "rui", code)
    assert is_staff_session(client)


def test_the_otp_code_command_refuses_with_debug_off(rui, settings):
    from django.core.management import CommandError, call_command

    two_factor_enrol(by=None, account=rui)
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("otp_code", "rui")


def test_the_enrol_command_gives_a_new_national_administrator_a_second_factor(national_admin):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("two_factor_enrol", "nat", stdout=out)
    codes = re.findall(r"^  ([a-z0-9]{10})$", out.getvalue(), re.M)
    assert len(codes) == 10
    client = Client()
    attempt(client, "nat", codes[0])
    assert is_staff_session(client)

"""Brute force against every sign-in: the admin's (staff), the public accounts' and the
re-authentication that creates an API token. After a few failures a name, and after more an
address, is refused whatever the password, with a message saying when to try again; an
unknown name gets exactly the same answers; everything is in the audit trail."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.two_factor import two_factor_current_code, two_factor_enrol
from kernel.models import AuditEvent
from tests.conftest import PASSWORD, client_for, staff_sign_in

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-123"


def admin_attempt(client: Client, username: str, password: str, code: str = "000000"):
    return client.post(
        "/admin/login/", {"username": username, "password": password, "otp_code": code}
    )


def signed_in_as_staff(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def page_message(response) -> str:
    """The page's error note, with the parts that differ by design (time) taken out."""
    html = response.content.decode()
    notes = re.findall(r'<p class="errornote">\s*(.*?)\s*</p>', html, re.S)
    return re.sub(r"\d+", "N", " ".join(notes))


def test_twenty_five_wrong_passwords_lock_a_reviewers_name_even_against_the_right_one(rui):
    two_factor_enrol(by=None, account=rui)
    client = Client()
    for _ in range(25):
        admin_attempt(client, "rui", WRONG)
    response = admin_attempt(client, "rui", PASSWORD, two_factor_current_code(rui))
    assert not signed_in_as_staff(client)
    assert "后再试" in response.content.decode() or "Try again after" in response.content.decode()


@time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_the_lock_says_when_to_try_again_and_runs_out_by_itself(rui, settings):
    two_factor_enrol(by=None, account=rui)
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    for _ in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        response = admin_attempt(client, "rui", WRONG)
    assert "Try again after 18:15" in response.content.decode()  # China Standard Time
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = admin_attempt(client, "rui", PASSWORD, two_factor_current_code(rui))
        assert response.status_code == 302
        assert signed_in_as_staff(client)


def test_an_unknown_name_is_answered_and_locked_exactly_like_a_known_one(rui, settings):
    known, unknown = Client(), Client(REMOTE_ADDR="10.0.0.2")
    answers = []
    for _ in range(settings.ACCOUNT_LOCKOUT_FAILURES + 1):
        answers.append(
            (
                page_message(admin_attempt(known, "rui", WRONG)),
                page_message(admin_attempt(unknown, "nobody-here", WRONG)),
            )
        )
    for for_known, for_unknown in answers:
        assert for_known == for_unknown
    assert answers[0][0] != answers[-1][0]  # the last ones are the lock's message


def test_one_address_guessing_many_names_is_locked_out_for_all_of_them(rui, settings):
    two_factor_enrol(by=None, account=rui)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(settings.ACCOUNT_LOCKOUT_ADDRESS_FAILURES):
        admin_attempt(attacker, f"guess-{number}", WRONG)
    admin_attempt(attacker, "rui", PASSWORD, two_factor_current_code(rui))
    assert not signed_in_as_staff(attacker)
    # Another address is not affected.
    colleague = Client(REMOTE_ADDR="198.51.100.7")
    assert staff_sign_in(colleague, rui).status_code == 302


def test_a_bureau_administrator_lifts_the_lock_of_an_account_of_their_bureau(
    rui, xihu_admin, settings
):
    two_factor_enrol(by=None, account=rui)
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        admin_attempt(client, "rui", WRONG)
    admin = client_for(xihu_admin)
    response = admin.post(f"/admin/records/user/{rui.pk}/unlock/")
    assert response.status_code == 302
    assert staff_sign_in(Client(REMOTE_ADDR="10.1.1.2"), rui).status_code == 302
    assert AuditEvent.objects.filter(action="signin_unlock", actor=xihu_admin).exists()


def test_an_administrator_of_another_bureau_cannot_lift_the_lock(rui, bureaus):
    from records.roles import Role
    from tests.conftest import make_user

    other_admin = make_user("dc_admin", bureaus["dongcheng"], Role.BUREAU_ADMIN)
    response = client_for(other_admin).post(f"/admin/records/user/{rui.pk}/unlock/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="signin_unlock").exists()


def test_successes_failures_and_lockouts_are_in_the_audit_trail(rui, settings):
    client = Client(REMOTE_ADDR="192.0.2.44")
    for _ in range(settings.ACCOUNT_LOCKOUT_FAILURES + 1):
        admin_attempt(client, "rui", WRONG)
    staff_sign_in(Client(REMOTE_ADDR="192.0.2.45"), rui)  # locked: refused too
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions.count("signin_failure") == settings.ACCOUNT_LOCKOUT_FAILURES
    assert actions.count("signin_lockout") == 1
    assert actions.count("signin_refused_locked") == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        assert staff_sign_in(Client(REMOTE_ADDR="192.0.2.46"), rui).status_code == 302
    success = AuditEvent.objects.get(action="signin_success")
    assert success.actor_id == rui.pk
    assert '"address": "192.0.2.46"' in success.after or "192.0.2.46" in str(success.after)


def test_public_sign_in_is_locked_per_name_and_says_when(pan, settings):
    client = Client()
    for _ in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        client.post("/accounts/login/", {"login": "pan", "password": WRONG})
    response = client.post("/accounts/login/", {"login": "pan", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert re.search(r"\d\d:\d\d", html)
    assert AuditEvent.objects.filter(action="signin_lockout").exists()


def test_public_sign_in_is_locked_per_address_across_names(pan, settings):
    client = Client(REMOTE_ADDR="203.0.113.50")
    for number in range(settings.ACCOUNT_LOCKOUT_ADDRESS_FAILURES):
        client.post(
            "/accounts/login/", {"login": f"someone{number}@example.org", "password": WRONG}
        )
    client.post("/accounts/login/", {"login": "pan", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_token_creation_locks_after_wrong_passwords_and_makes_no_token(li, settings):
    from accounts.models import ApiToken

    client = client_for(li)
    for _ in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        client.post(
            "/licensing/tokens/",
            {"name": "sys", "days": 30, "password": WRONG, "otp_code": "000000"},
        )
    response = client.post(
        "/licensing/tokens/",
        {"name": "sys", "days": 30, "password": PASSWORD, "otp_code": two_factor_current_code(li)},
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action="signin_lockout").exists()

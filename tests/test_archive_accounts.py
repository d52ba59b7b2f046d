"""Public accounts of interested parties: sign-up with e-mail verification, password rules,
sign-in lockout, password reset. None of these pages tells whether an address or a login
name has an account."""

import datetime
import re

import time_machine
from django.core import mail
from django.test import Client

from accounts.models import InterestedParty
from kernel.jobs import outbox_drain
from kernel.models import OutboxJob
from records.models import User
from tests.conftest import PASSWORD

GOOD_PASSWORD = "violet-kettle-harbour-42"


def _signup(client: Client, email: str, password: str = GOOD_PASSWORD, name: str = "潘晓"):
    return client.post(
        "/accounts/signup/",
        {"full_name": name, "email": email, "password": password, "password_again": password},
    )


def _page(response, login: str) -> str:
    """The page without what differs by design: the CSRF token and the name typed."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(f'value="{login}"', 'value="«login»"')


def _link(message) -> str:
    return re.search(r"http://[^\s]+", message.body).group(0).replace("http://127.0.0.1:8000", "")


def test_sign_up_sends_a_link_that_activates_the_account(
    db, broker_down, django_capture_on_commit_callbacks
):
    """Even with the broker down: the request only writes the job; the worker's drain sends
    the mail once the broker (and with it the drain) is back."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # as if the request committed
        response = _signup(client, "Pan.Xiao@Example.org")
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/done/"
    assert broker_down == []  # the request never tried to publish a Celery message
    assert mail.outbox == []
    job = OutboxJob.objects.get()
    assert (job.name, job.status) == ("accounts_verification_email", "pending")
    assert outbox_drain() == 1
    user = User.objects.get(email="pan.xiao@example.org")
    assert not user.is_active and not user.is_staff and user.bureau is None
    assert user.interested_party.email_verified_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pan.xiao@example.org"]
    assert client.get(_link(mail.outbox[0])).status_code == 200
    user.refresh_from_db()
    assert user.is_active and user.interested_party.email_verified_at is not None
    signed_in = client.post(
        "/accounts/login/", {"login": "pan.xiao@example.org", "password": GOOD_PASSWORD}
    )
    assert signed_in["Location"] == "/archive/requests/"
    assert client.get("/archive/requests/").status_code == 200


def test_a_used_or_forged_verification_link_does_not_work(db):
    client = Client()
    _signup(client, "pan@example.org")
    outbox_drain()
    link = _link(mail.outbox[0])
    assert client.get(link).status_code == 200
    # The token covers is_active: once used, the link is dead.
    assert client.get(link).status_code == 400
    assert client.get("/accounts/verify/MQ/forged-token/").status_code == 400
    huge = "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk"  # 99999999999999999999999
    for uid in (huge, "%%%", "-1"):
        assert client.get(f"/accounts/verify/{uid}/x/").status_code == 400


def test_sign_up_with_a_known_address_looks_the_same_and_tells_the_owner(pan):
    known = _signup(Client(), "pan@example.org")
    new = _signup(Client(), "new@example.org")
    assert outbox_drain() == 2
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert User.objects.filter(email="pan@example.org").count() == 1
    notice = next(m for m in mail.outbox if m.to == ["pan@example.org"])
    assert "already has an account" in notice.body or "已有账号" in notice.body


def test_passwords_follow_the_rules(db):
    for weak in ("short1", "1234567890123", "password123"):
        response = _signup(Client(), "weak@example.org", password=weak)
        assert response.status_code == 200
        assert "password" in response.context["form"].errors
    assert not User.objects.filter(email="weak@example.org").exists()


def test_repeated_failures_lock_the_name_whether_or_not_it_has_an_account(pan, settings):
    settings.ACCOUNT_LOCKOUT_FAILURES = 3
    settings.ACCOUNT_LOCKOUT_MINUTES = 15
    start = datetime.datetime(2026, 6, 1, 2, tzinfo=datetime.UTC)
    answers = {}
    for login in ("pan", "nobody-here"):
        client = Client()
        with time_machine.travel(start, tick=False):
            for _ in range(3):
                client.post("/accounts/login/", {"login": login, "password": "wrong-password-1"})
            # Locked now: even the right password is refused, with the same message for both.
            locked = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        answers[login] = _page(locked, login)
        assert locked.status_code == 200
        assert "_auth_user_id" not in client.session
    assert answers["pan"] == answers["nobody-here"]
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        client = Client()
        response = client.post("/accounts/login/", {"login": "pan", "password": PASSWORD})
    assert response.status_code == 302


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(pan):
    wrong = Client().post("/accounts/login/", {"login": "pan", "password": "nope-nope-nope"})
    unknown = Client().post("/accounts/login/", {"login": "nap", "password": "nope-nope-nope"})
    assert _page(wrong, "pan") == _page(unknown, "nap")


def test_staff_accounts_do_not_sign_in_on_the_public_page(archivist):
    response = Client().post("/accounts/login/", {"login": "archivist", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_password_reset_mails_public_accounts_only_and_answers_alike(
    pan, archivist, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # as if the requests committed
        answers = [
            Client().post("/accounts/password-reset/", {"email": email})
            for email in ("pan@example.org", "archivist@example.org", "nobody@example.org")
        ]
    assert {answer["Location"] for answer in answers} == {"/accounts/password-reset/done/"}
    assert broker_down == []  # the requests never tried to publish a Celery message
    assert mail.outbox == []
    job = OutboxJob.objects.get()
    # No live reset link is stored: the worker makes it when it sends the mail.
    assert (job.name, job.payload) == ("accounts_password_reset_email", {"user_id": pan.pk})
    assert outbox_drain() == 1
    assert [m.to for m in mail.outbox] == [["pan@example.org"]]
    client = Client()
    form_page = client.get(_reset_path(mail.outbox[0].body), follow=True)
    new = "amber-lantern-meadow-77"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done["Location"] == "/accounts/reset/done/"
    pan.refresh_from_db()
    assert pan.check_password(new)


def _reset_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+)", body).group(1)


def test_sign_out_ends_the_session(pan):
    client = Client()
    client.force_login(pan)
    client.post("/accounts/logout/")
    assert client.get("/archive/requests/").status_code == 302


def test_every_new_public_account_has_its_profile(db):
    _signup(Client(), "a@example.org")
    assert InterestedParty.objects.filter(user__email="a@example.org").exists()


def test_account_pages_speak_chinese_first_and_english_by_the_switch(db):
    client = Client()
    assert "利害关系人注册" in client.get("/accounts/signup/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/signup/"})
    page = client.get("/accounts/signup/").content.decode()
    assert "Sign up as an interested party" in page
    assert '<label for="id_email">' in page  # every field has its label

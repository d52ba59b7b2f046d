"""API tokens: stored as hashes, shown once at creation, named, with an expiry, revocable
by the officer and their bureau's administrator; no page of the admin shows a key; tokens
made before hashing keep working after the migration."""

import datetime
import hashlib
import importlib
import re

import pytest
import time_machine
from django.apps import apps as global_apps
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.two_factor import two_factor_current_code
from kernel.models import AuditEvent
from tests import factories
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

API = "/api/v1/licensing/checks/"
BODY = {
    "applicant_kind": "operator",
    "name": "杭州西湖国际旅行社",
    "application_type": "outbound_business",
    "application_ref": "浙文旅许〔2026〕009号",
}


def call(key: str):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.post(API, BODY, format="json")


def create_on_page(client, user, name="审批系统"):
    return client.post(
        "/licensing/tokens/",
        {"name": name, "days": 30, "password": PASSWORD, "otp_code": two_factor_current_code(user)},
    )


def key_on(response) -> str:
    match = re.search(r'<code class="api-token-key">([^<]+)</code>', response.content.decode())
    assert match, "no key on the page"
    return match.group(1)


def database_text() -> str:
    """Every text column of the tokens and audit tables, as stored."""
    rows = list(ApiToken.objects.values_list()) + list(AuditEvent.objects.values_list())
    return repr(rows)


def test_an_officer_makes_a_named_token_sees_the_key_once_and_it_works(li):
    client = client_for(li)
    response = create_on_page(client, li)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = key_on(response)
    token = ApiToken.objects.get()
    assert token.name == "审批系统"
    assert token.expires_at > timezone.now() + datetime.timedelta(days=29)
    assert call(key).status_code == 201
    # The list does not show it again, nor does anything stored.
    assert key not in client.get("/licensing/tokens/").content.decode()
    assert key not in database_text()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()


def test_a_token_needs_the_password_and_code_again(li):
    client = client_for(li)
    response = client.post(
        "/licensing/tokens/",
        {"name": "x", "days": 30, "password": PASSWORD, "otp_code": "000000"},
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_stops_working_when_it_expires(li):
    key = factories.api_key(li, days=1)
    assert call(key).status_code == 201
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert call(key).status_code == 401


@pytest.mark.parametrize("revoker", ["li", "xihu_admin", "national_admin"])
def test_the_officer_and_the_administrators_revoke_a_token(request, li, revoker):
    key = factories.api_key(li)
    token = ApiToken.objects.get()
    by = request.getfixturevalue(revoker)
    response = client_for(by).post(f"/licensing/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert call(key).status_code == 401
    assert AuditEvent.objects.filter(action="api_token_revoke", actor=by).exists()


def test_an_administrator_of_another_bureau_cannot_revoke_it(li, bureaus):
    from records.roles import Role
    from tests.conftest import make_user

    other = make_user("dc_admin", bureaus["dongcheng"], Role.BUREAU_ADMIN)
    key = factories.api_key(li)
    token = ApiToken.objects.get()
    assert client_for(other).post(f"/licensing/tokens/{token.pk}/revoke/").status_code == 404
    assert call(key).status_code == 201


def test_the_admin_revokes_but_never_shows_a_key(li, national_admin):
    key = factories.api_key(li)
    token = ApiToken.objects.get()
    admin = client_for(national_admin)
    pages = [
        admin.get("/admin/accounts/apitoken/"),
        admin.get(f"/admin/accounts/apitoken/{token.pk}/change/"),
        admin.get("/admin/"),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert key not in html
        assert token.key_hash not in html
    # DRF's own token admin, which showed keys in full, is gone.
    assert admin.get("/admin/authtoken/tokenproxy/").status_code == 404
    admin.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert call(key).status_code == 401


def test_plain_drf_tokens_are_hashed_by_the_migration_and_keep_working(li):
    from rest_framework.authtoken.models import Token

    old_key = "f" * 40
    Token.objects.create(key=old_key, user=li)
    migration = importlib.import_module("accounts.migrations.0003_hash_existing_api_tokens")
    migration.hash_tokens(global_apps, connection.schema_editor())
    assert not Token.objects.exists()
    token = ApiToken.objects.get()
    assert token.user == li
    assert token.expires_at > timezone.now()
    assert call(old_key).status_code == 201
    assert old_key not in database_text()

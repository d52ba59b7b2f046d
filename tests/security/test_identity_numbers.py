"""Resident identity numbers: encrypted at rest, found by a keyed hash, searched only by the
bureau allowed to see them (rate-limited and audited), keys replaceable without losing a
number, and no key, no production start."""

import io
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from kernel.identity_numbers import identity_number_digest
from kernel.models import AuditEvent
from licensing.candidates import practitioner_ids
from records.models import Practitioner
from tests import factories
from tests.conftest import client_for

NEW_KEY = Fernet.generate_key().decode()
NEW_HMAC_KEY = "a-new-identity-number-hmac-key-for-the-rotation-test"


def _stored(practitioner: Practitioner) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_number, identity_number_hmac FROM records_practitioner WHERE id = %s",
            [practitioner.pk],
        )
        return cursor.fetchone()


@pytest.fixture
def guide(bureaus) -> Practitioner:
    return factories.practitioner(
        region=bureaus["xihu"], identity_number=factories.identity_number(927, "19900101")
    )


def test_the_database_holds_no_identity_number_in_clear(guide):
    token, digest = _stored(guide)
    assert guide.identity_number not in token
    assert token.startswith("gAAAA")  # a Fernet token
    assert digest == identity_number_digest(guide.identity_number)
    assert Practitioner.objects.get(pk=guide.pk).identity_number == guide.identity_number


def test_comparing_a_clear_number_with_the_encrypted_column_fails_loudly(guide):
    with pytest.raises(ValueError, match="identity_number_hmac"):
        list(Practitioner.objects.filter(identity_number=guide.identity_number))


def test_licensing_still_finds_a_practitioner_by_identity_number(guide):
    found = practitioner_ids(name="", identity_number=guide.identity_number, certificate_no="")
    assert found == {guide.pk}


def _admin_search(user, term: str):
    return client_for(user).get("/admin/records/practitioner/", {"q": term})


def test_another_bureaus_staff_cannot_confirm_a_masked_number_in_the_admin(guide, shang):
    existing = _admin_search(shang, guide.identity_number)
    unknown = _admin_search(shang, factories.identity_number(928, "19900101"))
    assert existing.status_code == unknown.status_code == 200
    assert existing.context["cl"].result_count == 0
    assert unknown.context["cl"].result_count == 0
    assert guide.name not in existing.content.decode()


def test_the_filing_bureau_finds_its_practitioner_by_number_and_the_search_is_audited(guide, fang):
    page = _admin_search(fang, f" {guide.identity_number[:6]} {guide.identity_number[6:]} ")
    assert page.context["cl"].result_count == 1
    event = AuditEvent.objects.get(action="practitioner_identity_search", actor=fang)
    assert event.after["identity_number"] == "330106********" + guide.identity_number[-4:]
    assert event.after["refused"] is False
    assert guide.identity_number not in str(event.after)


def test_identity_number_searches_are_limited_per_account(guide, fang, settings):
    settings.IDENTITY_NUMBER_SEARCH_RATE = "2/hour"
    for _ in range(2):
        assert _admin_search(fang, guide.identity_number).context["cl"].result_count == 1
    refused = _admin_search(fang, guide.identity_number)
    assert refused.context["cl"].result_count == 0
    assert "按身份证号码查询的次数过多" in refused.content.decode()  # the admin is in Chinese
    assert AuditEvent.objects.filter(
        action="practitioner_identity_search", after__refused=True
    ).exists()


def test_a_new_encryption_key_is_rolled_in_by_the_reencrypt_command(guide, settings):
    old_key = settings.IDENTITY_NUMBER_KEYS[0]
    old_token, _ = _stored(guide)
    settings.IDENTITY_NUMBER_KEYS = [NEW_KEY, old_key]
    assert Practitioner.objects.get(pk=guide.pk).identity_number == guide.identity_number

    call_command("identity_numbers_reencrypt", stdout=io.StringIO())

    new_token, _ = _stored(guide)
    assert Fernet(NEW_KEY.encode()).decrypt(new_token.encode()).decode() == guide.identity_number
    settings.IDENTITY_NUMBER_KEYS = [NEW_KEY]  # the old key is gone
    assert Practitioner.objects.get(pk=guide.pk).identity_number == guide.identity_number
    assert new_token != old_token


def test_a_new_hmac_key_finds_numbers_before_and_after_the_reencrypt_command(guide, settings):
    old_hmac = settings.IDENTITY_NUMBER_HMAC_KEYS[0]
    settings.IDENTITY_NUMBER_HMAC_KEYS = [NEW_HMAC_KEY, old_hmac]
    number = guide.identity_number
    assert practitioner_ids(name="", identity_number=number, certificate_no="") == {guide.pk}

    call_command("identity_numbers_reencrypt", stdout=io.StringIO())

    settings.IDENTITY_NUMBER_HMAC_KEYS = [NEW_HMAC_KEY]
    assert _stored(guide)[1] == identity_number_digest(number)
    assert practitioner_ids(name="", identity_number=number, certificate_no="") == {guide.pk}


def test_the_reencrypt_command_stops_on_a_number_no_key_opens(guide, settings):
    from django.core.management.base import CommandError

    settings.IDENTITY_NUMBER_KEYS = [NEW_KEY]
    with pytest.raises(CommandError, match="Put back the key"):
        call_command("identity_numbers_reencrypt")


def _settings_load(**env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("IDENTITY_NUMBER", "DJANGO_SETTINGS", "DEBUG"))
    }
    clean.update(SECRET_KEY="x" * 50, **env)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'blacklist_portal.settings';"
        "django.setup(); from django.core.management import call_command;"
        "call_command('check')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_identity_number_keys():
    result = _settings_load(DEBUG="0")
    assert result.returncode != 0
    assert "IDENTITY_NUMBER_KEYS and IDENTITY_NUMBER_HMAC_KEYS are required" in result.stderr


def test_development_runs_on_derived_keys_with_a_loud_warning():
    result = _settings_load(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "kernel.W001" in result.stderr + result.stdout


def test_a_mistyped_key_stops_the_start_naming_the_variable():
    result = _settings_load(
        DEBUG="0", IDENTITY_NUMBER_KEYS="not-a-key", IDENTITY_NUMBER_HMAC_KEYS="h" * 40
    )
    assert result.returncode != 0
    assert "IDENTITY_NUMBER_KEYS: key 1 is not a Fernet key" in result.stderr
    short = _settings_load(DEBUG="0", IDENTITY_NUMBER_KEYS=NEW_KEY, IDENTITY_NUMBER_HMAC_KEYS="x")
    assert "IDENTITY_NUMBER_HMAC_KEYS: key 1 has 1 characters" in short.stderr


def test_an_archive_request_by_identity_number_finds_the_persons_archived_records(
    bureaus, fang, archivist, pan
):
    import datetime

    import time_machine

    from archive.models import IdentifierKind
    from records.models import RecordStatus
    from tests.archive_helpers import at, file_request

    person = factories.practitioner(region=bureaus["xihu"], name="陈晓峰")
    archived = factories.record(
        filer=fang,
        subject=person,
        status=RecordStatus.ARCHIVED,
        basis_date=datetime.date(2023, 2, 20),
        public_from=datetime.date(2023, 3, 1),
    )
    with time_machine.travel(at(datetime.date(2026, 6, 1)), tick=False):
        request = file_request(
            pan,
            name="陈晓峰",
            identifier=person.identity_number,
            bureau=bureaus["xihu"],
            identifier_kind=IdentifierKind.IDENTITY_NUMBER,
        )
        page = client_for(archivist).get(f"/archive/requests/{request.pk}/records/")
    assert [record.pk for record in page.context["records"]] == [archived.pk]
    assert person.identity_number not in page.content.decode()

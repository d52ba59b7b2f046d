"""An identity number typed into an archive request is an identity number at rest like a
practitioner's: encrypted in the database, shown masked, still matched to the person's
records, and moved to a new key by the re-encryption command."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from archive.models import ArchiveRequest, IdentifierKind
from tests import factories
from tests.archive_helpers import file_request


def _stored_identifier(item: ArchiveRequest) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT identifier FROM archive_archiverequest WHERE id = %s", [item.pk])
        return cursor.fetchone()[0]


def _file(pan, bureaus, number: str) -> ArchiveRequest:
    return file_request(
        pan,
        name="李导游",
        identifier=number,
        bureau=bureaus["xihu"],
        identifier_kind=IdentifierKind.IDENTITY_NUMBER,
    )


def test_a_requested_identity_number_is_not_stored_in_clear(pan, bureaus):
    number = factories.identity_number(41)
    item = _file(pan, bureaus, number)
    stored = _stored_identifier(item)
    assert number not in stored
    fresh = ArchiveRequest.objects.get(pk=item.pk)
    assert fresh.identifier_value == number
    assert fresh.identifier_shown == number[:6] + "********" + number[-4:]


def test_other_identifiers_stay_as_typed(pan, bureaus):
    item = file_request(pan, name="某旅行社", identifier="L-ZJ-CJ00077", bureau=bureaus["xihu"])
    assert _stored_identifier(item) == ArchiveRequest.objects.get(pk=item.pk).identifier_value


def test_the_reencrypt_command_moves_requested_numbers_to_the_new_key(pan, bureaus, settings):
    number = factories.identity_number(42)
    item = _file(pan, bureaus, number)
    new_key = Fernet.generate_key().decode()
    settings.IDENTITY_NUMBER_KEYS = [new_key, *settings.IDENTITY_NUMBER_KEYS]

    call_command("identity_numbers_reencrypt", stdout=io.StringIO())

    settings.IDENTITY_NUMBER_KEYS = [new_key]  # the old key is gone
    assert Fernet(new_key.encode()).decrypt(_stored_identifier(item).encode()).decode() == number
    assert ArchiveRequest.objects.get(pk=item.pk).identifier_value == number

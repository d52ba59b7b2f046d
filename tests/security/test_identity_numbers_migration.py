"""records/0011 encrypts the identity numbers already stored, on PostgreSQL and SQLite alike,
and going back to 0010 gives the clear numbers back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kernel.identity_numbers import identity_number_decrypt, identity_number_digest
from records.models import Practitioner
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("records", "0010_fold_variant_characters_in_search_keys")
AFTER = ("records", "0011_encrypt_identity_numbers")
NUMBERS = [factories.identity_number(n, "19791231") for n in range(1, 901)]


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


def _newest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _column(name: str) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {name} FROM records_practitioner ORDER BY id")
        return dict(cursor.fetchall())


def test_migrating_encrypts_every_stored_number_and_back_decrypts_them(bureaus):
    xihu = bureaus["xihu"]
    try:
        _migrate(BEFORE)
        with connection.cursor() as cursor:
            for n, number in enumerate([*NUMBERS, ""]):
                cursor.execute(
                    "INSERT INTO records_practitioner (name, name_key, region_id, "
                    "created_by_bureau_id, created_at, updated_at, kind, identity_number, "
                    "certificate_no) VALUES (%s, %s, %s, %s, %s, %s, 'guide', %s, '')",
                    [f"导游{n}", f"导游{n}", xihu.pk, xihu.pk, "2026-01-01", "2026-01-01", number],
                )
        clear = _column("identity_number")

        _migrate(AFTER)

        tokens = _column("identity_number")
        digests = _column("identity_number_hmac")
        assert set(tokens) == set(clear)
        for pk, number in clear.items():
            if not number:
                assert tokens[pk] == "" and digests[pk] == ""
                continue
            assert number not in tokens[pk]
            assert identity_number_decrypt(tokens[pk]) == number
            assert digests[pk] == identity_number_digest(number)
        _newest()
        assert sorted(Practitioner.objects.values_list("identity_number", flat=True)) == sorted(
            clear.values()
        )

        _migrate(BEFORE)
        assert _column("identity_number") == clear
    finally:
        _newest()

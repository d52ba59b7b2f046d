"""The staff lists of operators and practitioners (and the record form's autocomplete) look
for the typed text inside the name key and the identifiers (records/staff_search.py). On
PostgreSQL a trigram index per column serves each of those LIKEs once the text has three
characters; without them every search read all 300,000 subjects of a national register.
PostgreSQL only, like the record search indexes of 0003 and 0013."""

from django.db import migrations

SUBJECT_SEARCH_INDEXES = {
    "operator_name_key_trgm_idx": "records_operator USING gin (name_key gin_trgm_ops)",
    "operator_credit_code_trgm_idx": "records_operator USING gin (credit_code gin_trgm_ops)",
    "operator_licence_no_trgm_idx": "records_operator USING gin (licence_no gin_trgm_ops)",
    "practitioner_name_key_trgm_idx": "records_practitioner USING gin (name_key gin_trgm_ops)",
    "practitioner_certificate_trgm_idx": (
        "records_practitioner USING gin (certificate_no gin_trgm_ops)"
    ),
}


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in SUBJECT_SEARCH_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in SUBJECT_SEARCH_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0019_record_published_bureau_index"),
    ]

    operations = [migrations.RunPython(add_search_indexes, drop_search_indexes)]

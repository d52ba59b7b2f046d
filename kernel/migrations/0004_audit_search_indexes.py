"""Trigram indexes for the audit list's search (any part of the object id or the action, as
the admin's `icontains` asks: `UPPER(column::text) LIKE UPPER('%term%')`). Without them a
search reads every event of the account's scope, a million on a national one. PostgreSQL
only; on SQLite the search scans, which is fine at its scale."""

from django.db import migrations

SEARCH_INDEXES = {
    "audit_object_id_trgm_idx": "USING gin ((upper((object_id)::text)) gin_trgm_ops)",
    "audit_action_trgm_idx": "USING gin ((upper((action)::text)) gin_trgm_ops)",
}


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in SEARCH_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON kernel_auditevent {definition}")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in SEARCH_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("kernel", "0003_audit_event_scopes")]

    operations = [migrations.RunPython(add_search_indexes, drop_search_indexes)]

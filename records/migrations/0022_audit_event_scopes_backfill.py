"""Fill the visibility scopes of the audit events written before they existed (kernel 0003):
each event's record scope is the path of its record's filing bureau, its actor scope the
path of its actor's bureau (both as they are now; empty when there is none, or when the
record was a draft since deleted). One set-based UPDATE, on PostgreSQL and SQLite.

Audit events are append-only: the trigger that refuses UPDATE is set aside for this one
statement, inside the migration's transaction, and is back before it commits. The hash chain
is unchanged (the scopes are not part of it)."""

from django.conf import settings
from django.db import migrations

PG_OFF = "ALTER TABLE kernel_auditevent DISABLE TRIGGER kernel_auditevent_append_only"
PG_ON = "ALTER TABLE kernel_auditevent ENABLE TRIGGER kernel_auditevent_append_only"
SQLITE_OFF = "DROP TRIGGER IF EXISTS kernel_auditevent_no_update"
SQLITE_ON = """CREATE TRIGGER IF NOT EXISTS kernel_auditevent_no_update
    BEFORE UPDATE ON kernel_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END"""


def scopes_fill(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    BadRecord = apps.get_model("records", "BadRecord")
    Bureau = apps.get_model("records", "Bureau")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    records, bureaus, users = (
        quote(model._meta.db_table) for model in (BadRecord, Bureau, User)
    )
    filing_bureau = quote(BadRecord._meta.get_field("filing_bureau").column)
    user_bureau = quote(User._meta.get_field("bureau").column)
    update = f"""
        UPDATE kernel_auditevent SET
            record_scope = COALESCE((
                SELECT b.path FROM {records} AS r JOIN {bureaus} AS b ON b.id = r.{filing_bureau}
                WHERE r.id = kernel_auditevent.record_id), ''),
            actor_scope = COALESCE((
                SELECT b.path FROM {users} AS u JOIN {bureaus} AS b ON b.id = u.{user_bureau}
                WHERE u.id = kernel_auditevent.actor_id), '')
        WHERE record_id IS NOT NULL OR actor_id IS NOT NULL
    """  # noqa: S608 - names from _meta
    off, on = (PG_OFF, PG_ON) if schema_editor.connection.vendor == "postgresql" else (
        SQLITE_OFF,
        SQLITE_ON,
    )
    schema_editor.execute(off, params=None)
    schema_editor.execute(update, params=None)
    schema_editor.execute(on, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0021_staff_list_covering_indexes"),
        ("kernel", "0003_audit_event_scopes"),
    ]

    operations = [migrations.RunPython(scopes_fill, migrations.RunPython.noop)]

"""The audit trail becomes an append-only hash chain (issue 9, point 2).

1. Every event gets `prev_hash` and `hash`; the existing events are linked in id order, in
   batches of 5,000 read by id and written back with one UPDATE per batch (a million events
   take a few minutes on PostgreSQL and never sit in memory at once).
2. The chain head (one row) starts at the last event.
3. Triggers then refuse any UPDATE or DELETE of an event, on both databases, and any move of
   the head backwards. TRUNCATE (PostgreSQL; what the test runner's flush uses) is not
   refused: it needs the table owner's rights, and it empties the head along with the events.

SQLite drops a table's triggers when Django's schema editor rebuilds the table (most
AlterField/AddField operations on SQLite do): a later migration that alters
kernel_auditevent must create them again (`tests/test_audit_chain.py` checks that they hold).
"""

from django.db import migrations, models

from kernel.audit_chain import SharedContent, canonical_json

BATCH = 5000

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION kernel_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
    END;
    $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER kernel_auditevent_append_only BEFORE UPDATE OR DELETE ON kernel_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION kernel_audit_append_only()",
    """CREATE OR REPLACE FUNCTION kernel_audit_head_forward() RETURNS trigger AS $$
    BEGIN
        IF NEW.last_id < OLD.last_id THEN
            RAISE EXCEPTION 'the audit chain head only moves forward';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER kernel_auditchainhead_forward BEFORE UPDATE ON kernel_auditchainhead "
    "FOR EACH ROW EXECUTE FUNCTION kernel_audit_head_forward()",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS kernel_auditchainhead_forward ON kernel_auditchainhead",
    "DROP FUNCTION IF EXISTS kernel_audit_head_forward()",
    "DROP TRIGGER IF EXISTS kernel_auditevent_append_only ON kernel_auditevent",
    "DROP FUNCTION IF EXISTS kernel_audit_append_only()",
]
SQLITE_FORWARD = [
    """CREATE TRIGGER IF NOT EXISTS kernel_auditevent_no_update BEFORE UPDATE ON kernel_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS kernel_auditevent_no_delete BEFORE DELETE ON kernel_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS kernel_auditchainhead_forward
    BEFORE UPDATE ON kernel_auditchainhead WHEN NEW.last_id < OLD.last_id
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS kernel_auditchainhead_forward",
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_update",
]

FIELDS = (
    "id",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "record_id",
    "before",
    "after",
    "reason",
)


def _write_links(connection, links: list[tuple[int, str, str]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE kernel_auditevent AS e SET prev_hash = v.prev_hash, hash = v.hash "
                "FROM unnest(CAST(%s AS bigint[]), CAST(%s AS text[]), CAST(%s AS text[])) "
                "AS v(id, prev_hash, hash) WHERE e.id = v.id",
                [list(column) for column in zip(*links, strict=True)],
            )
        else:
            cursor.executemany(
                "UPDATE kernel_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                [(prev_hash, hash_, pk) for pk, prev_hash, hash_ in links],
            )


def link_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("kernel", "AuditEvent")
    AuditChainHead = apps.get_model("kernel", "AuditChainHead")
    last_id, prev = 0, ""
    while True:
        batch = list(
            AuditEvent.objects.filter(id__gt=last_id).order_by("id").values_list(*FIELDS)[:BATCH]
        )
        if not batch:
            break
        links = []
        for pk, at, actor_id, action, object_type, object_id, record_id, before, after, reason in (
            batch
        ):
            shared = SharedContent.of(
                at=at,
                actor_id=actor_id,
                action=action,
                object_type=object_type,
                before=canonical_json(before),
                after=canonical_json(after),
                reason=reason,
            )
            hash_ = shared.hash(
                event_id=pk, object_id=object_id, record_id=record_id, prev_hash=prev
            )
            links.append((pk, prev, hash_))
            prev = hash_
        _write_links(schema_editor.connection, links)
        last_id = batch[-1][0]
    AuditChainHead.objects.create(pk=1, last_id=last_id, last_hash=prev)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("kernel", "0001_audit_and_outbox_from_records")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="previous hash"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_id", models.BigIntegerField(default=0)),
                ("last_hash", models.CharField(blank=True, max_length=64)),
            ],
            options={"verbose_name": "audit chain head"},
        ),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]

"""Company-name candidates by look-up keys, the same on both databases (issue 17): the key
table and its queue, triggers on records_operator that queue an operator when it is inserted or
renamed, the keys of the operators already there, and the trigram index of 0002 dropped (it
served the three-character LIKE pieces that PostgreSQL alone used)."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION licensing_operator_name_queue() RETURNS trigger AS $$
    BEGIN
        INSERT INTO licensing_operatornamequeue (operator_id) VALUES (NEW.id);
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER licensing_operator_named AFTER INSERT OR UPDATE OF name ON records_operator "
    "FOR EACH ROW EXECUTE FUNCTION licensing_operator_name_queue()",
    "DROP INDEX IF EXISTS lic_operator_name_trgm",
    # Filled in one go: without statistics the planner takes the key look-up for a scan of
    # millions of rows until autovacuum comes by.
    "ANALYZE licensing_operatornamekey",
]
PG_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS lic_operator_name_trgm ON records_operator "
    "USING gin (name_key gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS licensing_operator_named ON records_operator",
    "DROP FUNCTION IF EXISTS licensing_operator_name_queue()",
]
# SQLite drops a table's triggers when Django rebuilds it (most AlterField/AddField): a later
# records migration that rebuilds records_operator must create these again
# (tests/test_licensing_name_keys.py fails if they are missing).
SQLITE_FORWARD = [
    "CREATE TRIGGER IF NOT EXISTS licensing_operator_added AFTER INSERT ON records_operator "
    "BEGIN INSERT INTO licensing_operatornamequeue (operator_id) VALUES (NEW.id); END",
    "CREATE TRIGGER IF NOT EXISTS licensing_operator_renamed AFTER UPDATE OF name "
    "ON records_operator "
    "BEGIN INSERT INTO licensing_operatornamequeue (operator_id) VALUES (NEW.id); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS licensing_operator_added",
    "DROP TRIGGER IF EXISTS licensing_operator_renamed",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def fill_keys(apps, schema_editor):
    from licensing.name_keys import stored_keys

    operator_model = apps.get_model("records", "Operator")
    key_model = apps.get_model("licensing", "OperatorNameKey")
    batch = []
    for pk, name in operator_model.objects.order_by("pk").values_list("pk", "name").iterator(
        chunk_size=BATCH
    ):
        batch.extend(key_model(operator_id=pk, key=key) for key in sorted(stored_keys(name)))
        if len(batch) >= BATCH:
            key_model.objects.bulk_create(batch, batch_size=BATCH)
            batch = []
    key_model.objects.bulk_create(batch, batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('licensing', '0006_queue_unfinished_batch_parts'),
    ]

    operations = [
        migrations.CreateModel(
            name='OperatorNameQueue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('operator_id', models.BigIntegerField()),
            ],
        ),
        migrations.CreateModel(
            name='OperatorNameKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=80)),
                ('operator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='records.operator')),
            ],
            options={
                'indexes': [models.Index(fields=['key', 'operator'], name='lic_name_key_lookup')],
            },
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]

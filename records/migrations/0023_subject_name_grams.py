"""Two-character searches of the operator and practitioner lists (张伟) are too short for the
trigram indexes of 0020: without help every search read all 100,000 practitioners of a
national register. Subjects get the records' column of single characters and pairs (0005),
kept by the subject services, with a full-text index on PostgreSQL."""

from django.db import migrations, models

from kernel.names import short_grams

BATCH = 2000
GRAMS_INDEXES = {
    "operator_name_grams_idx": "records_operator",
    "practitioner_name_grams_idx": "records_practitioner",
}


def fill_grams(apps, schema_editor):
    for model_name in ("Operator", "Practitioner"):
        model = apps.get_model("records", model_name)
        batch = []
        for subject in model.objects.only("id", "name_key").iterator(chunk_size=BATCH):
            subject.name_grams = short_grams(subject.name_key)
            batch.append(subject)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, ["name_grams"])
                batch = []
        model.objects.bulk_update(batch, ["name_grams"])


def add_grams_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in GRAMS_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (to_tsvector('simple'::regconfig, name_grams))"
        )


def drop_grams_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in GRAMS_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0022_audit_event_scopes_backfill"),
    ]

    operations = [
        # The columns are added in place (ALTER TABLE … ADD COLUMN), not through Django's
        # SQLite table rebuild, which would drop the triggers licensing 0007 keeps on
        # records_operator (the queue of operators whose name keys are due).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name=model_name,
                    name="name_grams",
                    field=models.TextField(blank=True, editable=False),
                )
                for model_name in ("operator", "practitioner")
            ],
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE {table} ADD COLUMN name_grams text NOT NULL DEFAULT ''",
                    f"ALTER TABLE {table} DROP COLUMN name_grams",
                )
                for table in ("records_operator", "records_practitioner")
            ],
        ),
        migrations.RunPython(fill_grams, migrations.RunPython.noop),
        migrations.RunPython(add_grams_indexes, drop_grams_indexes),
    ]

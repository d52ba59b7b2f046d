"""Database guards and indexes for the licence-review lookup.

- Applicant checks are never changed: a trigger refuses UPDATE (both databases) and DELETE
  (PostgreSQL; SQLite's test flush deletes rows, and nothing in the portal deletes them).
- PostgreSQL: pg_trgm and a GIN trigram index on operator name keys, which serves the
  `name_key LIKE '%西湖国%'` look-ups of licensing/candidates.py (three characters at least:
  shorter patterns cannot use a trigram index). pg_trgm is a trusted extension, so the
  database owner may create it.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS lic_operator_name_trgm ON records_operator "
    "USING gin (name_key gin_trgm_ops)",
    """CREATE OR REPLACE FUNCTION licensing_check_immutable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'applicant checks are kept unchanged';
    END;
    $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER licensing_check_no_update BEFORE UPDATE OR DELETE ON "
    "licensing_applicantcheck FOR EACH ROW EXECUTE FUNCTION licensing_check_immutable()",
    "CREATE TRIGGER licensing_conclusion_no_update BEFORE UPDATE OR DELETE ON "
    "licensing_checkconclusion FOR EACH ROW EXECUTE FUNCTION licensing_check_immutable()",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS licensing_conclusion_no_update ON licensing_checkconclusion",
    "DROP TRIGGER IF EXISTS licensing_check_no_update ON licensing_applicantcheck",
    "DROP FUNCTION IF EXISTS licensing_check_immutable()",
    "DROP INDEX IF EXISTS lic_operator_name_trgm",
]
SQLITE_FORWARD = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, 'applicant checks are kept unchanged'); END"""
    for table in ("licensing_applicantcheck", "licensing_checkconclusion")
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_no_update"
    for table in ("licensing_applicantcheck", "licensing_checkconclusion")
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("licensing", "0001_applicant_checks"), ("records", "0002_create_roles")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]

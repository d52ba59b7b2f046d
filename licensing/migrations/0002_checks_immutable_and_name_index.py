"""Database guards and indexes for the licence-review lookup.

- Applicant checks are never changed: a trigger refuses UPDATE (both databases) and DELETE
  (PostgreSQL; SQLite's test flush deletes rows, and nothing in the portal deletes them).
- PostgreSQL: pg_trgm and a GIN trigram index on the *character pairs* of operator names
  (`lic_name_pairs`), used by licensing/candidates.py for company-name candidates. Trigrams
  of Chinese text are too strict (one changed character spoils three of them); writing the
  name as space-separated pairs makes pg_trgm compare pairs. pg_trgm is a trusted
  extension, so the database owner may create it.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    r"""CREATE OR REPLACE FUNCTION lic_name_pairs(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
      SELECT coalesce(string_agg(substr(core, i, 2), ' ' ORDER BY i), '')
      FROM (
        SELECT regexp_replace(
          regexp_replace(name, '[][(){}（）【】〔〕《》·.,，、''"“”\s-]', '', 'g'),
          '(股份有限公司|有限责任公司|有限公司|集团|公司)+$', ''
        ) AS core
      ) AS stripped,
      generate_series(1, greatest(char_length(core) - 1, 1)) AS i
    $$""",
    "CREATE INDEX IF NOT EXISTS lic_operator_name_pairs ON records_operator "
    "USING gin (lic_name_pairs(name_key) gin_trgm_ops)",
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
    "DROP INDEX IF EXISTS lic_operator_name_pairs",
    "DROP FUNCTION IF EXISTS lic_name_pairs(text)",
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

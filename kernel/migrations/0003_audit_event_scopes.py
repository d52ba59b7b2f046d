"""Audit events get their visibility scopes (the record's filing bureau path and the actor's
bureau path), and the audit list's indexes. The existing events are filled in by records'
migration 0022 (the kernel knows nothing of bureaus). The indexes are not left to a later
kernel migration after that one: a kernel migration depending on a late records migration
would pull records' migrations ahead of publication's when a database is migrated from
before the kernel existed (see NOTES.md, records 0008).

SQLite rebuilds the table to add or remove a column and drops its triggers with it: they are
created again here, as 0002 made them, after the columns are added (and after they are
removed, when migrating back)."""

import importlib

from django.conf import settings
from django.db import migrations, models

chain = importlib.import_module("kernel.migrations.0002_audit_hash_chain")


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in chain.SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("kernel", "0002_audit_hash_chain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, triggers_again),
        migrations.AddField(
            model_name="auditevent",
            name="actor_scope",
            field=models.CharField(
                blank=True, default="", max_length=64, verbose_name="actor scope"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="record_scope",
            field=models.CharField(
                blank=True, default="", max_length=64, verbose_name="record scope"
            ),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["record_scope"],
                name="audit_record_scope_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["actor_scope"],
                name="audit_actor_scope_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["-at", "-id"],
                include=("record_scope", "actor_scope", "action"),
                name="audit_list_order_idx",
            ),
        ),
    ]

# The audit trail and the job outbox move to the kernel app (kernel/0001). Before they go,
# the audit event's link to its record becomes a plain id: the kernel knows nothing of
# records, and the event must outlive a deleted draft. The column keeps its name and values.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0005_short_name_grams"),
    ]

    operations = [
        # Drop the foreign-key constraint, keep the column and its index.
        migrations.AlterField(
            model_name="auditevent",
            name="record",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="records.badrecord",
                verbose_name="record",
            ),
        ),
        # The same column, seen as a plain integer from now on.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="auditevent", name="record"),
                migrations.AddField(
                    model_name="auditevent",
                    name="record_id",
                    field=models.BigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="record"
                    ),
                ),
            ],
        ),
    ]

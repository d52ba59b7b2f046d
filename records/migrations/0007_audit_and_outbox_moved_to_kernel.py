# The audit trail and the job outbox now belong to the kernel app, which renamed their tables
# (kernel/0001). Here they leave the records app's state only; nothing happens in the database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0006_audit_record_plain_id"),
        ("kernel", "0001_audit_and_outbox_from_records"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="auditevent", name="actor"),
                migrations.DeleteModel(name="OutboxJob"),
                migrations.DeleteModel(name="AuditEvent"),
            ],
        ),
    ]

"""Batch parts used to be found by the worker polling their table; now each part is run by
its outbox job. Parts waiting (or cut short) when this runs get their job here, so that no
batch uploaded before the change is left unfinished."""

from django.db import migrations
from django.utils import timezone


def queue(apps, schema_editor):
    part_model = apps.get_model("licensing", "CheckBatchPart")
    job_model = apps.get_model("kernel", "OutboxJob")
    now = timezone.now()
    job_model.objects.bulk_create(
        job_model(name="licensing_batch_part", payload={"part_id": pk}, available_at=now)
        for pk in part_model.objects.filter(status__in=["pending", "running"])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kernel", "0001_audit_and_outbox_from_records"),
        ("licensing", "0005_batch_parts_are_outbox_jobs"),
    ]

    operations = [migrations.RunPython(queue, migrations.RunPython.noop)]

"""Decision e-mails used to be Celery messages sent on commit, and a daily catch-up re-queued
those lost to a broker outage. They are outbox jobs now and the catch-up is gone: decisions
whose e-mail has not left yet get their job here, so none is forgotten by the change."""

from django.db import migrations
from django.utils import timezone


def queue(apps, schema_editor):
    request_model = apps.get_model("archive", "ArchiveRequest")
    job_model = apps.get_model("kernel", "OutboxJob")
    now = timezone.now()
    unsent = (
        request_model.objects.exclude(status="submitted")
        .filter(decision_emailed_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    job_model.objects.bulk_create(
        job_model(name="archive_decision_email", payload={"archive_request_id": pk}, available_at=now)
        for pk in unsent
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kernel", "0001_audit_and_outbox_from_records"),
        ("archive", "0002_proof_is_a_private_file"),
    ]

    operations = [migrations.RunPython(queue, migrations.RunPython.noop)]

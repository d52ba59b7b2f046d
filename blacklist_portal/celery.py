import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blacklist_portal.settings")

app = Celery("blacklist_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _declare_beat_schedule(sender: Celery, **kwargs: object) -> None:
    # The beat schedule is declared once, here, with readable keys.
    from django.conf import settings

    sender.conf.beat_schedule = {
        "drain-job-outbox": {
            "task": "records.tasks.outbox_drain",
            "schedule": float(settings.OUTBOX_DRAIN_SECONDS),
        },
        "run-licensing-check-batches": {
            "task": "licensing.tasks.batches_run",
            "schedule": float(settings.LICENSING_BATCH_POLL_SECONDS),
        },
    }

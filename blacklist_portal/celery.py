import os

from celery import Celery
from celery.signals import beat_init

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
        "sweep-disclosures": {
            "task": "publication.tasks.disclosures_sweep",
            "schedule": settings.DISCLOSURE_SWEEP_SCHEDULE,
        },
    }


@beat_init.connect
def _sweep_disclosures_at_start(sender: object, **kwargs: object) -> None:
    # A beat that was down catches up at once instead of at the next scheduled minute. Only
    # beat does this (one per deployment), and the sweep is safe to run twice anyway.
    app.send_task("publication.tasks.disclosures_sweep")

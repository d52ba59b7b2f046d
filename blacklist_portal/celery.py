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
    from celery.schedules import crontab
    from django.conf import settings

    sender.conf.beat_schedule = {
        # Every background job (e-mails, licensing batch parts) is an outbox row run here.
        "drain-job-outbox": {
            "task": "kernel.tasks.outbox_drain",
            "schedule": float(settings.OUTBOX_DRAIN_SECONDS),
            # While drains are busy with a backlog, the ticks that could not start in time
            # are dropped instead of piling up in front of the other periodic tasks.
            "options": {"expires": float(settings.OUTBOX_DRAIN_SECONDS)},
        },
        "sweep-disclosures": {
            "task": "records.tasks.disclosures_sweep",
            "schedule": settings.DISCLOSURE_SWEEP_SCHEDULE,
        },
        # Credit archive (SPEC §6): remind archive reviewers of requests near their deadline,
        # then queue each bureau's overdue list.
        "remind-archive-reviewers": {
            "task": "archive.tasks.archive_reminders",
            "schedule": crontab(hour=settings.ARCHIVE_REMINDER_HOUR, minute=0),
        },
        "list-overdue-archive-requests": {
            "task": "archive.tasks.archive_overdue_digest",
            "schedule": crontab(hour=settings.ARCHIVE_REMINDER_HOUR, minute=5),
        },
        # Leads (SPEC §8): remind the handling bureaus of leads near their first-answer
        # deadline, then queue each bureau's overdue list.
        "remind-lead-handlers": {
            "task": "supervision.tasks.leads_remind",
            "schedule": crontab(hour=settings.LEAD_REMINDER_HOUR, minute=15),
        },
        "list-overdue-leads": {
            "task": "supervision.tasks.leads_overdue_digest",
            "schedule": crontab(hour=settings.LEAD_REMINDER_HOUR, minute=20),
        },
        # Subject's rights: remind reviewers of objections and repair applications near
        # their deadline, then queue each bureau's overdue list.
        "remind-reviewers-of-objections-and-repairs": {
            "task": "rights.tasks.rights_reminders",
            "schedule": crontab(hour=settings.RIGHTS_REMINDER_HOUR, minute=15),
        },
        "list-overdue-objections-and-repairs": {
            "task": "rights.tasks.rights_overdue_digest",
            "schedule": crontab(hour=settings.RIGHTS_REMINDER_HOUR, minute=20),
        },
        # Working-day calendar (SPEC §3): from 1 November, one e-mail to the national
        # administrators while next year has no approved calendar (the service sends it once).
        "remind-national-admins-of-next-years-calendar": {
            "task": "workdays.tasks.calendar_reminder",
            "schedule": crontab(hour=settings.CALENDAR_REMINDER_HOUR, minute=10),
        },
    }


@beat_init.connect
def _sweep_disclosures_at_start(sender: object, **kwargs: object) -> None:
    # A beat that was down catches up at once instead of at the next scheduled minute. Only
    # beat does this (one per deployment), and the sweep is safe to run twice anyway.
    app.send_task("records.tasks.disclosures_sweep")

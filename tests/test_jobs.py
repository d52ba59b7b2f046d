"""Background jobs go through the outbox: a request only writes a row; the worker's drain
runs it. A dead broker therefore never slows or fails a request, and no job is lost."""

import datetime
import re
import threading
import time

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from kernel import jobs
from kernel.models import OutboxJob
from records.models import RecordStatus
from records.services import bad_records as services
from tests import factories
from tests.conftest import client_for

MONDAY = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def draft(fang):
    return factories.record(filer=fang)


def test_submitting_with_the_broker_down_answers_at_once_and_keeps_the_job(
    settings, fang, rui, draft
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    started = time.monotonic()
    response = client_for(fang).post(f"/admin/records/badrecord/{draft.pk}/transition/submit/")
    assert time.monotonic() - started < 2
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RecordStatus.SUBMITTED
    assert OutboxJob.objects.filter(status="pending").count() == 1


def test_the_drain_mails_the_bureaus_reviewers_but_not_the_filer(fang, rui, filer_reviewer, draft):
    with time_machine.travel(MONDAY, tick=False):
        services.record_submit(record=draft, by=fang)
    assert jobs.outbox_drain() == 1
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([rui.email, filer_reviewer.email])
    assert draft.reference in mail.outbox[0].subject
    assert OutboxJob.objects.get().status == OutboxJob.Status.DONE


def test_a_drain_run_twice_sends_nothing_twice(fang, rui, draft):
    services.record_submit(record=draft, by=fang)
    jobs.outbox_drain()
    assert jobs.outbox_drain() == 0
    assert len(mail.outbox) == 1


def test_a_record_reviewed_before_the_job_runs_needs_no_mail(fang, rui, draft):
    services.record_submit(record=draft, by=fang)
    services.record_return(record=draft, by=rui, comment="补充")
    jobs.outbox_drain()
    assert mail.outbox == []


@pytest.fixture
def handlers(monkeypatch):
    """The registry, restored after the test; jobs registered here are the test's own."""
    monkeypatch.setattr(jobs, "_HANDLERS", dict(jobs._HANDLERS))
    return jobs._HANDLERS


def test_a_failing_job_is_retried_later_and_given_up_after_the_limit(
    settings, fang, rui, draft, handlers
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    services.record_submit(record=draft, by=fang)
    given_up = []

    def broken(**kwargs):
        raise ConnectionError("SMTP server unreachable")

    jobs.job_register(
        "notify_reviewers_of_submission",
        broken,
        on_give_up=lambda reason, **payload: given_up.append((reason, payload)),
    )
    assert jobs.outbox_drain() == 0
    job = OutboxJob.objects.get()
    assert (job.status, job.attempts) == ("pending", 1)
    assert "SMTP server unreachable" in job.last_error
    assert job.available_at > timezone.now() + datetime.timedelta(seconds=30)  # back-off
    assert jobs.outbox_drain() == 0  # not due yet: it waits before the retry
    assert given_up == []
    with time_machine.travel(job.available_at + datetime.timedelta(seconds=1)):
        jobs.outbox_drain()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("dead", 2)
    assert job.last_error == "ConnectionError: SMTP server unreachable"
    assert given_up == [(job.last_error, {"record_id": draft.pk})]
    with time_machine.travel(job.available_at + datetime.timedelta(days=1)):
        assert jobs.outbox_drain() == 0  # given up for good
    assert mail.outbox == []


def test_one_failing_job_does_not_stop_the_others(db, handlers):
    ran = []

    def picky(*, n):
        if n == 2:
            raise ValueError("not this one")
        ran.append(n)

    jobs.job_register("test_picky", picky)
    for n in range(5):
        jobs.job_enqueue(name="test_picky", payload={"n": n})
    assert jobs.outbox_drain() == 4
    assert ran == [0, 1, 3, 4]
    assert OutboxJob.objects.get(status="pending").payload == {"n": 2}


def test_a_job_whose_handler_is_unknown_is_marked_dead_with_the_reason(db, handlers):
    ran = []
    jobs.job_register("test_known", lambda **payload: ran.append(payload))
    # Queued by a release that had the job, drained by one that no longer has it.
    OutboxJob.objects.create(name="retired_job", payload={}, available_at=timezone.now())
    jobs.job_enqueue(name="test_known", payload={"n": 1})
    assert jobs.outbox_drain() == 1
    assert ran == [{"n": 1}]
    retired = OutboxJob.objects.get(name="retired_job")
    assert retired.status == "dead"
    assert retired.last_error == "Unknown job 'retired_job': no handler is registered for it."


def test_a_job_whose_worker_stopped_on_every_attempt_is_given_up(settings, db, handlers):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    given_up = []
    jobs.job_register(
        "test_crashing", lambda **payload: None, on_give_up=lambda **kw: given_up.append(kw)
    )
    job = jobs.job_enqueue(name="test_crashing", payload={"n": 7})
    # Three claims that ran out: each worker died (say, killed for memory) while running it.
    OutboxJob.objects.filter(pk=job.pk).update(
        status="running", attempts=3, available_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert jobs.outbox_drain() == 0
    job.refresh_from_db()
    assert job.status == "dead"
    assert "Gave up after 3 attempts; the last one did not finish" in job.last_error
    assert given_up == [{"reason": job.last_error, "n": 7}]


def test_a_failing_give_up_hook_leaves_the_job_dead_and_is_logged(settings, db, handlers, caplog):
    settings.OUTBOX_MAX_ATTEMPTS = 1

    def broken(**payload):
        raise ValueError("handler broken")

    def hook_broken(**kwargs):
        raise ValueError("hook broken")

    jobs.job_register("test_broken", broken, on_give_up=hook_broken)
    jobs.job_enqueue(name="test_broken", payload={})
    assert jobs.outbox_drain() == 0
    job = OutboxJob.objects.get()
    assert (job.status, job.last_error) == ("dead", "ValueError: handler broken")
    assert "give-up hook of job test_broken" in caplog.text and "hook broken" in caplog.text


def test_a_long_backlog_is_worked_through_in_one_drain(db, handlers):
    ran = []
    jobs.job_register("test_count", lambda *, n: ran.append(n))
    OutboxJob.objects.bulk_create(
        OutboxJob(name="test_count", payload={"n": n}, available_at=timezone.now())
        for n in range(250)
    )
    assert jobs.outbox_drain() == 250
    assert sorted(ran) == list(range(250))


def test_a_drain_whose_time_is_up_leaves_the_rest_to_the_next(db, handlers):
    jobs.job_register("test_count", lambda *, n: None)
    for n in range(3):
        jobs.job_enqueue(name="test_count", payload={"n": n})
    assert jobs.outbox_drain(seconds=0) == 0
    assert OutboxJob.objects.filter(status="pending").count() == 3
    assert jobs.outbox_drain() == 3


def test_a_job_error_never_keeps_an_identity_number(db, handlers, caplog):
    def leaky(**payload):
        raise ValueError("no subject for 11010119900307888X")

    jobs.job_register("test_leaky", leaky)
    jobs.job_enqueue(name="test_leaky", payload={})
    jobs.outbox_drain()
    job = OutboxJob.objects.get()
    assert job.last_error == "ValueError: no subject for 110101********888X"
    assert "11010119900307888X" not in caplog.text


def test_a_job_claimed_by_one_drain_is_not_run_by_another(fang, rui, draft):
    services.record_submit(record=draft, by=fang)
    job = OutboxJob.objects.get()
    now = job.available_at
    assert jobs._claim(job.pk, 0, now) == 1
    assert jobs._claim(job.pk, 0, now) is None
    assert jobs.outbox_drain() == 0  # its claim has not run out


def test_unknown_jobs_are_refused_when_queued(db):
    with pytest.raises(ValueError):
        jobs.job_enqueue(name="no_such_job", payload={})


def test_the_beat_schedule_has_readable_keys_and_every_task_exists(db):
    from blacklist_portal.celery import app

    app.loader.import_default_modules()  # what a worker does at start: finds every task
    app.finalize()
    schedule = app.conf.beat_schedule
    assert "drain-job-outbox" in schedule
    for key, entry in schedule.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", key), key
        assert entry["task"] in app.tasks, key
    # Batch parts and e-mails are outbox jobs: no entry of its own polls for them.
    assert {entry["task"] for entry in schedule.values()} == {
        "kernel.tasks.outbox_drain",
        "records.tasks.disclosures_sweep",
        "archive.tasks.archive_reminders",
        "archive.tasks.archive_overdue_digest",
        "rights.tasks.rights_reminders",
        "rights.tasks.rights_overdue_digest",
        "workdays.tasks.calendar_reminder",
        "supervision.tasks.leads_remind",
        "supervision.tasks.leads_overdue_digest",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_drains_at_once_run_each_job_once(handlers):
    ran = []
    lock = threading.Lock()

    def slow(*, n):
        time.sleep(0.005)  # long enough for the two drains to meet on the same rows
        with lock:
            ran.append(n)

    jobs.job_register("test_slow", slow)
    OutboxJob.objects.bulk_create(
        OutboxJob(name="test_slow", payload={"n": n}, available_at=timezone.now())
        for n in range(60)
    )
    finished = []

    def drain():
        try:
            finished.append(jobs.outbox_drain())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ran) == list(range(60))
    assert sum(finished) == 60
    assert OutboxJob.objects.filter(status="done").count() == 60

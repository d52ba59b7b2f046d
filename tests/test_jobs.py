"""Background jobs go through the outbox: a request only writes a row; the worker's drain
runs it. A dead broker therefore never slows or fails a request, and no job is lost."""

import datetime
import time

import pytest
import time_machine
from django.core import mail

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


def test_a_failing_job_is_retried_later_and_given_up_after_the_limit(
    settings, fang, rui, draft, monkeypatch
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    services.record_submit(record=draft, by=fang)

    def broken(**kwargs):
        raise ConnectionError("SMTP server unreachable")

    monkeypatch.setitem(jobs._HANDLERS, "notify_reviewers_of_submission", broken)
    assert jobs.outbox_drain() == 0
    job = OutboxJob.objects.get()
    assert (job.status, job.attempts) == ("pending", 1)
    assert "SMTP server unreachable" in job.last_error
    assert jobs.outbox_drain() == 0  # not due yet: it waits before the retry
    with time_machine.travel(job.available_at + datetime.timedelta(seconds=1)):
        jobs.outbox_drain()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("dead", 2)


def test_a_job_claimed_by_one_drain_is_not_run_by_another(fang, rui, draft):
    services.record_submit(record=draft, by=fang)
    job = OutboxJob.objects.get()
    now = job.available_at
    assert jobs._claim(job.pk, now) is True
    assert jobs._claim(job.pk, now) is False


def test_unknown_jobs_are_refused_when_queued(db):
    with pytest.raises(ValueError):
        jobs.job_enqueue(name="no_such_job", payload={})

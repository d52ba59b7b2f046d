"""E-mails of the credit archive: the requester's e-mail at each decision (an outbox job that
retries and re-checks), reminders before the deadline and the overdue list (Celery beat
queues them; the outbox drain sends them)."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from archive import tasks
from archive.models import ArchiveRequest, RequestStatus
from archive.services import archive_request_decide
from kernel.jobs import outbox_drain
from kernel.models import OutboxJob
from tests.archive_helpers import at, file_request
from tests.conftest import client_for

FILED = datetime.date(2026, 6, 1)  # deadline 2026-06-23


@pytest.fixture
def filed(pan, bureaus):
    with time_machine.travel(at(FILED), tick=False):
        return file_request(pan, name="某旅行社", identifier="L-ZJ-CJ00077", bureau=bureaus["xihu"])


def test_the_reviewer_approves_in_the_admin_and_the_requester_is_emailed(filed, archivist, pan):
    client = client_for(archivist)
    url = f"/admin/archive/archiverequest/{filed.pk}/decide/"
    response = client.post(url, {"decision": "approve", "reasons": "提供了购物合同"})
    assert response.status_code == 302
    assert mail.outbox == []  # the worker sends it, not the request
    assert outbox_drain() == 1
    filed.refresh_from_db()
    assert filed.status == RequestStatus.APPROVED and filed.decided_by == archivist
    assert [m.to for m in mail.outbox] == [["pan@example.org"]]
    body = mail.outbox[0].body
    assert filed.reference in mail.outbox[0].subject
    assert "提供了购物合同" in body
    assert f"/accounts/login/?next=/archive/requests/{filed.pk}/records/" in body
    assert filed.decision_emailed_at is not None
    # Decided once: the page now sends the reviewer back to the request.
    assert client.get(url).status_code == 302


def test_a_refusal_is_emailed_with_its_reasons_and_grants_nothing(filed, archivist, pan):
    archive_request_decide(
        archive_request=filed, by=archivist, approve=False, reasons="未能证明利害关系"
    )
    outbox_drain()
    assert "未能证明利害关系" in mail.outbox[0].body
    assert client_for(pan).get(f"/archive/requests/{filed.pk}/records/").status_code == 404


def test_a_decision_needs_reasons_and_is_taken_only_once(filed, archivist):
    response = client_for(archivist).post(
        f"/admin/archive/archiverequest/{filed.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 200 and "reasons" in response.context["form"].errors
    archive_request_decide(archive_request=filed, by=archivist, approve=True, reasons="ok")
    with pytest.raises(ValidationError) as error:
        archive_request_decide(archive_request=filed, by=archivist, approve=False, reasons="no")
    assert error.value.code == "decided"
    filed.refresh_from_db()
    assert filed.status == RequestStatus.APPROVED


def test_only_archive_reviewers_with_jurisdiction_decide(filed, bureaus, rui, bei, su):
    from django.core.exceptions import PermissionDenied

    from records.roles import Role
    from tests.conftest import make_user

    beijing_archivist = make_user("bj_archive", bureaus["dongcheng"], Role.ARCHIVE_REVIEWER)
    city_archivist = make_user("hz_archive", bureaus["hangzhou"], Role.ARCHIVE_REVIEWER)
    for outsider in (rui, bei, su, beijing_archivist):
        with pytest.raises(PermissionDenied):
            archive_request_decide(archive_request=filed, by=outsider, approve=True, reasons="x")
    decided = archive_request_decide(
        archive_request=filed, by=city_archivist, approve=True, reasons="上级局决定"
    )
    assert decided.status == RequestStatus.APPROVED


def _flaky_mail_server(failures: int):
    """The locmem backend, failing its first `failures` sends like a mail server that is down."""
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(backend, messages):
        calls["n"] += 1
        if calls["n"] <= failures:
            raise smtplib.SMTPServerDisconnected("try later")
        return real_send(backend, messages)

    return mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", flaky)


def test_the_decision_email_is_retried_when_the_mail_server_fails(filed, archivist):
    archive_request_decide(archive_request=filed, by=archivist, approve=True, reasons="ok")
    with _flaky_mail_server(failures=1):
        assert outbox_drain() == 0
        job = OutboxJob.objects.get(name="archive_decision_email")
        assert job.status == "pending" and "try later" in job.last_error
        with time_machine.travel(job.available_at + datetime.timedelta(seconds=1)):
            assert outbox_drain() == 1
    assert [m.to for m in mail.outbox] == [["pan@example.org"]]
    filed.refresh_from_db()
    assert filed.decision_emailed_at is not None


def test_a_decision_email_the_mail_server_keeps_refusing_is_given_up_with_its_reason(
    filed, archivist, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    archive_request_decide(archive_request=filed, by=archivist, approve=True, reasons="ok")
    job = OutboxJob.objects.get(name="archive_decision_email")
    with _flaky_mail_server(failures=99):
        for _attempt in range(3):
            job.refresh_from_db()
            with time_machine.travel(job.available_at + datetime.timedelta(seconds=1)):
                outbox_drain()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("dead", 3)
    assert job.last_error == "SMTPServerDisconnected: try later"
    assert mail.outbox == []
    filed.refresh_from_db()
    assert filed.decision_emailed_at is None  # not sent, and not claimed to be


def test_the_decision_email_rechecks_the_state_and_never_sends_twice(filed, archivist):
    from archive import mail as archive_mail

    assert archive_mail.decision_email_send(archive_request_id=filed.pk) is False  # undecided
    archive_request_decide(archive_request=filed, by=archivist, approve=True, reasons="ok")
    archive_mail.queue_decision_email(archive_request_id=filed.pk)  # queued twice
    assert outbox_drain() == 2
    assert len(mail.outbox) == 1


def test_reviewers_are_reminded_once_before_the_deadline(filed, archivist, bei, su):
    # Deadline 2026-06-23; three working days before it is 2026-06-17 (06-19 is a holiday).
    with time_machine.travel(at(datetime.date(2026, 6, 16)), tick=False):
        assert tasks.archive_reminders() == 0
    with time_machine.travel(at(datetime.date(2026, 6, 17)), tick=False):
        assert tasks.archive_reminders() == 1
        assert tasks.archive_reminders() == 0
        assert outbox_drain() == 1
    assert [m.to for m in mail.outbox] == [["archivist@example.org"]]
    assert "2026-06-23" in mail.outbox[0].subject


def test_overdue_requests_are_listed_for_the_reviewers_of_their_bureau(
    filed, archivist, bureaus, pan
):
    with time_machine.travel(at(datetime.date(2026, 6, 23)), tick=False):
        assert tasks.archive_overdue_digest() == 0
    with time_machine.travel(at(datetime.date(2026, 6, 24)), tick=False):
        assert tasks.archive_overdue_digest() == 1
        assert mail.outbox == []  # the beat task only queues it
        assert outbox_drain() == 1
        listed = client_for(archivist).get("/admin/archive/archiverequest/?deadline=overdue")
    assert [m.to for m in mail.outbox] == [["archivist@example.org"]]
    assert filed.reference in mail.outbox[0].body
    assert listed.context["cl"].result_count == 1
    assert ArchiveRequest.objects.overdue(on=datetime.date(2026, 6, 24)).get() == filed


def test_the_beat_schedule_runs_the_archive_reminders_and_overdue_list(db):
    from blacklist_portal.celery import app

    app.finalize()
    schedule = app.conf.beat_schedule
    assert schedule["remind-archive-reviewers"]["task"] == tasks.archive_reminders.name
    assert schedule["list-overdue-archive-requests"]["task"] == tasks.archive_overdue_digest.name
    assert "drain-job-outbox" in schedule


def test_emails_never_carry_a_full_identity_number(pan, bureaus, archivist, db):
    """The overdue list and the decision e-mail name the subject, never its number."""
    from archive.models import IdentifierKind
    from tests import factories

    number = factories.identity_number(88)
    with time_machine.travel(at(FILED), tick=False):
        item = file_request(
            pan,
            name="李导游",
            identifier=number,
            bureau=bureaus["xihu"],
            identifier_kind=IdentifierKind.IDENTITY_NUMBER,
        )
    with time_machine.travel(at(datetime.date(2026, 6, 24)), tick=False):
        tasks.archive_overdue_digest()
        outbox_drain()
        archive_request_decide(archive_request=item, by=archivist, approve=True, reasons="ok")
        outbox_drain()
    assert len(mail.outbox) == 2
    assert all(number not in m.body and number not in m.subject for m in mail.outbox)

"""E-mails of the credit archive: the requester's e-mail at each decision (a Celery task that
retries and re-checks), reminders before the deadline and the overdue list (Celery beat)."""

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
from tests.archive_helpers import at, eager_celery, file_request  # noqa: F401 - fixture
from tests.conftest import client_for

pytestmark = pytest.mark.usefixtures("eager_celery")

FILED = datetime.date(2026, 6, 1)  # deadline 2026-06-23


@pytest.fixture
def filed(pan, bureaus):
    with time_machine.travel(at(FILED), tick=False):
        return file_request(pan, name="某旅行社", identifier="L-ZJ-CJ00077", bureau=bureaus["xihu"])


def test_the_reviewer_approves_in_the_admin_and_the_requester_is_emailed(
    filed, archivist, pan, django_capture_on_commit_callbacks
):
    client = client_for(archivist)
    url = f"/admin/archive/archiverequest/{filed.pk}/decide/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "reasons": "提供了购物合同"})
    assert response.status_code == 302
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


def test_a_refusal_is_emailed_with_its_reasons_and_grants_nothing(
    filed, archivist, pan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        archive_request_decide(
            archive_request=filed, by=archivist, approve=False, reasons="未能证明利害关系"
        )
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


def test_the_decision_email_is_retried_when_the_mail_server_fails(filed, archivist):
    archive_request_decide(archive_request=filed, by=archivist, approve=True, reasons="ok")
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(backend, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("try later")
        return real_send(backend, messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", flaky):
        # throw=False: let Celery handle the retry as a worker would (here, at once).
        tasks.send_decision_email.apply(args=[filed.pk], throw=False)
    assert calls["n"] == 2
    assert len(mail.outbox) == 1


def test_the_decision_task_rechecks_the_state_and_never_sends_twice(filed, archivist):
    tasks.send_decision_email.apply(args=[filed.pk])
    assert mail.outbox == []  # not decided yet
    archive_request_decide(archive_request=filed, by=archivist, approve=True, reasons="ok")
    tasks.send_decision_email.apply(args=[filed.pk])
    tasks.send_decision_email.apply(args=[filed.pk])
    assert len(mail.outbox) == 1


def test_a_decision_email_lost_to_a_broker_outage_goes_out_with_the_next_beat(
    filed, archivist, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(FILED, 11), tick=False):
        # No on-commit capture: the queued task never ran, as if the broker were down.
        archive_request_decide(archive_request=filed, by=archivist, approve=True, reasons="ok")
    assert mail.outbox == []
    with (
        time_machine.travel(at(FILED, 12), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.archive_reminders.apply()
    assert [m.to for m in mail.outbox] == [["pan@example.org"]]


def test_reviewers_are_reminded_once_before_the_deadline(
    filed, archivist, bei, su, django_capture_on_commit_callbacks
):
    # Deadline 2026-06-23; three working days before it is 2026-06-17 (06-19 is a holiday).
    with time_machine.travel(at(datetime.date(2026, 6, 16)), tick=False):
        assert tasks.archive_reminders.apply().get() == 0
    with (
        time_machine.travel(at(datetime.date(2026, 6, 17)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.archive_reminders.apply().get() == 1
        assert tasks.archive_reminders.apply().get() == 0
    assert [m.to for m in mail.outbox] == [["archivist@example.org"]]
    assert "2026-06-23" in mail.outbox[0].subject


def test_overdue_requests_are_listed_for_the_reviewers_of_their_bureau(
    filed, archivist, bureaus, pan
):
    with time_machine.travel(at(datetime.date(2026, 6, 23)), tick=False):
        assert tasks.archive_overdue_digest.apply().get() == 0
    with time_machine.travel(at(datetime.date(2026, 6, 24)), tick=False):
        assert tasks.archive_overdue_digest.apply().get() == 1
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
        tasks.archive_overdue_digest.apply()
        archive_request_decide(archive_request=item, by=archivist, approve=True, reasons="ok")
        tasks.send_decision_email.apply(args=[item.pk])
    assert len(mail.outbox) == 2
    assert all(number not in m.body and number not in m.subject for m in mail.outbox)

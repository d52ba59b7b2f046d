"""Two reviewers clicking at the same moment: the row lock lets exactly one transition win."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from kernel.models import AuditEvent
from records.models import RecordStatus
from records.roles import Role
from records.services import bad_records as services
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_reviewers_publishing_at_once_publish_the_record_exactly_once(bureaus, fang):
    reviewers = [make_user(f"r{i}", bureaus["xihu"], Role.REVIEWER) for i in range(2)]
    record = factories.record(filer=fang, status=RecordStatus.SUBMITTED)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish(reviewer):
        barrier.wait()
        try:
            # The factory's record is past its deadline today: a late publication needs a reason.
            services.record_publish(record=record, by=reviewer, late_reason="复核后公布")
            outcomes.append("published")
        except PermissionDenied:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(r,)) for r in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["published", "refused"]
    assert AuditEvent.objects.filter(record_id=record.pk, action="record_publish").count() == 1

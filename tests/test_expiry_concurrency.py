"""Two sweeps at once on PostgreSQL (two beats after a fail-over, or beat and a hand-run
command): the conditional UPDATE's row locks let each record be archived once, with one
audit event."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction

from kernel.models import AuditEvent
from records.models import BadRecord, RecordStatus
from records.services.expiry import disclosures_sweep
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

TODAY = datetime.date(2026, 6, 11)


@pytest.fixture
def due(fang):
    """Forty ended records and ten scheduled records whose day has come."""
    ended = [
        factories.record(
            filer=fang,
            status=RecordStatus.PUBLISHED,
            basis_date=datetime.date(2024, 5, 1),
            public_from=datetime.date(2024, 5, 10),
            public_until=TODAY - datetime.timedelta(days=1 + n % 10),
        )
        for n in range(40)
    ]
    starting = [
        factories.record(
            filer=fang,
            status=RecordStatus.SCHEDULED,
            basis_date=datetime.date(2026, 6, 1),
            public_from=TODAY - datetime.timedelta(days=n % 3),
        )
        for n in range(10)
    ]
    return ended, starting


def assert_moved_once(ended, starting) -> None:
    assert not BadRecord.objects.filter(pk__in=[r.pk for r in ended]).exclude(
        status=RecordStatus.ARCHIVED
    )
    assert not BadRecord.objects.filter(pk__in=[r.pk for r in starting]).exclude(
        status=RecordStatus.PUBLISHED
    )
    for record in ended:
        assert AuditEvent.objects.filter(record_id=record.pk, action="record_archive").count() == 1
    for record in starting:
        assert AuditEvent.objects.filter(record_id=record.pk, action="record_start").count() == 1
    assert AuditEvent.objects.count() == len(ended) + len(starting)


def test_two_sweeps_started_together_move_each_record_exactly_once(due):
    ended, starting = due
    barrier = threading.Barrier(2)
    results = []
    errors = []

    def sweep():
        try:
            barrier.wait()
            results.append(disclosures_sweep(today=TODAY))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r.archived for r in results) == len(ended)
    assert sum(r.started for r in results) == len(starting)
    assert_moved_once(ended, starting)


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_sweep_that_starts_while_another_holds_the_rows_waits_then_finds_nothing(due):
    """The interleaving a barrier only makes likely, forced: the first sweep has updated the
    rows but not committed when the second one's UPDATE reaches them."""
    ended, starting = due
    first_updated = threading.Event()
    release_first = threading.Event()
    results: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = disclosures_sweep(today=TODAY)
                first_updated.set()
                release_first.wait(timeout=30)
        finally:
            connections.close_all()

    def second():
        try:
            first_updated.wait(timeout=30)
            results["second"] = disclosures_sweep(today=TODAY)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while not _waiting_on_a_lock():
        assert time.monotonic() < deadline, "the second sweep never waited for the first"
        time.sleep(0.05)
    assert "second" not in results  # blocked on the first sweep's row locks
    release_first.set()
    for thread in threads:
        thread.join(timeout=60)
    assert (results["first"].started, results["first"].archived) == (10, 40)
    assert (results["second"].started, results["second"].archived) == (0, 0)
    assert_moved_once(ended, starting)

"""The audit trail is an append-only hash chain (issue 9): the database refuses changes, and
`manage.py verify_audit_chain` names the first event that was changed, deleted or moved."""

import contextlib
import datetime
import hashlib
import importlib
import io
import json
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from kernel.audit import AuditStep, audit_log, audit_log_bulk, audit_log_steps
from kernel.audit_chain import SharedContent, audit_chain_verify, canonical_json
from kernel.models import AuditChainHead, AuditEvent
from records.models import RecordStatus
from records.services import bad_records as services
from records.services.expiry import disclosures_sweep
from tests import factories
from tests.test_record_lifecycle import MONDAY, draft_data


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_audit_chain", *args, stdout=out)
    return out.getvalue()


def broken(*args: str) -> str:
    with pytest.raises(CommandError) as error:
        verify(*args)
    return str(error.value)


@contextlib.contextmanager
def tamperer():
    """A cursor with the append-only triggers lifted, as someone with the database owner's
    rights could do; they are back when the block ends (and the test's transaction rolls
    everything back anyway)."""
    migration = importlib.import_module("kernel.migrations.0002_audit_hash_chain")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Replication mode fires no ordinary trigger (a superuser's switch).
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield cursor
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            for statement in migration.SQLITE_BACKWARD:
                cursor.execute(statement)
            yield cursor
            for statement in migration.SQLITE_FORWARD:
                cursor.execute(statement)


@pytest.fixture
def history(fang, rui, bureaus):
    """A record filed, returned, corrected, submitted again and published by Fang and her
    reviewer Rui: six events of the record, after the accounts' own."""
    agency = factories.operator(region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司")
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_create(by=fang, data=draft_data(agency))
        record = services.record_submit(record=record, by=fang)
        record = services.record_return(record=record, by=rui, comment="处罚决定书编号有误")
        record = services.record_update(
            record=record, by=fang, data=draft_data(agency, basis_number="杭西文旅罚〔2026〕8号")
        )
        record = services.record_submit(record=record, by=fang)
        record = services.record_publish(record=record, by=rui)
    return record


def record_events(record) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_record(record).order_by("id"))


def test_the_events_of_a_records_lifecycle_form_an_intact_chain(history):
    events = record_events(history)
    assert [e.action for e in events] == [
        "record_create",
        "record_submit",
        "record_return",
        "record_update",
        "record_submit",
        "record_publish",
    ]
    chain = list(AuditEvent.objects.order_by("id"))
    assert chain[0].prev_hash == ""
    assert all(
        later.prev_hash == earlier.hash for earlier, later in zip(chain, chain[1:], strict=False)
    )
    assert all(len(event.hash) == 64 for event in chain)
    assert verify() == f"{len(chain)} events checked, chain intact.\n"


def test_an_empty_trail_is_an_intact_chain(db):
    assert verify() == "0 events checked, chain intact.\n"


def test_an_event_hashes_its_canonical_json_and_the_previous_hash():
    """The writer builds the hashed text from pieces; it is exactly the sorted-key JSON of
    the event, odd characters included, so anyone can recompute a hash from a database dump."""
    at = datetime.datetime(
        2026, 3, 2, 10, 0, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )
    content = {
        "id": 7,
        "at": "2026-03-02T02:00:00.000005+00:00",
        "actor_id": None,
        "action": "record_update",
        "object_type": "badrecord",
        "object_id": "12",
        "record_id": 12,
        "before": {"cause": '强迫"购物"\n', "n": [1, 2.5, None]},
        "after": {"cause": "\\ 已改 \u2028"},
        "reason": "‘quoted’ \t reason",
        "prev_hash": "ab" * 32,
    }
    shared = SharedContent.of(
        at=at,
        actor_id=None,
        action="record_update",
        object_type="badrecord",
        before=canonical_json(content["before"]),
        after=canonical_json(content["after"]),
        reason=content["reason"],
    )
    expected = hashlib.sha256(
        json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert shared.hash(event_id=7, object_id="12", record_id=12, prev_hash="ab" * 32) == expected


def test_an_edited_event_is_named_with_its_id(history):
    submit = record_events(history)[1]
    with tamperer() as cursor:
        cursor.execute(
            "UPDATE kernel_auditevent SET reason = %s WHERE id = %s", ["nothing to see", submit.pk]
        )
    message = broken()
    assert f"Event #{submit.pk} does not match its hash: its content was changed." in message


def test_a_changed_time_is_a_changed_event(history):
    publish = record_events(history)[-1]
    with tamperer() as cursor:
        cursor.execute(
            "UPDATE kernel_auditevent SET at = %s WHERE id = %s",
            [
                connection.ops.adapt_datetimefield_value(MONDAY - datetime.timedelta(days=9)),
                publish.pk,
            ],
        )
    assert f"Event #{publish.pk} does not match its hash" in broken()


def test_a_deleted_event_is_named_by_the_event_after_it(history):
    events = record_events(history)
    with tamperer() as cursor:
        cursor.execute("DELETE FROM kernel_auditevent WHERE id = %s", [events[2].pk])
    assert (
        f"Event #{events[3].pk} does not follow event #{events[1].pk}: an event between them "
        "was deleted, or events were reordered." in broken()
    )


def test_deleting_the_last_events_is_seen_by_the_chain_head(history):
    last = record_events(history)[-1]
    with tamperer() as cursor:
        cursor.execute("DELETE FROM kernel_auditevent WHERE id = %s", [last.pk])
    assert (
        f"The chain ends at event #{last.pk - 1}, but its head names event #{last.pk}" in broken()
    )


def test_swapped_events_are_seen_as_reordered(history):
    """Two events exchange their whole content, hashes included."""
    first, second = record_events(history)[1:3]
    columns = ["action", "reason", "before", "after", "prev_hash", "hash"]
    with tamperer() as cursor:
        for event, other in ((first, second), (second, first)):
            cursor.execute(
                f"UPDATE kernel_auditevent SET {', '.join(f'{c} = %s' for c in columns)} "
                "WHERE id = %s",
                [
                    *(
                        json.dumps(getattr(other, c))
                        if c in ("before", "after")
                        else getattr(other, c)
                        for c in columns
                    ),
                    event.pk,
                ],
            )
    assert f"Event #{first.pk} does not follow event #{first.pk - 1}" in broken()


@pytest.mark.parametrize(
    "change",
    [
        lambda e: AuditEvent.objects.filter(pk=e.pk).update(reason="edited"),
        lambda e: AuditEvent.objects.filter(pk=e.pk).delete(),
        lambda e: e.delete(),
        lambda e: connection.cursor().execute(
            "UPDATE kernel_auditevent SET hash = '' WHERE id = %s", [e.pk]
        ),
        lambda e: connection.cursor().execute("DELETE FROM kernel_auditevent"),
    ],
    ids=["orm-update", "orm-delete", "instance-delete", "sql-update", "sql-delete-all"],
)
def test_the_database_refuses_to_change_or_delete_an_audit_event(history, change):
    event = record_events(history)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change(event)
    assert verify().endswith("chain intact.\n")


def test_the_chain_head_cannot_be_moved_back(history):
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
        AuditChainHead.objects.update(last_id=1)


def test_the_sweeps_events_are_links_of_the_chain(fang):
    today = datetime.date(2026, 6, 11)
    ended = [
        factories.record(
            filer=fang,
            status=RecordStatus.PUBLISHED,
            basis_date=datetime.date(2024, 5, 1),
            public_from=datetime.date(2024, 5, 10),
            public_until=today - datetime.timedelta(days=1 + n),
        )
        for n in range(5)
    ]
    starting = factories.record(
        filer=fang,
        status=RecordStatus.SCHEDULED,
        basis_date=datetime.date(2026, 6, 1),
        public_from=today,
    )
    audit_log(actor=fang, action="record_note", obj=starting)
    with time_machine.travel(datetime.datetime(2026, 6, 11, 1, 0, tzinfo=datetime.UTC)):
        counts = disclosures_sweep(today=today)
    assert (counts.started, counts.archived) == (1, 5)
    swept = list(AuditEvent.objects.filter(action__in=["record_start", "record_archive"]))
    assert {e.record_id for e in swept} == {r.pk for r in [starting, *ended]}
    assert verify() == f"{AuditEvent.objects.count()} events checked, chain intact.\n"


def test_a_bulk_write_continues_the_chain_of_single_events(fang):
    record = factories.record(filer=fang, status=RecordStatus.PUBLISHED)
    audit_log(actor=fang, action="record_note", obj=record)
    written = audit_log_bulk(
        actor=fang,
        action="record_read",
        object_type="badrecord",
        object_ids=[record.pk, record.pk],
        record_ids=[record.pk, record.pk],
        after={"seen": "twice"},
    )
    audit_log(actor=fang, action="record_note", obj=record)
    assert written == 2
    assert verify().endswith("chain intact.\n")


def test_steps_written_at_once_are_the_events_written_one_by_one(fang):
    """audit_log_steps writes several events about one object in one write (a record filed
    and submitted at once): each is a link of the chain with its own action and values."""
    record = factories.record(filer=fang, status=RecordStatus.PUBLISHED)
    first = audit_log(actor=fang, action="record_note", obj=record)
    events = audit_log_steps(
        actor=fang,
        obj=record,
        steps=[
            AuditStep(action="record_create", after={"status": "draft"}),
            AuditStep(
                action="record_submit",
                before={"status": "draft"},
                after={"status": "submitted"},
                reason="two at once",
            ),
        ],
    )
    last = audit_log(actor=fang, action="record_note", obj=record)
    stored = list(AuditEvent.objects.filter(pk__gt=first.pk).order_by("id"))
    assert [(e.pk, e.action, e.before, e.after, e.reason) for e in stored] == [
        (first.pk + 1, "record_create", {}, {"status": "draft"}, ""),
        (
            first.pk + 2,
            "record_submit",
            {"status": "draft"},
            {"status": "submitted"},
            "two at once",
        ),
        (last.pk, "record_note", {}, {}, ""),
    ]
    assert [(e.pk, e.hash, e.prev_hash) for e in events] == [
        (e.pk, e.hash, e.prev_hash) for e in stored[:2]
    ]
    assert stored[0].prev_hash == first.hash
    assert stored[1].prev_hash == stored[0].hash
    assert {e.record_scope for e in stored} == {record.filing_bureau.path}
    assert verify().endswith("chain intact.\n")


def test_an_event_after_a_rolled_back_savepoint_follows_the_last_kept_event(fang):
    """Within one transaction the writer follows the link it wrote last without reading the
    head again; a savepoint rolled back takes events back, and the next event must follow
    the last one kept, not the one taken back."""
    record = factories.record(filer=fang, status=RecordStatus.PUBLISHED)
    with transaction.atomic():
        kept = audit_log(actor=fang, action="record_note", obj=record)
        with contextlib.suppress(RuntimeError), transaction.atomic():
            audit_log(actor=fang, action="record_note", obj=record, reason="taken back")
            raise RuntimeError
        after = audit_log(actor=fang, action="record_note", obj=record)
    assert after.pk == kept.pk + 1
    assert after.prev_hash == kept.hash
    assert not AuditEvent.objects.filter(reason="taken back").exists()
    assert AuditChainHead.objects.get().last_id == after.pk
    assert verify().endswith("chain intact.\n")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second writer needs PostgreSQL")
def test_a_writer_whose_last_transaction_rolled_back_follows_another_writers_events(fang):
    """A transaction rolled back after writing leaves the writer remembering a link that is
    gone; meanwhile another connection writes. The next event follows the other's."""
    record = factories.record(filer=fang, status=RecordStatus.PUBLISHED)
    with contextlib.suppress(RuntimeError), transaction.atomic():
        audit_log(actor=fang, action="record_note", obj=record, reason="rolled back")
        raise RuntimeError

    def other_writer() -> None:
        try:
            audit_log(actor=None, action="record_note", obj=record, reason="other")
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_writer)
    thread.start()
    thread.join()
    other = AuditEvent.objects.get(reason="other")
    mine = audit_log(actor=fang, action="record_note", obj=record, reason="mine")
    assert (mine.pk, mine.prev_hash) == (other.pk + 1, other.hash)
    assert not AuditEvent.objects.filter(reason="rolled back").exists()
    assert audit_chain_verify().intact


def test_a_range_of_days_is_checked_from_its_first_events_stored_link(fang):
    record = factories.record(filer=fang, status=RecordStatus.PUBLISHED)
    events = {}
    for day in (1, 2, 3):
        with time_machine.travel(datetime.datetime(2026, 3, day, 2, 0, tzinfo=datetime.UTC)):
            events[day] = audit_log(actor=fang, action="record_note", obj=record)
    assert verify("--from", "2026-03-02", "--to", "2026-03-03") == (
        "2 events checked, chain intact.\n"
    )
    with tamperer() as cursor:
        cursor.execute("UPDATE kernel_auditevent SET reason = 'x' WHERE id = %s", [events[1].pk])
    # The day that was changed is outside the range; the whole chain is not.
    assert verify("--from", "2026-03-02").startswith("2 events checked")
    assert f"Event #{events[1].pk} does not match its hash" in broken("--to", "2026-03-01")
    assert f"Event #{events[1].pk}" in broken()


def test_the_command_refuses_a_range_that_ends_before_it_starts(db):
    assert "--from" in broken("--from", "2026-03-02", "--to", "2026-03-01")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_writers_appending_at_the_same_moment_do_not_fork_the_chain(fang):
    record = factories.record(filer=fang, status=RecordStatus.PUBLISHED)
    barrier = threading.Barrier(3)
    errors = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                if i % 5 == 0:
                    audit_log_bulk(
                        actor=None,
                        action="record_read",
                        object_type="badrecord",
                        object_ids=[record.pk] * 3,
                    )
                else:
                    with transaction.atomic():
                        audit_log(actor=fang, action=f"writer_{n}", obj=record)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 3 * (12 + 3 * 3)
    assert len(set(AuditEvent.objects.values_list("prev_hash", flat=True))) == 63
    assert audit_chain_verify().intact


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_existing_events_exactly_as_the_writer_does(history):
    """Events written before the chain existed are linked by migration 0002 in id order; on
    events the writer linked itself, the migration's hashes are the writer's."""
    written = list(AuditEvent.objects.order_by("id").values_list("id", "prev_hash", "hash"))
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([("kernel", "0001_audit_and_outbox_from_records")])
        executor = MigrationExecutor(connection)
        executor.migrate([("kernel", "0002_audit_hash_chain")])
        assert list(AuditEvent.objects.order_by("id").values_list("id", "prev_hash", "hash")) == (
            written
        )
        assert AuditChainHead.objects.get().last_id == written[-1][0]
        assert verify() == f"{len(written)} events checked, chain intact.\n"
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.update(reason="")
    finally:
        # Back to the newest schema (kernel 0003 and later add columns the next tests write).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

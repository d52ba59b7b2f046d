"""The one audit writer. Every audit event goes through `audit_log` (one event) or
`audit_log_bulk` (one event per object of a set-based change, in one INSERT); both append to
the hash chain of `kernel.audit_chain`.

Appends are serialised so that the chain never forks (two events naming the same
predecessor). The writer locks the one `AuditChainHead` row, reads the last link from it,
numbers the new events after it, inserts them and moves the head on; the lock is held until
the caller's transaction ends, so the next writer reads the head only once this one's events
are committed (or rolled back, when the head is unchanged too):
- PostgreSQL: SELECT … FOR UPDATE on the head row. Under READ COMMITTED a writer that waited
  reads the head as the previous writer committed it.
- SQLite: the settings begin every transaction with BEGIN IMMEDIATE, so a transaction holds
  the database's single write lock before it reads the head; nobody else can append.
Event ids are the chain positions, given by the writer, not taken from the table's sequence
(a sequence value is drawn before the lock is taken, so ids would not follow the chain).

Hold the lock briefly: write the audit event as the last change of a service's transaction.
A transaction that waits for row locks after writing its event can deadlock with one that
holds those rows and waits to write its own (PostgreSQL then aborts one of them).
"""

import datetime
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, models, transaction
from django.utils import timezone

from kernel.audit_chain import CHAIN_HEAD_ID, SharedContent, canonical_json
from kernel.models import AuditChainHead, AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def changed_fields(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keys whose values differ, as (before, after) JSON-ready dicts."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return (
        {k: _jsonable(before.get(k)) for k in keys},
        {k: _jsonable(after.get(k)) for k in keys},
    )


# The visibility scopes of new events (AuditEvent.record_scope, actor_scope): given the actor
# (a user, or None for the system) and the events' record ids, the actor's scope and one
# record scope per event. The records layer registers the answer in its AppConfig.ready;
# without it (the kernel alone) every scope is empty. An object whose record scope is at hand
# offers it as `audit_record_scope` (a str; None when it would take a query), and the
# resolver is then asked for the actor's scope only.
ScopesResolver = Callable[[Any, Sequence[int | None]], tuple[str, list[str]]]
_scopes_resolver: list[ScopesResolver] = []


def audit_scopes_register(resolver: ScopesResolver) -> None:
    _scopes_resolver[:] = [resolver]


def _scopes(actor: Any, record_ids: Sequence[int | None]) -> tuple[str, list[str]]:
    if not _scopes_resolver:
        return "", [""] * len(record_ids)
    actor_scope, record_scopes = _scopes_resolver[0](actor, record_ids)
    if len(record_scopes) != len(record_ids):
        raise ValueError("the scopes resolver must answer one scope per record id")
    return actor_scope, record_scopes


def _object_scopes(actor: Any, obj: models.Model, record_id: int | None) -> tuple[str, list[str]]:
    known = getattr(obj, "audit_record_scope", None) if record_id is not None else ""
    if isinstance(known, str):
        actor_scope, _ = _scopes(actor, [])
        return actor_scope, [known]
    return _scopes(actor, [record_id])


def _values(values: dict[str, Any] | None) -> str:
    return canonical_json({k: _jsonable(v) for k, v in (values or {}).items()})


@dataclass(frozen=True)
class AuditStep:
    """One event of `audit_log_steps`: what happened to the object, with the fields changed."""

    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str = ""


@dataclass(frozen=True)
class _Part:
    """Events that share everything but their object: written together, in order."""

    action: str
    before: str  # canonical JSON
    after: str
    reason: str
    object_ids: list[str]
    record_ids: list[int | None]
    record_scopes: list[str]


def audit_log(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event about `obj`."""
    step = AuditStep(action=action, before=before, after=after, reason=reason)
    return audit_log_steps(actor=actor, obj=obj, steps=[step])[0]


def audit_log_steps(
    *, actor: AbstractBaseUser | None, obj: models.Model, steps: Sequence[AuditStep]
) -> list[AuditEvent]:
    """Append one event per step about `obj`, in that order, in one write: a service that
    takes an object through several steps at once (a record filed and submitted in one go)
    writes the same events as the steps one by one, with one time."""
    object_id = str(obj.pk)
    record_id = getattr(obj, "audit_record_id", None)
    # Looked up before the writer's lock is taken, so that the lock is held briefly.
    actor_scope, record_scopes = _object_scopes(actor, obj, record_id)
    parts = [
        _Part(
            action=step.action,
            before=_values(step.before),
            after=_values(step.after),
            reason=step.reason,
            object_ids=[object_id],
            record_ids=[record_id],
            record_scopes=record_scopes,
        )
        for step in steps
    ]
    actor_id = getattr(actor, "pk", None)
    object_type = obj._meta.model_name or ""
    with transaction.atomic(savepoint=False):
        at, first_id, prev_hash, hashes = _append(
            actor_id=actor_id,
            object_type=object_type,
            actor_scope=actor_scope,
            parts=parts,
            at=None,
        )
    events = []
    for offset, part in enumerate(parts):
        event = AuditEvent(
            id=first_id + offset,
            at=at,
            actor_id=actor_id,
            action=part.action,
            object_type=object_type,
            object_id=object_id,
            record_id=record_id,
            before=json.loads(part.before),
            after=json.loads(part.after),
            reason=part.reason,
            prev_hash=hashes[offset - 1] if offset else prev_hash,
            hash=hashes[offset],
            record_scope=record_scopes[0],
            actor_scope=actor_scope,
        )
        event._state.adding = False
        event._state.db = connection.alias
        events.append(event)
    return events


def audit_log_bulk(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    object_type: str,
    object_ids: Sequence[int],
    record_ids: Sequence[int | None] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    at: datetime.datetime | None = None,
) -> int:
    """Append one event per id in `object_ids` (in that order), all sharing the other fields,
    with one INSERT: the set-based path for sweeps and other changes of many rows.
    `record_ids` gives each event's bad record (default: none). Returns the number written."""
    if not object_ids:
        return 0
    if record_ids is not None and len(record_ids) != len(object_ids):
        raise ValueError("record_ids must pair with object_ids")
    records: list[int | None] = (
        list(record_ids) if record_ids is not None else [None] * len(object_ids)
    )
    actor_scope, record_scopes = _scopes(actor, records)
    part = _Part(
        action=action,
        before=_values(before),
        after=_values(after),
        reason=reason,
        object_ids=[str(pk) for pk in object_ids],
        record_ids=records,
        record_scopes=record_scopes,
    )
    with transaction.atomic(savepoint=False):
        _append(
            actor_id=getattr(actor, "pk", None),
            object_type=object_type,
            actor_scope=actor_scope,
            parts=[part],
            at=at,
        )
    return len(object_ids)


def _lock_head() -> tuple[int, str]:
    """Lock the chain head and return the last link (id, hash)."""
    head = AuditChainHead._meta
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT {_quoted(head, 'last_id')}, {_quoted(head, 'last_hash')} "  # noqa: S608 - names from _meta
        f"FROM {connection.ops.quote_name(head.db_table)} WHERE {_quoted(head, 'id')} = %s{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [CHAIN_HEAD_ID])
        row = cursor.fetchone()
        if row is None:
            # No head yet (a new database, or a test emptied the tables): start it at the
            # last event. Two first writers at once both insert; the second is ignored.
            last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first() or (0, "")
            AuditChainHead.objects.bulk_create(
                [AuditChainHead(pk=CHAIN_HEAD_ID, last_id=last[0], last_hash=last[1])],
                ignore_conflicts=True,
            )
            cursor.execute(sql, [CHAIN_HEAD_ID])
            row = cursor.fetchone()
    return row[0], row[1]


# PostgreSQL: the last link this thread's transaction wrote. The transaction holds the head's
# row lock until it ends, so its next event follows that link without reading the head again
# (a confirmation of 10,000 spreadsheet rows writes 30,000 events). The write checks the link
# anyway, in the same statement (the head must still name it: a rolled-back savepoint takes
# events back, another transaction may have written since), and on a mismatch nothing is
# written and the writer locks and reads the head as usual.
_held = threading.local()


def _forget_held_link() -> None:
    _held.link = None


def _append(
    *,
    actor_id: int | None,
    object_type: str,
    actor_scope: str,
    parts: list[_Part],
    at: datetime.datetime | None,
) -> tuple[datetime.datetime, int, str, list[str]]:
    """Hash, insert, move the head. Returns the time, the first id, the hash the first event
    follows, and the events' hashes."""

    def write(last: tuple[int, str]) -> tuple[datetime.datetime, int, str, list[str]] | None:
        return _write(
            last,
            at or timezone.now(),
            actor_id=actor_id,
            object_type=object_type,
            actor_scope=actor_scope,
            parts=parts,
        )

    held = getattr(_held, "link", None) if connection.vendor == "postgresql" else None
    if held is not None:
        written = write(held)
        if written is not None:
            _held.link = (written[1] + len(written[3]) - 1, written[3][-1])
            return written
    # The time is taken after the lock, so that times follow the chain (unless the caller
    # names one).
    written = write(_lock_head())
    if written is None:  # pragma: no cover - the head is locked: it cannot have moved
        raise RuntimeError("the audit chain head moved while locked")
    if connection.vendor == "postgresql":
        transaction.on_commit(_forget_held_link)
        _held.link = (written[1] + len(written[3]) - 1, written[3][-1])
    return written


def _write(
    last: tuple[int, str],
    at: datetime.datetime,
    *,
    actor_id: int | None,
    object_type: str,
    actor_scope: str,
    parts: list[_Part],
) -> tuple[datetime.datetime, int, str, list[str]] | None:
    """The events after the link `last`, or None (nothing written) if the head no longer
    names that link."""
    last_id, last_hash = last
    hashes: list[str] = []
    prev = last_hash
    for part in parts:
        shared = SharedContent.of(
            at=at,
            actor_id=actor_id,
            action=part.action,
            object_type=object_type,
            before=part.before,
            after=part.after,
            reason=part.reason,
        )
        for object_id, record_id in zip(part.object_ids, part.record_ids, strict=True):
            prev = shared.hash(
                event_id=last_id + 1 + len(hashes),
                object_id=object_id,
                record_id=record_id,
                prev_hash=prev,
            )
            hashes.append(prev)
    insert = _insert_postgresql if connection.vendor == "postgresql" else _insert_sqlite
    written = insert(
        first_id=last_id + 1,
        prev_hash=last_hash,
        at=at,
        actor_id=actor_id,
        object_type=object_type,
        actor_scope=actor_scope,
        parts=parts,
        hashes=hashes,
    )
    if not written:
        return None
    if connection.vendor != "postgresql":
        # (On PostgreSQL the insert moves the head in the same statement.)
        AuditChainHead.objects.filter(pk=CHAIN_HEAD_ID).update(
            last_id=last_id + len(hashes), last_hash=hashes[-1]
        )
    return at, last_id + 1, last_hash, hashes


_COLUMNS = (
    "id",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "record_id",
    "before",
    "after",
    "reason",
    "prev_hash",
    "hash",
    "actor_scope",
    "record_scope",
)


def _quoted(meta: Any, name: str) -> str:
    return connection.ops.quote_name(_column(name, meta.model))


def _column(name: str, model: type[models.Model] = AuditEvent) -> str:
    """The database column of one of the model's concrete fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field.column


# PostgreSQL: the per-event values travel as arrays, the parts' shared values as arrays too,
# indexed by each event's part (the JSON is parsed once per part); each event's prev_hash is
# the hash of the row before it (lag), the first's the head's.
_POSTGRES_ROWS = """
    SELECT %(first_id)s + e.n - 1, %(at)s, %(actor)s, (CAST(%(actions)s AS text[]))[e.part],
        %(object_type)s, e.object_id, e.record_id, (CAST(%(befores)s AS jsonb[]))[e.part],
        (CAST(%(afters)s AS jsonb[]))[e.part], (CAST(%(reasons)s AS text[]))[e.part],
        lag(e.hash, 1, CAST(%(prev_hash)s AS text)) OVER (ORDER BY e.n), e.hash,
        %(actor_scope)s, e.record_scope
    FROM unnest(CAST(%(object_ids)s AS text[]), CAST(%(record_ids)s AS bigint[]),
        CAST(%(hashes)s AS text[]), CAST(%(record_scopes)s AS text[]), CAST(%(parts)s AS int[]))
        WITH ORDINALITY AS e(object_id, record_id, hash, record_scope, part, n)
"""
# SQLite: one statement per part (no round trip to save), its events one JSON text of
# quadruples.
_SQLITE_ROWS = """
    SELECT %(first_id)s + e.key, %(at)s, %(actor)s, %(action)s, %(object_type)s,
        json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), %(before)s, %(after)s,
        %(reason)s, lag(json_extract(e.value, '$[2]'), 1, %(prev_hash)s) OVER (ORDER BY e.key),
        json_extract(e.value, '$[2]'), %(actor_scope)s, json_extract(e.value, '$[3]')
    FROM json_each(%(rows)s) AS e
"""


def _insert_sqlite(
    *,
    first_id: int,
    prev_hash: str,
    at: datetime.datetime,
    actor_id: int | None,
    object_type: str,
    actor_scope: str,
    parts: list[_Part],
    hashes: list[str],
) -> bool:
    ops = connection.ops
    columns = ", ".join(ops.quote_name(_column(field)) for field in _COLUMNS)
    sql = f"INSERT INTO {ops.quote_name(AuditEvent._meta.db_table)} ({columns}) {_SQLITE_ROWS}"  # noqa: S608 - names from _meta
    offset = 0
    with connection.cursor() as cursor:
        for part in parts:
            count = len(part.object_ids)
            own = hashes[offset : offset + count]
            cursor.execute(
                sql,
                {
                    "first_id": first_id + offset,
                    "prev_hash": hashes[offset - 1] if offset else prev_hash,
                    "at": ops.adapt_datetimefield_value(at),
                    "actor": actor_id,
                    "action": part.action,
                    "object_type": object_type,
                    "before": part.before,
                    "after": part.after,
                    "reason": part.reason,
                    "actor_scope": actor_scope,
                    "rows": json.dumps(
                        list(
                            zip(
                                part.object_ids,
                                part.record_ids,
                                own,
                                part.record_scopes,
                                strict=True,
                            )
                        )
                    ),
                },
            )
            offset += count
    return True


def _insert_postgresql(
    *,
    first_id: int,
    prev_hash: str,
    at: datetime.datetime,
    actor_id: int | None,
    object_type: str,
    actor_scope: str,
    parts: list[_Part],
    hashes: list[str],
) -> bool:
    """Write the events only if the head still names the link they follow (`first_id` - 1,
    `prev_hash`), moving it on. Whether they were written."""
    ops = connection.ops
    columns = ", ".join(ops.quote_name(_column(field)) for field in _COLUMNS)
    insert = f"INSERT INTO {ops.quote_name(AuditEvent._meta.db_table)} ({columns})"
    params: dict[str, Any] = {
        "first_id": first_id,
        "prev_hash": prev_hash,
        "at": ops.adapt_datetimefield_value(at),
        "actor": actor_id,
        "object_type": object_type,
        "actor_scope": actor_scope,
        "actions": [part.action for part in parts],
        "befores": [part.before for part in parts],
        "afters": [part.after for part in parts],
        "reasons": [part.reason for part in parts],
        "object_ids": [pk for part in parts for pk in part.object_ids],
        "record_ids": [pk for part in parts for pk in part.record_ids],
        "record_scopes": [scope for part in parts for scope in part.record_scopes],
        "parts": [n for n, part in enumerate(parts, start=1) for _ in part.object_ids],
        "hashes": hashes,
        "head": CHAIN_HEAD_ID,
        "last_id": first_id + len(hashes) - 1,
        "last_hash": hashes[-1],
        "prev_id": first_id - 1,
        "table": AuditEvent._meta.db_table,
    }
    head = AuditChainHead._meta
    last_id, last_hash = _quoted(head, "last_id"), _quoted(head, "last_hash")
    # One round trip: the head moved on if it still names the link the events follow, the
    # events if it did, and the table's own id sequence kept ahead of the writer's ids (so
    # that nothing else ever meets an id taken: nothing should insert around the writer, but
    # a stale sequence would turn such a bug into a confusing duplicate-key error). Each
    # data-modifying WITH part runs exactly once; no row back means nothing was written.
    sql = (
        f"WITH moved AS (UPDATE {ops.quote_name(head.db_table)} "  # noqa: S608 - names from _meta
        f"SET {last_id} = %(last_id)s, {last_hash} = %(last_hash)s "
        f"WHERE {_quoted(head, 'id')} = %(head)s AND {last_id} = %(prev_id)s "
        f"AND {last_hash} = %(prev_hash)s RETURNING 1), "
        f"events AS ({insert} {_POSTGRES_ROWS} WHERE EXISTS (SELECT 1 FROM moved) RETURNING 1) "
        "SELECT setval(pg_get_serial_sequence(%(table)s, 'id'), %(last_id)s) FROM moved"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


# What staff read for an action code, in their language. Each app registers the labels of
# the actions it writes (in its AppConfig.ready), so the audit screens of a lower layer can
# name the actions of a higher one without importing it.
_ACTION_LABELS: dict[str, Any] = {}


def action_labels_register(labels: dict[str, Any]) -> None:
    _ACTION_LABELS.update(labels)


def action_codes() -> list[str]:
    """Every registered action code."""
    return list(_ACTION_LABELS)


def action_label(action: str) -> str:
    """The action's label in the active language; an unregistered code as it is."""
    label = _ACTION_LABELS.get(action)
    return str(label) if label is not None else action

"""The audit trail's hash chain: how an event is hashed, and the check of the whole chain.

An event's hash is SHA-256 over its canonical form: the JSON object of its fields
{id, at, actor_id, action, object_type, object_id, record_id, before, after, reason,
prev_hash} with sorted keys, no spaces, ASCII escapes, and `at` in UTC with microseconds.
`prev_hash` is the hash of the event before it in id order ("" for the first event), so
editing a field breaks the event's own hash, and deleting or reordering events breaks the
link of the event that follows. `AuditChainHead` holds the last link, so that events deleted
from the end of the chain are seen too.

The event's visibility scopes (`record_scope`, `actor_scope`) are outside the hash: they are
an index of who may read the event, derived from its record and its actor, not part of what
happened; changing one changes no reader's view of the facts, and the append-only triggers
refuse it anyway.
"""

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from kernel.models import AuditChainHead, AuditEvent

CHAIN_HEAD_ID = 1
_SCAN_BATCH = 2000


def canonical_json(value: Any) -> str:
    """The one JSON text of `value` that is hashed. The value goes through JSON once first,
    so that it hashes as it will read back from the database (tuples become lists, integer
    keys become strings)."""
    return json.dumps(json.loads(json.dumps(value)), sort_keys=True, separators=(",", ":"))


def _scalar(value: str | int | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return encode_basestring_ascii(value)


def _utc(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class SharedContent:
    """The fields a group of events written together share, serialised once: a sweep writes
    100,000 events that differ only in their ids. The pieces are those of `canonical_json`
    of the whole event (keys in sorted order), which `test_audit_chain` checks."""

    opening: str  # action, actor_id, after, at, before — up to the "id" key
    middle: str  # object_type, up to the "prev_hash" key
    closing: str  # reason, up to the "record_id" key

    @classmethod
    def of(
        cls,
        *,
        at: datetime.datetime,
        actor_id: int | None,
        action: str,
        object_type: str,
        before: str,
        after: str,
        reason: str,
    ) -> "SharedContent":
        """`before` and `after` are already in canonical JSON."""
        return cls(
            opening=(
                f'{{"action":{_scalar(action)},"actor_id":{_scalar(actor_id)},'
                f'"after":{after},"at":{_scalar(_utc(at))},"before":{before},"id":'
            ),
            middle=f',"object_type":{_scalar(object_type)},"prev_hash":',
            closing=f',"reason":{_scalar(reason)},"record_id":',
        )

    def hash(self, *, event_id: int, object_id: str, record_id: int | None, prev_hash: str) -> str:
        text = (
            f"{self.opening}{event_id},"
            f'"object_id":{_scalar(object_id)}{self.middle}{_scalar(prev_hash)}'
            f"{self.closing}{_scalar(record_id)}}}"
        )
        return hashlib.sha256(text.encode("ascii")).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The hash an event should carry, computed from its stored content."""
    shared = SharedContent.of(
        at=event.at,
        actor_id=event.actor_id,
        action=event.action,
        object_type=event.object_type,
        before=canonical_json(event.before),
        after=canonical_json(event.after),
        reason=event.reason,
    )
    return shared.hash(
        event_id=event.pk,
        object_id=event.object_id,
        record_id=event.record_id,
        prev_hash=event.prev_hash,
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # id of the first event found wrong
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _id_range(since: datetime.date | None, until: datetime.date | None) -> tuple[int, int] | None:
    """The ids of the first and last event written on the days asked, or None if there are
    none. The range is one of ids, not of times: the chain is in id order, and a range with
    a gap would report the gap as a broken link."""
    events = AuditEvent.objects.all()
    if since is not None:
        events = events.filter(at__gte=_day_start(since))
    if until is not None:
        events = events.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    bounds = events.aggregate(first=Min("id"), last=Max("id"))
    if bounds["first"] is None:
        return None
    return bounds["first"], bounds["last"]


def _events(first: int, last: int) -> Iterator[AuditEvent]:
    """Events in id order, read in batches by id so that a million rows never sit in
    memory (and the scan needs no server-side cursor). Only the columns the chain covers are
    read: the visibility scopes are derived from the record and the actor, not hashed."""
    after = first - 1
    while True:
        batch = list(
            AuditEvent.objects.filter(id__gt=after, id__lte=last)
            .order_by("id")
            .defer("record_scope", "actor_scope")[:_SCAN_BATCH]
        )
        yield from batch
        if len(batch) < _SCAN_BATCH:
            return
        after = batch[-1].pk


def audit_chain_verify(
    *, since: datetime.date | None = None, until: datetime.date | None = None
) -> ChainReport:
    """Check every event's hash and its link to the event before it, in id order, and stop
    at the first broken link. A range of days starts from the stored prev_hash of its first
    event; the whole chain starts from "" and must end where the chain head says."""
    whole = since is None and until is None
    bounds = _id_range(since, until)
    head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_ID).first()
    if bounds is None:
        if whole and head is not None and head.last_id:
            return ChainReport(
                0, head.last_id, f"No events, but the chain head names event #{head.last_id}."
            )
        return ChainReport(0)
    checked = 0
    expected_prev: str | None = "" if whole else None
    previous_id: int | None = None
    for event in _events(*bounds):
        if expected_prev is not None and event.prev_hash != expected_prev:
            after = f"event #{previous_id}" if previous_id else "the start of the chain"
            return ChainReport(
                checked,
                event.pk,
                f"Event #{event.pk} does not follow {after}: an event between them was "
                "deleted, or events were reordered.",
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                checked,
                event.pk,
                f"Event #{event.pk} does not match its hash: its content was changed.",
            )
        checked += 1
        expected_prev = event.hash
        previous_id = event.pk
    if whole and (head is None or (head.last_id, head.last_hash) != (previous_id, expected_prev)):
        named = f"event #{head.last_id}" if head is not None else "no event"
        return ChainReport(
            checked,
            previous_id,
            f"The chain ends at event #{previous_id}, but its head names {named}: "
            "events at the end were deleted, or the head was changed.",
        )
    return ChainReport(checked)

"""The expiry and scheduled-publication sweep (SPEC §3), run by Celery beat and by
`manage.py sweep_disclosures`.

Each move is one conditional UPDATE over the whole table (no Python loop over records) whose
RETURNING clause names exactly the rows this run changed; their audit events are then written
through the kernel's bulk audit writer, one INSERT per move. Because the UPDATE re-checks its
condition on every row it locks, a second sweep running at the same moment waits for the
first and then finds nothing left to move: each record is moved once and audited once. The
sweep works from dates, not from "what happened since the last run", so one run after any
downtime catches up.

Public pages do not depend on it: `BadRecord.objects.public()` hides an ended record by its
dates alone, so a record is never shown after its last public day even if beat is down.
"""

import datetime
import sqlite3
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log_bulk
from records.models import BadRecord, RecordStatus

ACTION_START = "record_start"
ACTION_ARCHIVE = "record_archive"
REASON_START = "First public day reached (scheduled publication)."
REASON_ARCHIVE = "Publication period ended (day after the last public day)."


@dataclass(frozen=True)
class SweepCounts:
    started: int
    archived: int


def _as_of(today: datetime.date | None, now: datetime.datetime) -> datetime.date:
    real_today = timezone.localdate(now)
    if today is None:
        return real_today
    if today > real_today:
        # Archiving "as of" a future day would hide records before their legal end.
        raise ValidationError({"today": _("The sweep cannot run as of a future day.")})
    return today


def _check_database() -> None:
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        raise ImproperlyConfigured("The expiry sweep needs SQLite 3.35 or later (RETURNING).")
    if connection.vendor not in ("sqlite", "postgresql"):
        raise ImproperlyConfigured("The expiry sweep supports PostgreSQL and SQLite only.")


def _column(model: type[models.Model], field: str) -> str:
    model_field = model._meta.get_field(field)
    if not isinstance(model_field, models.Field) or model_field.column is None:
        raise TypeError(f"{model.__name__}.{field} is not a column")
    return connection.ops.quote_name(model_field.column)


@dataclass(frozen=True)
class _Moved:
    """Records one statement moved, and the audit event each of them gets."""

    ids: list[int]
    action: str
    reason: str
    before: dict[str, str]
    after: dict[str, str]
    at: datetime.datetime


def _move(
    *,
    from_status: str,
    to_status: str,
    condition: str,
    today: datetime.date,
    now: datetime.datetime,
    action: str,
    reason: str,
) -> _Moved:
    """Move every record in `from_status` meeting `condition` (SQL over public_from,
    public_until and the parameter %(today)s) to `to_status`. Returns what moved, for
    `_audit`."""
    _check_database()
    ops = connection.ops
    record_table = ops.quote_name(BadRecord._meta.db_table)
    at = ops.adapt_datetimefield_value(now)
    archiving = to_status == RecordStatus.ARCHIVED
    assignments = [f"{_column(BadRecord, 'status')} = %(to_status)s"]
    assignments.append(f"{_column(BadRecord, 'updated_at')} = %(at)s")
    if archiving:
        assignments.append(f"{_column(BadRecord, 'archived_at')} = %(at)s")
    where = condition.format(
        public_from=_column(BadRecord, "public_from"),
        public_until=_column(BadRecord, "public_until"),
    )
    params = {
        "to_status": to_status,
        "from_status": from_status,
        "at": at,
        "today": ops.adapt_datefield_value(today),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {record_table} SET {', '.join(assignments)} "  # noqa: S608 - names from _meta
            f"WHERE {_column(BadRecord, 'status')} = %(from_status)s AND {where} "
            f"RETURNING {_column(BadRecord, 'id')}",
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    return _Moved(
        ids=ids,
        action=action,
        reason=reason,
        before={"status": from_status},
        after={"status": to_status, **({"archived_at": now.isoformat()} if archiving else {})},
        at=now,
    )


def _audit(moves: list[_Moved]) -> int:
    """One audit event per moved record, one INSERT per move, through the kernel's bulk
    writer. Written after every UPDATE of the run: the writer's chain lock is then the last
    lock the sweep takes, so it never waits for a record's row lock while holding it (a
    reviewer holding that row and waiting to audit would deadlock with it)."""
    for moved in moves:
        audit_log_bulk(
            actor=None,
            action=moved.action,
            object_type=BadRecord._meta.model_name or "",
            object_ids=moved.ids,
            record_ids=moved.ids,
            before=moved.before,
            after=moved.after,
            reason=moved.reason,
            at=moved.at,
        )
    return sum(len(moved.ids) for moved in moves)


def _start(day: datetime.date, now: datetime.datetime) -> list[_Moved]:
    return [
        _move(
            from_status=RecordStatus.SCHEDULED,
            to_status=RecordStatus.PUBLISHED,
            condition="{public_from} <= %(today)s AND {public_until} >= %(today)s",
            today=day,
            now=now,
            action=ACTION_START,
            reason=REASON_START,
        )
    ]


def _expire(day: datetime.date, now: datetime.datetime) -> list[_Moved]:
    return [
        _move(
            from_status=from_status,
            to_status=RecordStatus.ARCHIVED,
            condition="{public_until} < %(today)s",
            today=day,
            now=now,
            action=ACTION_ARCHIVE,
            reason=REASON_ARCHIVE,
        )
        for from_status in (RecordStatus.PUBLISHED, RecordStatus.SCHEDULED)
    ]


@transaction.atomic
def disclosures_start(*, today: datetime.date | None = None) -> int:
    """Publish every scheduled record whose first public day has come and whose period has
    not yet ended. Returns how many started."""
    now = timezone.now()
    return _audit(_start(_as_of(today, now), now))


@transaction.atomic
def disclosures_expire(*, today: datetime.date | None = None) -> int:
    """Archive every published record whose last public day is before `today` (default:
    today in China Standard Time). A scheduled record whose whole period passed while the
    sweep was not running goes straight to the archive: starting it today would record a
    publication that never happens. Returns how many were archived."""
    now = timezone.now()
    return _audit(_expire(_as_of(today, now), now))


@transaction.atomic
def disclosures_sweep(*, today: datetime.date | None = None) -> SweepCounts:
    """What beat runs: start what is due, archive what has ended, in one transaction and
    as of one day (a run that straddles midnight does not mix two)."""
    now = timezone.now()
    day = _as_of(today, now)
    started = _start(day, now)
    archived = _expire(day, now)
    _audit(started + archived)
    return SweepCounts(
        started=sum(len(moved.ids) for moved in started),
        archived=sum(len(moved.ids) for moved in archived),
    )

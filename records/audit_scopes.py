"""The visibility scopes of audit events (kernel AuditEvent.record_scope, actor_scope), given
to the kernel's writer: the path of the bureau that filed each event's record and the path
of the actor's bureau. `records.selectors.audit_events_visible_to` reads them."""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from records.models import BadRecord, Bureau


def audit_scopes(actor: Any, record_ids: Sequence[int | None]) -> tuple[str, list[str]]:
    """The actor's bureau path ("" for none: the system, a public account) and each record's
    filing bureau path ("" for no record, or a record that is gone). The actor's bureau is
    read once per user object (Django keeps it on the object; a bureau's path never changes:
    `load_bureaus` refuses moves); the records' paths in one query (on SQLite, one per 999
    records)."""
    actor_scope = ""
    if getattr(actor, "bureau_id", None) is not None:
        actor_scope = actor.bureau.path
    wanted = sorted({pk for pk in record_ids if pk is not None})
    paths = _filing_paths(wanted) if wanted else {}
    return actor_scope, [paths.get(pk, "") if pk is not None else "" for pk in record_ids]


def _filing_paths(record_ids: list[int]) -> dict[int, str]:
    if connection.vendor != "postgresql":
        # SQLite caps the parameters of one statement (999 by Django's count): in chunks.
        size = connection.features.max_query_params or len(record_ids)
        paths: dict[int, str] = {}
        for start in range(0, len(record_ids), size):
            chunk = record_ids[start : start + size]
            records = BadRecord.objects.filter(pk__in=chunk)
            paths.update(records.values_list("pk", "filing_bureau__path"))
        return paths
    # A sweep audits 100,000 records at once: one array parameter, not 100,000 of them.
    quote = connection.ops.quote_name
    filing_bureau = quote(BadRecord._meta.get_field("filing_bureau").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id, b.path FROM {quote(BadRecord._meta.db_table)} AS r "  # noqa: S608 - names from _meta
            f"JOIN {quote(Bureau._meta.db_table)} AS b ON b.id = r.{filing_bureau} "
            "WHERE r.id = ANY(%s)",
            [record_ids],
        )
        return dict(cursor.fetchall())

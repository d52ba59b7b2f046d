"""The visibility scopes of audit events (kernel AuditEvent.record_scope, actor_scope), given
to the kernel's writer: the path of the bureau that filed each event's record and the path
of the actor's bureau. `records.selectors.audit_events_visible_to` reads them."""

from collections.abc import Sequence

from django.contrib.auth import get_user_model

from records.models import BadRecord


def audit_scopes(actor_id: int | None, record_ids: Sequence[int | None]) -> tuple[str, list[str]]:
    """The actor's bureau path ("" for none: the system, a public account) and each record's
    filing bureau path ("" for no record, or a record that is gone). At most two queries."""
    actor_scope = ""
    if actor_id is not None:
        path = (
            get_user_model()
            .objects.filter(pk=actor_id)
            .values_list("bureau__path", flat=True)
            .first()
        )
        actor_scope = path or ""
    wanted = {pk for pk in record_ids if pk is not None}
    paths: dict[int, str] = {}
    if wanted:
        paths = dict(
            BadRecord.objects.filter(pk__in=wanted).values_list("pk", "filing_bureau__path")
        )
    return actor_scope, [paths.get(pk, "") if pk is not None else "" for pk in record_ids]

import datetime
from typing import Any

from django.db import models

from records.models import AuditEvent, BadRecord, User


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """The keys whose values differ, as (before, after) JSON-ready dicts."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return (
        {k: _jsonable(before.get(k)) for k in keys},
        {k: _jsonable(after.get(k)) for k in keys},
    )


def audit_log(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        record=obj if isinstance(obj, BadRecord) else getattr(obj, "record", None),
        before={k: _jsonable(v) for k, v in (before or {}).items()},
        after={k: _jsonable(v) for k, v in (after or {}).items()},
        reason=reason,
    )

import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from kernel.models import AuditEvent


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
    actor: AbstractBaseUser | None,
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
        record_id=getattr(obj, "audit_record_id", None),
        before={k: _jsonable(v) for k, v in (before or {}).items()},
        after={k: _jsonable(v) for k, v in (after or {}).items()},
        reason=reason,
    )

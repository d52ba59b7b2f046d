from records.models.accounts import User
from records.models.audit import AuditEvent
from records.models.bad_records import (
    BadRecord,
    BadRecordVersion,
    BasisType,
    Ground,
    RecordStatus,
    SubjectType,
)
from records.models.bureaus import Bureau
from records.models.evidence import Evidence
from records.models.outbox import OutboxJob
from records.models.subjects import Operator, Practitioner, PractitionerKind, Sector

__all__ = [
    "AuditEvent",
    "BadRecord",
    "BadRecordVersion",
    "BasisType",
    "Bureau",
    "Evidence",
    "Ground",
    "Operator",
    "OutboxJob",
    "Practitioner",
    "PractitionerKind",
    "RecordStatus",
    "Sector",
    "SubjectType",
    "User",
]

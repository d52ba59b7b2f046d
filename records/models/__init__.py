from records.models.accounts import User
from records.models.bad_records import (
    BadRecord,
    BadRecordVersion,
    BasisType,
    EndReason,
    Ground,
    RecordStatus,
    SubjectType,
)
from records.models.bureaus import Bureau
from records.models.evidence import Evidence
from records.models.subjects import Operator, Practitioner, PractitionerKind, Sector

__all__ = [
    "BadRecord",
    "BadRecordVersion",
    "BasisType",
    "Bureau",
    "EndReason",
    "Evidence",
    "Ground",
    "Operator",
    "Practitioner",
    "PractitionerKind",
    "RecordStatus",
    "Sector",
    "SubjectType",
    "User",
]

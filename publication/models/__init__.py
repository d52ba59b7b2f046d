from publication.models.accounts import InterestedParty, LoginThrottle
from publication.models.archive import (
    ArchiveAccessLog,
    ArchiveRequest,
    IdentifierKind,
    ProofFile,
    Relationship,
    RequestStatus,
)

__all__ = [
    "ArchiveAccessLog",
    "ArchiveRequest",
    "IdentifierKind",
    "InterestedParty",
    "LoginThrottle",
    "ProofFile",
    "Relationship",
    "RequestStatus",
]

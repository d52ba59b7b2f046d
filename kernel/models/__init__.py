from kernel.models.audit import AuditChainHead, AuditEvent
from kernel.models.outbox import OutboxJob

__all__ = ["AuditChainHead", "AuditEvent", "OutboxJob"]

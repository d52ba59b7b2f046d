from kernel.models.audit import AuditEvent
from kernel.models.outbox import OutboxJob

__all__ = ["AuditEvent", "OutboxJob"]

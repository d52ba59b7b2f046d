from django.db import models


class OutboxJob(models.Model):
    """A background job, written in the same transaction as the change that asks for it.

    Web requests never talk to the broker: they insert a row here, and the worker's periodic
    `outbox_drain` claims pending rows with a conditional UPDATE and runs them. A dead broker
    delays jobs; it never slows or fails a request, and no job is lost."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        DONE = "done"
        DEAD = "dead"

    name = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.name}#{self.pk} ({self.status})"

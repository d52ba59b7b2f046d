from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_record(self, record: models.Model) -> "AuditEventQuerySet":
        return self.filter(record_id=record.pk)


class AuditEvent(models.Model):
    """One change: who, when, what, the values before and after. Written by the service
    functions through `kernel.audit` only; never edited or deleted (database triggers refuse
    both). Identity numbers are stored masked.

    The events form a hash chain in id order: `hash` is SHA-256 over the event's content and
    `prev_hash`, the hash of the event before it, so a changed, deleted or reordered event
    breaks the chain (`manage.py verify_audit_chain`)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    # The bad record the event belongs to (its own events and those of its evidence), as a
    # plain id: the kernel knows nothing of records, and an event outlives a deleted draft.
    record_id = models.BigIntegerField(_("record"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)
    # Who may read the event: the path of the bureau that filed its record and the path of
    # its actor's bureau ("000000/330000/330100/"), empty when there is none, as they were
    # when the event was written. The records layer gives them to the writer
    # (`audit_scopes_register`); the kernel knows nothing of bureaus. They are an index of
    # visibility derived from the record and the actor, not part of what happened, so the
    # hash chain leaves them out.
    record_scope = models.CharField(_("record scope"), max_length=64, blank=True, default="")
    actor_scope = models.CharField(_("actor scope"), max_length=64, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # A staff member's events are a prefix of either scope: a small region's are
            # found through these two and sorted; a large region's by walking the list's
            # order and filtering on the scopes (PostgreSQL reads both from the index). Each
            # carries the time, the other scope and the action, so that a region's deep page
            # is found in them alone (records.selectors.audit_event_page_keys).
            models.Index(
                fields=["record_scope", "-at", "-id"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                include=["actor_scope", "action"],
                name="audit_record_scope_at_idx",
            ),
            models.Index(
                fields=["actor_scope", "-at", "-id"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                include=["record_scope", "action"],
                name="audit_actor_scope_at_idx",
            ),
            models.Index(
                fields=["-at", "-id"],
                include=["record_scope", "actor_scope", "action"],
                name="audit_list_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class AuditChainHead(models.Model):
    """The last link of the audit chain: one row, locked by every writer while it appends
    (which serialises appends, so the chain never forks) and moved on with it. It lets the
    check see that events were deleted from the end of the chain, which no link shows."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_id} {self.last_hash[:12]}"

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InterestedParty(models.Model):
    """The profile of a public account (直接利害关系人). The account itself is a records.User
    with no bureau and is_staff off, so it never reaches the admin; it becomes active when its
    e-mail address is verified."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="interested_party",
    )
    full_name = models.CharField(_("full name"), max_length=100)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interested party")
        verbose_name_plural = _("interested parties")

    def __str__(self) -> str:
        return self.full_name


class LoginThrottle(models.Model):
    """Failed sign-ins per login name. Keyed by a hash of the name as typed (normalised), so a
    name with no account is counted and locked exactly like one that has an account."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key[:8]} ({self.failures})"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def revocable_by(self, user: Any) -> "ApiTokenQuerySet":
        """Tokens `user` may see and revoke: their own; a bureau administrator's bureau's
        too; the national administrator's all."""
        from records.roles import Role, has_role

        if has_role(user, Role.NATIONAL_ADMIN):
            return self.all()
        mine = models.Q(user=user)
        if has_role(user, Role.BUREAU_ADMIN) and user.bureau_id is not None:
            mine |= models.Q(user__bureau_id=user.bureau_id)
        return self.filter(mine)

    def usable(self, now: datetime.datetime) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A key for the licensing API. Only a SHA-256 hash of the key is stored: the key is
    shown once, when it is made, and cannot be read back by anyone (nor from a database
    copy). Keys are random 256-bit strings, so a plain hash is enough (no slow hash)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def state_label(self, now: datetime.datetime) -> Any:
        if self.revoked_at is not None:
            return _("revoked")
        if self.expires_at <= now:
            return _("expired")
        return _("valid")

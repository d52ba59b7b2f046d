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

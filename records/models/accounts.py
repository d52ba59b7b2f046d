from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff account belongs to exactly one bureau; public accounts (interested parties)
    have none."""

    bureau = models.ForeignKey(
        "records.Bureau",
        verbose_name=_("bureau"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(bureau__isnull=False),
                name="staff_account_has_bureau",
                violation_error_message=_("A staff account must belong to a bureau."),
            ),
        ]

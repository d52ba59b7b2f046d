"""`manage.py identity_numbers_reencrypt`: the second step of replacing an identity-number
key (README "Security settings"). Put the new key first in IDENTITY_NUMBER_KEYS (or
IDENTITY_NUMBER_HMAC_KEYS), keep the old one after it, restart, run this; then remove the
old key. Numbers that no configured key opens stop the command with an error."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kernel.identity_number_rotation import identity_numbers_reencrypt
from kernel.identity_numbers import IdentityNumberKeyError


class Command(BaseCommand):
    help = "Re-encrypt every stored identity number (and its digest) under the newest keys."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = identity_numbers_reencrypt()
        except IdentityNumberKeyError as error:
            raise CommandError(
                f"{error} Put back the key the numbers were encrypted with, after the new one."
            ) from None
        self.stdout.write(f"{count} identity numbers re-encrypted under the newest keys.")

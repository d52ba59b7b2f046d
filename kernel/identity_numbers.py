"""Resident identity numbers at rest (SPEC §4): encrypted with a key from the environment, and
found by a keyed hash instead of by the number.

The numbers are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`).
IDENTITY_NUMBER_KEYS lists the keys newest first: the newest encrypts, any of them decrypts
(MultiFernet), so a new key is put in front and `manage.py identity_numbers_reencrypt`
moves every stored number to it before the old key is dropped.

Fernet gives a different token for each encryption, so the database cannot compare numbers.
An exact search compares the HMAC-SHA256 of the number under IDENTITY_NUMBER_HMAC_KEYS (the
newest writes, all of them are tried when looking up, so a new HMAC key can be put in front
and the digests rewritten by the same command without a window in which look-ups miss).
"""

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull


class IdentityNumberKeyError(Exception):
    """A stored number is not readable with any configured key (a key was dropped too early,
    or the value was never encrypted)."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"IDENTITY_NUMBER_KEYS holds a value that is not a Fernet key ({error})."
        ) from None


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.IDENTITY_NUMBER_KEYS))


def identity_number_encrypt(number: str) -> str:
    """The token stored for a number; the empty string stays empty (no number)."""
    if not number:
        return ""
    return _keys().encrypt(number.encode()).decode()


def identity_number_decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken:
        raise IdentityNumberKeyError(
            "A stored identity number cannot be decrypted with IDENTITY_NUMBER_KEYS."
        ) from None


def identity_number_reencrypt(token: str) -> str:
    """The same number under the newest key (a no-op for a token already under it, apart
    from a fresh token)."""
    if not token:
        return ""
    try:
        return _keys().rotate(token.encode()).decode()
    except InvalidToken:
        raise IdentityNumberKeyError(
            "A stored identity number cannot be decrypted with IDENTITY_NUMBER_KEYS."
        ) from None


def _digest(key: str, number: str) -> str:
    return hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()


def identity_number_digest(number: str) -> str:
    """The keyed hash stored beside the number, under the newest HMAC key."""
    if not number:
        return ""
    return _digest(settings.IDENTITY_NUMBER_HMAC_KEYS[0], number)


def identity_number_digests(number: str) -> list[str]:
    """Every digest the number may be stored under while an HMAC key is being replaced."""
    if not number:
        return []
    return [_digest(key, number) for key in settings.IDENTITY_NUMBER_HMAC_KEYS]


class _EmptyOnlyExact(Exact):
    """`identity_number=""` (no number) still works; any other equality would silently
    compare a number with a random token, so it fails loudly and points to the digest."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise ValueError(
                "Identity numbers are encrypted: look them up by identity_number_hmac__in="
                "identity_number_digests(number)."
            )
        return super().get_prep_lookup()


class EncryptedIdentityNumberField(models.CharField):  # type: ignore[type-arg]
    """Holds the Fernet token in the database and the clear number on the model instance.
    Saving also writes the number's digest into `digest_field` (declared after this field,
    so that its value is read after this field's pre_save has set it)."""

    def __init__(self, *args: Any, digest_field: str = "identity_number_hmac", **kwargs: Any):
        self.digest_field = digest_field
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.digest_field != "identity_number_hmac":
            kwargs["digest_field"] = self.digest_field
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        return identity_number_decrypt(value or "")

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if hasattr(value, "as_sql"):  # bulk_update's CASE: its values come back here one by one
            return value
        return super().get_db_prep_save(identity_number_encrypt(value or ""), connection)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        number = getattr(model_instance, self.attname) or ""
        setattr(model_instance, self.digest_field, identity_number_digest(number))
        return number

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def formfield(self, **kwargs: Any) -> Any:
        # Typed numbers may carry spaces or dashes; the service normalises them.
        return super().formfield(**{"max_length": 40, **kwargs})

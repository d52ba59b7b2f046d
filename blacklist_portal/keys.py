"""Keys read from the environment: checked at start-up, so that a mistyped key stops the
process instead of failing at the first identity number. In development (DEBUG on) the
identity-number keys may be derived from SECRET_KEY; kernel/checks.py warns loudly then."""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

HMAC_KEY_MIN_LENGTH = 32


def derived_secret(secret_key: str, label: str) -> str:
    return hashlib.sha256(f"{label}:{secret_key}".encode()).hexdigest()


def derived_fernet_key(secret_key: str, label: str) -> str:
    digest = hashlib.sha256(f"{label}:{secret_key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def check_identity_number_keys(fernet_keys: list[str], hmac_keys: list[str]) -> None:
    for position, key in enumerate(fernet_keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"IDENTITY_NUMBER_KEYS: key {position} is not a Fernet key (32 bytes, "
                "URL-safe base64, as Fernet.generate_key() prints)."
            ) from None
    for position, key in enumerate(hmac_keys, start=1):
        if len(key) < HMAC_KEY_MIN_LENGTH:
            raise ImproperlyConfigured(
                f"IDENTITY_NUMBER_HMAC_KEYS: key {position} has {len(key)} characters; "
                f"use at least {HMAC_KEY_MIN_LENGTH} random ones."
            )

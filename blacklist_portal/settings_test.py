"""Test override: the real settings with a throwaway key, fast hashing and local files."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
# Throwaway identity-number keys (the key-rotation tests put their own in front).
os.environ.setdefault("IDENTITY_NUMBER_KEYS", "dGVzdC1vbmx5LWlkZW50aXR5LW51bWJlci1rZXktMDE=")
os.environ.setdefault("IDENTITY_NUMBER_HMAC_KEYS", "test-only-identity-number-hmac-" + "y" * 16)
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="portal-test-"))

from blacklist_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
STATIC_ROOT = VAR_DIR / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Tests change records and read the list within the same frozen second.
PUBLIC_STAMP_CACHE_SECONDS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the end-to-end tests start a Celery worker that must see it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405

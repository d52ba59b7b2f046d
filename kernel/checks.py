"""System checks of the security settings: shown by every manage.py command (so `make run`
prints them) and by `manage.py check --deploy`."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security)
def identity_number_keys_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not getattr(settings, "IDENTITY_NUMBER_KEYS_DERIVED", False):
        return []
    return [
        Warning(
            "!!! Identity numbers are encrypted with keys derived from SECRET_KEY. "
            "Development only: whoever knows SECRET_KEY can read them.",
            hint="Set IDENTITY_NUMBER_KEYS and IDENTITY_NUMBER_HMAC_KEYS (README, "
            "'Security settings').",
            id="kernel.W001",
        )
    ]


@register(Tags.security, deploy=True)
def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if not backend.endswith("LocMemCache"):
        return []
    return [
        Warning(
            "The cache is per process: rate limits count separately in each web worker, so "
            "a client gets the limit times the number of workers.",
            hint="Set CACHE_URL to a Redis shared by all web workers (README, 'Security "
            "settings').",
            id="kernel.W002",
        )
    ]

"""DRF throttles that take the client's address from kernel.client_address (DRF's own
`get_ident` believes any X-Forwarded-For unless NUM_PROXIES is set in its settings) and count
in the shared limits cache."""

from typing import Any

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from kernel.client_address import client_address


class _ClientAddressMixin:
    def __init__(self) -> None:
        super().__init__()
        self.cache = caches[settings.LIMITS_CACHE]

    def get_ident(self, request: Any) -> str:
        return client_address(request)


class AddressScopedRateThrottle(_ClientAddressMixin, ScopedRateThrottle):
    """Per account when signed in (DRF's rule), per client address otherwise."""


class AddressRateThrottle(_ClientAddressMixin, SimpleRateThrottle):
    """Per client address, whoever is signed in; the subclass names its `scope`."""

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

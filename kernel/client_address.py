"""The address a request comes from, for sign-in limits and the audit trail.

One function so that it can be swapped for a proxy-aware one (a trusted-proxy setting that
reads X-Forwarded-For) without touching its callers. Until then it trusts only REMOTE_ADDR:
behind a reverse proxy every visitor shares the proxy's address, which makes the
per-address sign-in limit stricter, never looser."""

from collections.abc import Mapping
from typing import Any, Protocol


class HasMeta(Protocol):
    """A Django HttpRequest or a DRF Request."""

    @property
    def META(self) -> Mapping[str, Any]: ...  # noqa: N802


def client_address(request: HasMeta) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")

"""The address of the client that sent a request: the one place that decides it.

Every limit (kernel/limits.py, DRF's throttles through kernel/throttling.py) and every log
of an address reads it here. By default (NUM_PROXIES=0) it is REMOTE_ADDR and X-Forwarded-For
is ignored, since any client can send that header. Behind N reverse proxies that each append
the address they received a request from, the client is the N-th entry from the right of
X-Forwarded-For + REMOTE_ADDR: entries further left were written by the client and are not
believed. TRUSTED_PROXIES (addresses or networks) narrows this further: the header is only
read when REMOTE_ADDR is one of them, so a request that bypasses the proxy counts as itself.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(value, strict=False) for value in values)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None


def _address(value: str) -> str:
    """The normalised address, or "" for anything that is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def _trusted(remote: str) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks:
        return True
    address = ipaddress.ip_address(remote)
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "unknown"
    hops = settings.NUM_PROXIES
    if hops <= 0 or remote == "unknown" or not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part for part in (item.strip() for item in forwarded.split(",")) if part]
    chain.append(remote)
    # chain[-1] is the nearest proxy, chain[-hops] the farthest; the client is just before.
    index = len(chain) - 1 - hops
    if index < 0:  # fewer entries than proxies: the request did not pass through them all
        index = 0
    return _address(chain[index]) or remote

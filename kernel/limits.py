"""Counting limits: how many times one address or one account did something in a window.

Every limit of the portal (sign-up, password reset, verification mails, `/verify/`, identity
number searches, and DRF's throttles through kernel/throttling.py) counts here, in the cache
named by LIMITS_CACHE. In production that cache is Redis (CACHE_URL), shared by all web
workers; with the per-process default each gunicorn worker would count on its own.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def rate_parse(text: str) -> Rate:
    """`5/hour`, `20/min`, `100/day` (DRF's notation)."""
    try:
        count, period = text.split("/")
        return Rate(int(count), _PERIODS[period.strip().lower()])
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"A rate looks like 5/min, 10/hour or 100/day, not {text!r}."
        ) from None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends; 0 when allowed

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _key(scope: str, ident: str, window: int) -> str:
    # Hashed: addresses and e-mail addresses are personal data and stay out of the cache keys.
    digest = hashlib.sha256(f"{scope}\0{ident}".encode()).hexdigest()[:32]
    return f"limit:{scope}:{digest}:{window}"


def limit_hit(*, scope: str, ident: str, rate: str) -> Verdict:
    """Count one attempt of `ident` (an address, an account, an e-mail address) in `scope`
    and say whether it is within the rate. Fixed windows: a client gets at most twice the
    rate across a window boundary, which is enough to stop guessing and mail floods."""
    limit = rate_parse(rate)
    cache = caches[settings.LIMITS_CACHE]
    now = time.time()
    window = int(now // limit.seconds)
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds + 1)
        count = 1
    if count <= limit.count:
        return Verdict(True, 0)
    return Verdict(False, int((window + 1) * limit.seconds - now) + 1)


def limits_hit(*, scope: str, idents: dict[str, str], rates: dict[str, str]) -> Verdict:
    """Count the attempt against several limits at once (e.g. per address and per account);
    refused when any of them is exceeded, with the longest wait."""
    verdicts = [
        limit_hit(scope=f"{scope}:{kind}", ident=ident, rate=rates[kind])
        for kind, ident in idents.items()
        if ident
    ]
    refused = [verdict for verdict in verdicts if not verdict.allowed]
    if not refused:
        return Verdict(True, 0)
    return Verdict(False, max(verdict.retry_after for verdict in refused))

"""The fixed, benchmark-only identity-number keys: the seeding and every benchmark process
must encrypt and look up with the same ones. Never used outside the benchmark databases."""

import os

BENCH_KEYS = {
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "IDENTITY_NUMBER_KEYS": "YmVuY2htYXJrLW9ubHktaWRlbnRpdHktbnVtYmVyLWs=",
    "IDENTITY_NUMBER_HMAC_KEYS": "benchmark-only-identity-number-hmac-key-not-a-secret",
}


def bench_keys_default() -> None:
    for name, value in BENCH_KEYS.items():
        os.environ.setdefault(name, value)

"""Production settings with the benchmark's extra URL (bench/urls_bench.py)."""

from blacklist_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_bench"

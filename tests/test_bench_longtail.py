"""The long-tail benchmark judges only traffic where no path repeated (bench/public_longtail.py)."""

import os
import random
import sys
import urllib.parse

import pytest

from bench import public_longtail


def _figures(requests: int, repeats: int, rps: float) -> dict:
    return {
        "requests": requests, "repeats": repeats, "rps": rps, "p50": 5.0, "p95": 20.0,
        "errors": 0, "timeout": 0, "app_ms": 2.0, "db_ms": 0.5,
    }  # fmt: skip


def _row(lines: list[str], name: str) -> str:
    return next(line for line in lines if line.startswith(f"| {name} |"))


def test_a_long_tail_kind_whose_paths_repeated_is_not_judged():
    lines = public_longtail._table(
        [
            ("trivial Django view (before)", _figures(20_000, 20_000, 2_000.0)),
            ("hot pages (home, list, API list repeated)", _figures(15_000, 15_000, 1_500.0)),
            ("detail page", _figures(5_000, 1_000, 900.0)),
            ("name search, 1-4 characters", _figures(3_000, 0, 300.0)),
            ("quick check", _figures(4_500, 0, 450.0)),
        ]
    )
    assert "**not measured** (paths repeated)" in _row(lines, "detail page")
    assert "| 1000 |" in _row(lines, "detail page")  # the repeats column
    # Hot pages repeat by design and are judged; a kind without repeats is judged.
    assert _row(lines, "hot pages (home, list, API list repeated)").endswith("| yes (≥ 60%) |")
    assert _row(lines, "name search, 1-4 characters").endswith("| **no** (≥ 20%) |")
    assert _row(lines, "quick check").endswith("| yes (≥ 20%) |")
    assert "| 2.00 / 0.50 |" in _row(lines, "quick check")  # CPU a request: app / database


def test_list_pages_open_no_deeper_than_the_list_and_some_are_read_in_english():
    rng = random.Random(3)
    drawn = [public_longtail._list_page(rng) for _ in range(2_000)]
    english = [line for line in drawn if line.endswith("\tdjango_language=en")]
    assert 400 < len(english) < 800
    for line in drawn:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(line.split("\t")[0]).query)
        size, page = int(query["page_size"][0]), int(query["page"][0])
        assert size in (10, 20, 50)
        assert page >= 2 and (page - 1) * size < 10_000  # within PUBLIC_MAX_LIST_ROWS
    assert len(set(drawn)) > 1_500  # 10,182 possible: few collide


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_cpu_time_is_counted_for_the_app_s_process_group():
    group = os.getpgid(0)
    before = public_longtail._cpu_seconds(group)
    busy = sum(i * i for i in range(2_000_000))  # about 0.1 s of this process's CPU
    after = public_longtail._cpu_seconds(group)
    assert busy > 0
    assert after[0] - before[0] >= 0.05

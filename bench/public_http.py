"""HTTP benchmark of the public list, through gunicorn, at the scale of bench/seed.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/public_http.py [--seconds 10] [--connections 8] [--workers 4]

It starts gunicorn with production settings (DEBUG off) plus one trivial Django view, then
for each endpoint — home, list first page, a filtered list, name searches, detail pages, the
API list and the CSV export of one filtered page — keeps `--connections` keep-alive clients
busy for `--seconds` and reports p50/p95 latency and requests per second, side by side with
the trivial view measured the same way in the same run. Targets: p95 ≤ 50 ms and at least
40% of the trivial view's throughput. With --write the table replaces the public-list section
of bench/RESULTS.md.
"""

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.keys import BENCH_KEYS  # noqa: E402
from bench.machine import cpu_and_memory  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- public-http:begin -->", "<!-- public-http:end -->"
P95_TARGET_MS = 50.0
THROUGHPUT_TARGET = 0.40


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--cache-url",
        default="",
        help="also measure with this shared Redis cache (production's CACHE_URL), "
        "e.g. redis://127.0.0.1:6379/9 (flushed first)",
    )
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    return parser.parse_args()


def _environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings_bench",
        DEBUG="0",
        **{name: env.get(name, value) for name, value in BENCH_KEYS.items()},
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        # Plain HTTP on loopback: no redirect to HTTPS (a TLS proxy does that in production).
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        CELERY_BROKER_URL=env.get("CELERY_BROKER_URL", "memory://"),
    )
    return env


def _sample_references(env: dict[str, str]) -> list[str]:
    code = (
        "import django; django.setup();"
        "from publication.selectors import disclosures;"
        "ids = disclosures().order_by('?').values_list('id', flat=True)[:500];"
        "print(' '.join(f'TR{i:08d}' for i in ids))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    references = out.stdout.split()
    if not references:
        sys.exit("No public records: run bench/seed.py first.")
    return references


def _wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/bench/trivial")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer")


def _load(port: int, paths: list[str], seconds: float, connections: int) -> dict[str, float]:
    """Keep `connections` clients busy; each request picks the next path in turn."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        i = offset
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{path}: {error}")
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[0]}")
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": len(errors),
    }


def _machine() -> str:
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout
    return f"{cpu_and_memory()}; {postgres.strip() or 'PostgreSQL'}"


def _serve_and_measure(
    env: dict[str, str], args: argparse.Namespace, endpoints: list[tuple[str, list[str]]]
) -> list[tuple[str, dict[str, float]]]:
    gunicorn = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "blacklist_portal.wsgi:application",
            "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
            "--access-logfile", "/dev/null", "--log-level", "warning",
        ],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    results = []
    try:
        _wait_for(args.port)
        for name, paths in endpoints:
            _load(args.port, paths, 2.0, args.connections)  # warm caches and connections
            figures = _load(args.port, paths, args.seconds, args.connections)
            results.append((name, figures))
            print(
                f"{name:36s} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
                f"{figures['rps']:8.1f} req/s",
                flush=True,
            )
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    return results


def _table(results: list[tuple[str, dict[str, float]]]) -> list[str]:
    trivial_rps = results[0][1]["rps"]
    lines = [
        "| endpoint | p50 ms | p95 ms | req/s | share of trivial | p95 ≤ 50 ms | ≥ 40% |",
        "|---|---:|---:|---:|---:|:-:|:-:|",
    ]
    for name, f in results:
        share = f["rps"] / trivial_rps
        ok_p95 = "yes" if f["p95"] <= P95_TARGET_MS else "**no**"
        ok_share = "yes" if share >= THROUGHPUT_TARGET else "**no**"
        lines.append(
            f"| {name} | {f['p50']:.1f} | {f['p95']:.1f} | {f['rps']:.0f} | {share:.0%} | "
            f"{ok_p95} | {ok_share} |"
        )
    return lines


def main() -> None:
    args = _args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database that bench/seed.py filled.")
    env = _environment(url)
    references = _sample_references(env)
    rng = random.Random(7)
    province = urllib.parse.urlencode({"region": "330000", "ground": "G1"})
    search4 = urllib.parse.urlencode({"q": "西湖国际"})
    search2 = urllib.parse.urlencode({"q": "张伟"})
    details = [f"/disclosures/{r}" for r in rng.sample(references, min(200, len(references)))]
    endpoints = [
        ("trivial Django view", ["/bench/trivial"]),
        ("home", ["/"]),
        ("list, first page", ["/disclosures/"]),
        ("filtered list (province + ground)", [f"/disclosures/?{province}"]),
        ("name search, 4 characters", [f"/disclosures/?{search4}"]),
        ("name search, 2 characters", [f"/disclosures/?{search2}"]),
        ("detail page", details),
        ("quick check", ["/check/L-ZJ-CJ0000101"]),
        ("API list", ["/api/v1/disclosures/"]),
        ("CSV export, one filtered page", [f"/disclosures.csv?{province}&page=1&page_size=20"]),
    ]  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    print("== with the page cache (the default)", flush=True)
    warm = _serve_and_measure(env, args, endpoints)
    shared: list[tuple[str, dict[str, float]]] = []
    if args.cache_url:
        print(f"== with the page cache shared in Redis (CACHE_URL={args.cache_url})", flush=True)
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()
        shared = _serve_and_measure({**env, "CACHE_URL": args.cache_url}, args, endpoints)
    print("== without the page cache (PUBLIC_PAGE_CACHE_SECONDS=0): every request renders")
    cold = _serve_and_measure({**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"}, args, endpoints)
    lines = [
        f"Run on {time.strftime('%Y-%m-%d %H:%M')} — {_machine()}.",
        f"gunicorn with {args.workers} sync workers, DEBUG off; {args.connections} keep-alive "
        f"clients on the same machine for {args.seconds:.0f} s per endpoint after a 2 s warm-up.",
        "",
        "With the page cache in each worker (the default: a rendered page is reused until any "
        "record changes):",
        "",
        *_table(warm),
        "",
        *(
            [
                "With the page cache shared by all workers in Redis (`CACHE_URL`):",
                "",
                *_table(shared),
                "",
            ]
            if shared
            else []
        ),
        "Without the page cache (`PUBLIC_PAGE_CACHE_SECONDS=0`, every request renders):",
        "",
        *_table(cold),
    ]
    table = "\n".join(lines)
    print("\n" + table)
    if args.write:
        text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Results\n"
        block = f"{BEGIN}\n{table}\n{END}"
        if BEGIN in text:
            text = re.sub(f"{re.escape(BEGIN)}.*?{re.escape(END)}", block, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n## Public list over HTTP\n\n" + block + "\n"
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()

"""Long-tail HTTP benchmark of the public list: traffic where no URL repeats.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_public \\
        .venv/bin/python bench/public_longtail.py [--seconds 8] [--write]

Citizens do not repeat one URL: each searches their own agency's name or their own county.
This script draws paths at random (fixed seed) from the seeded database — fragments of real
subject names (1 to 4 characters, the common ones such as 国际, 酒店, 旅行社, 张 included),
existing region codes (province, city, county) crossed with grounds, sectors, subject types,
date ranges and pages 1-5, deep pages of the whole list, real references, real licence and
certificate numbers — writes one path list per kind of traffic and drives gunicorn (4 sync
workers, production settings, DEBUG off) with wrk (`apt-get install wrk`; a C load generator
that costs little CPU) and bench/longtail.lua, which hands each request the next path of
the list, so no path is asked twice within a run. The trivial Django view is measured in the
same run, before and after the other kinds; each kind's throughput is given as a share of
the faster of the two; each kind's CPU time a request, of the app's workers and of
PostgreSQL's processes (which share the cores with them), is given beside it. Paths that
repeat within a kind's run (more requests than paths) are counted and such a kind is not
judged. Targets: p95 ≤ 50 ms and ≥ 20% of the trivial view for each long-tail
kind, ≥ 60% for the hot pages (one URL repeated), 0 errors, 0 timeouts.
With --write the table replaces the long-tail section of bench/RESULTS.md.
"""

import argparse
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_and_memory  # noqa: E402
from bench.public_http import _environment, _wait_for  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
LUA = ROOT / "bench" / "longtail.lua"
BEGIN, END = "<!-- public-longtail:begin -->", "<!-- public-longtail:end -->"
P95_TARGET_MS = 50.0
LONG_TAIL_TARGET = 0.20
HOT_TARGET = 0.60
GROUNDS = ["G1", "G2", "G3", "G4", "G5", "G6", "G7"]
SECTORS = [
    "travel_agency", "scenic_area", "transport", "accommodation", "catering", "shopping",
    "entertainment",
]  # fmt: skip
# Kinds whose few paths repeat on purpose: one URL (hot pages, the country's statistics) or
# about thirty (each province's statistics).
REPEATED_BY_DESIGN = ("trivial", "hot", "statistics")
COMMON_TERMS = ["国际", "酒店", "旅行社", "张", "旅游", "王", "李", "景区", "有限公司", "北京"]


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--paths", type=int, default=9000,
        help="distinct paths per kind: more than the fastest kind asks in --seconds",
    )  # fmt: skip
    parser.add_argument("--only", default="", help="comma-separated kinds to run")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    return parser.parse_args()


class Sample:
    """What the paths are drawn from: rows of the seeded database, read once."""

    def __init__(self, url: str, rng: random.Random) -> None:
        connection = psycopg2.connect(url)
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.7)")
            today = datetime.date.today()
            cursor.execute(
                "SELECT id, subject_name, identifier_key, licence_no, certificate_no "
                "FROM records_badrecord WHERE status IN ('published', 'scheduled') "
                "AND public_from <= %s AND public_until >= %s ORDER BY random() LIMIT 40000",
                [today, today],
            )
            self.records = cursor.fetchall()
            cursor.execute("SELECT code, level FROM records_bureau WHERE level <> 'national'")
            self.regions: dict[str, list[str]] = {}
            for code, level in cursor.fetchall():
                self.regions.setdefault(level, []).append(code)
        connection.close()
        for codes in self.regions.values():
            codes.sort()
        self.rng = rng
        names = sorted({r[1] for r in self.records})
        self.rng.shuffle(names)
        self.names = names


def _distinct(make: Callable[[], str], count: int, *, seed: list[str] = ()) -> list[str]:
    seen: dict[str, None] = dict.fromkeys(seed)
    attempts = 0
    while len(seen) < count and attempts < count * 50:
        seen.setdefault(make())
        attempts += 1
    return list(seen)


def _fragment(rng: random.Random, names: list[str]) -> str:
    name = rng.choice(names)
    length = rng.choice([1, 2, 2, 3, 3, 4, 4])
    length = min(length, len(name))
    start = rng.randrange(0, len(name) - length + 1)
    return name[start : start + length].strip()


def _list_page(rng: random.Random) -> str:
    """A page of the whole list, 2 to as deep as pages open (PUBLIC_MAX_LIST_ROWS, 10,000
    rows), in either language: English readers set the language cookie, which the page
    cache keys on (a path line's tab-separated second field is its Cookie header)."""
    size = rng.choice([10, 20, 50])
    page = rng.randint(2, 10_000 // size)
    sort = rng.choice(["newest", "oldest", "name"])
    query = urllib.parse.urlencode({"page": page, "sort": sort, "page_size": size})
    path = f"/disclosures/?{query}"
    return path + ("\tdjango_language=en" if rng.random() < 0.3 else "")


def _filter_params(rng: random.Random, sample: Sample) -> dict[str, str]:
    level = rng.choice(["province", "city", "county", "county"])
    params = {"region": rng.choice(sample.regions[level])}
    if rng.random() < 0.6:
        params["ground"] = rng.choice(GROUNDS)
    if rng.random() < 0.4:
        params["sector"] = rng.choice(SECTORS)
    elif rng.random() < 0.2:
        params["subject_type"] = rng.choice(["operator", "practitioner"])
    if rng.random() < 0.3:
        start = datetime.date.today() - datetime.timedelta(days=rng.randrange(30, 700))
        params["published_from"] = start.isoformat()
        if rng.random() < 0.5:
            end = start + datetime.timedelta(days=rng.randrange(30, 200))
            params["published_to"] = end.isoformat()
    if rng.random() < 0.3:
        params["page"] = str(rng.randint(2, 5))
    return params


def _kinds(sample: Sample, count: int) -> dict[str, list[str]]:
    """`count` distinct paths per kind for the kind's own run, then `count // 4` more for
    the mix (which shares its requests among the eight kinds)."""
    rng = sample.rng
    n = count + count // 4
    q = urllib.parse.urlencode
    references = [f"TR{r[0]:08d}" for r in sample.records]
    numbers = [r[3] or r[4] for r in sample.records if (r[3] or r[4])]
    common = [f"/disclosures/?{q({'q': t})}" for t in COMMON_TERMS]
    kinds = {
        "list pages (deep, sorted)": _distinct(lambda: _list_page(rng), n),
        "name search, 1-4 characters": _distinct(
            lambda: f"/disclosures/?{q({'q': _fragment(rng, sample.names)})}", n, seed=common
        ),
        "region × ground × sector × type × date filters": _distinct(
            lambda: f"/disclosures/?{q(_filter_params(rng, sample))}", n
        ),
        "detail page": [f"/disclosures/{r}" for r in references[:n]],
        "API list with filters": _distinct(
            lambda: (
                "/api/v1/disclosures/?"
                + q(rng.choice([_filter_params(rng, sample), {"q": _fragment(rng, sample.names)}]))
            ),
            n,
        ),
        "API detail": [f"/api/v1/disclosures/{r}/" for r in references[n : 2 * n]],
        "CSV, one filtered page": _distinct(
            lambda: "/disclosures.csv?" + q({**_filter_params(rng, sample), "page_size": "20"}),
            n,
        ),
        "quick check": _distinct(lambda: "/check/" + urllib.parse.quote(rng.choice(numbers)), n),
    }
    for name, paths in kinds.items():
        if len(paths) < n:
            print(f"  {name}: only {len(paths)} distinct paths", flush=True)
    return kinds


def _wrk(port: int, paths: list[str], seconds: float, args: argparse.Namespace) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    env = {**os.environ, "LONGTAIL_PATHS": handle.name, "LONGTAIL_THREADS": str(args.threads)}
    out = subprocess.run(
        ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{round(seconds)}s",
         "--timeout", "10s", "-s", str(LUA), f"http://127.0.0.1:{port}"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    os.unlink(handle.name)
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    figures = json.loads(line)
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["p50"] = figures["p50_us"] / 1000
    figures["p95"] = figures["p95_us"] / 1000
    figures["errors"] = figures["connect"] + figures["read"] + figures["write"] + figures["status"]
    figures["repeats"] = max(0, figures["sent"] - figures["paths"])
    return figures


def _cpu_seconds(group: int) -> tuple[float, float]:
    """CPU seconds (user + system) used so far by the processes of gunicorn's process group
    and by PostgreSQL's processes on this machine, ended children included; (0, 0) without
    /proc."""
    app = database = 0
    proc = Path("/proc")
    if not proc.is_dir():
        return 0.0, 0.0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # Its own time and its ended children's (a database connection that ended during the
        # run is counted by the postmaster that waited for it).
        ticks = sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
        if int(fields[2]) == group:  # the process group
            app += ticks
        elif command == "postgres":
            database += ticks
    hertz = os.sysconf("SC_CLK_TCK")
    return app / hertz, database / hertz


def _measure(env: dict[str, str], args: argparse.Namespace, kinds: list[tuple[str, list[str]]]):
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
        # Warm the workers' connections and imports on the trivial view and one list page,
        # and their statistics: counted once per change of the list and per worker (the
        # benchmark's cache is each process's own; Redis shares it in production), 0.3-0.6 s
        # each, which a run of a few seconds would otherwise report as its tail.
        _wrk(args.port, ["/bench/trivial", "/disclosures/", "/", "/statistics/"], 4.0, args)
        for name, paths in kinds:
            before = _cpu_seconds(gunicorn.pid)
            figures = _wrk(args.port, paths, args.seconds, args)
            after = _cpu_seconds(gunicorn.pid)
            # CPU time per request of the app's workers and of PostgreSQL's processes, which
            # share the machine's cores with them (Linux's /proc; absent elsewhere).
            for part, spent in zip(
                ("app_ms", "db_ms"), (after[0] - before[0], after[1] - before[1]), strict=True
            ):
                figures[part] = spent * 1000 / figures["requests"] if figures["requests"] else 0.0
            results.append((name, figures))
            print(
                f"{name:50s} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
                f"{figures['rps']:7.1f} req/s  errors {figures['errors']} timeouts "
                f"{figures['timeout']} repeats {figures['repeats']}  CPU a request: app "
                f"{figures['app_ms']:.2f} ms, database {figures['db_ms']:.2f} ms",
                flush=True,
            )
    finally:
        os.killpg(gunicorn.pid, 15)
        gunicorn.wait(timeout=30)
    return results


def _table(results: list[tuple[str, dict]]) -> list[str]:
    trivial = [f["rps"] for name, f in results if name.startswith("trivial")]
    # The faster of the two: on a noisy host one of them was at times half the other, and
    # the mean would flatter every share.
    base = max(trivial)
    lines = [
        "| traffic | requests | repeats | p50 ms | p95 ms | req/s | share of trivial "
        "| CPU a request: app / database ms | errors / timeouts | p95 ≤ 50 ms | share target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|",
    ]
    for name, f in results:
        share = f["rps"] / base
        target = HOT_TARGET if name.startswith("hot") else LONG_TAIL_TARGET
        if name.startswith(("trivial", "reference")):
            met_share = "—"
        elif f["repeats"] and not name.startswith(REPEATED_BY_DESIGN):
            # A repeated path is answered from the page cache: not long-tail traffic.
            met_share = "**not measured** (paths repeated)"
        else:
            met_share = f"{'yes' if share >= target else '**no**'} (≥ {target:.0%})"
        met_p95 = "yes" if f["p95"] <= P95_TARGET_MS else "**no**"
        lines.append(
            f"| {name} | {f['requests']} | {f['repeats']} | {f['p50']:.1f} | {f['p95']:.1f} "
            f"| {f['rps']:.0f} | {share:.0%} | {f['app_ms']:.2f} / {f['db_ms']:.2f} "
            f"| {f['errors']} / {f['timeout']} | {met_p95} "
            f"| {met_share} |"
        )
    return lines


def _load_note() -> str:
    load = os.getloadavg()
    return f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)"


def main() -> None:
    args = _args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database that bench/seed.py filled.")
    env = _environment(url)
    env["CACHE_MAX_ENTRIES"] = env.get("CACHE_MAX_ENTRIES", "2000")
    sample = Sample(url, random.Random(10))
    drawn = _kinds(sample, args.paths)
    hot = ["/", "/disclosures/", "/api/v1/disclosures/"]
    mix: list[str] = []
    halves = [paths[args.paths :] for paths in drawn.values()]
    for i in range(max(map(len, halves))):
        for paths in halves:
            if i < len(paths):
                mix.append(paths[i])
    kinds = [
        ("trivial Django view (before)", ["/bench/trivial"]),
        ("hot pages (home, list, API list repeated)", hot),
        ("statistics (whole country)", ["/statistics/"]),
        # Only about thirty provinces: these paths repeat (the console's repeats column).
        (
            "statistics (each province in turn)",
            [f"/statistics/{code}/" for code in sample.regions["province"]],
        ),
        # The floor of a list page on this machine (bench/urls_bench.py), not a target: one
        # raw statement for twenty rows on pages 1-5 and a bare template.
        (
            "reference: bare raw-SQL page, 20 rows",
            [f"/bench/bare?page={random.Random(i).randint(1, 5)}&n={i}" for i in range(args.paths)],
        ),
        *((name, paths[: args.paths]) for name, paths in drawn.items()),
        ("a mix of all the long-tail kinds", mix),
        ("trivial Django view (after)", ["/bench/trivial"]),
    ]
    if args.only:
        wanted = args.only.split(",")
        kinds = [
            k for k in kinds
            if k[0].startswith(("trivial", "reference")) or any(w in k[0] for w in wanted)
        ]  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    load_before = _load_note()
    results = _measure(env, args, kinds)
    lines = [
        f"Run on {time.strftime('%Y-%m-%d %H:%M')} UTC — {cpu_and_memory()}.",
        f"gunicorn with {args.workers} sync workers, DEBUG off, page cache on (the default); "
        f"wrk with {args.threads} threads and {args.connections} keep-alive connections for "
        f"{args.seconds:.0f} s per kind; {args.paths} distinct paths per kind (fixed seed, "
        f"30 % of the list pages in English), so no long-tail path is asked twice unless the "
        f"repeats column says so. "
        f"Before the run: {load_before}; after: {_load_note()}.",
        "",
        *_table(results),
    ]
    table = "\n".join(lines)
    print("\n" + table)
    if args.write:
        text = RESULTS.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{table}\n{END}"
        if BEGIN in text:
            text = re.sub(f"{re.escape(BEGIN)}.*?{re.escape(END)}", block, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n## Long-tail traffic (issue 10)\n\n" + block + "\n"
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()

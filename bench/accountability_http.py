"""HTTP benchmark of the accountability report and the supervisor dashboard, at the scale of
bench/seed.py (1M records by default).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        flock /tmp/portal-bench.lock .venv/bin/python bench/accountability_http.py [--write LABEL]

It adds benchmark accounts and their sessions (bench/admin_data.py), starts gunicorn with
production settings (DEBUG off), and for each screen and each account allowed to open it —
supervisors of 西湖区 (county), 杭州市 (city), 浙江省 (province) and the national authority,
the national administrator — keeps `--connections` signed-in keep-alive clients busy and
reports p50/p95, beside a trivial Django view measured the same way. Target: p95 ≤ 200 ms.
With `--write LABEL` the table replaces the section LABEL of the accountability part of
bench/RESULTS.md.
"""

import argparse
import datetime
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.keys import bench_keys_default  # noqa: E402

bench_keys_default()  # the keys bench/seed.py encrypted the identity numbers with

from bench.admin_http import (  # noqa: E402
    P95_TARGET_MS,
    RESULTS,
    _environment,
    _load,
    _load_average,
    _machine,
    _wait_for,
)

ROLES = ("supervisor", "national_admin", "bureau_admin")


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="per screen and account")
    parser.add_argument("--seconds", type=float, default=6.0, help="at most, per screen")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--levels", default="", help="only these levels, e.g. national")
    parser.add_argument("--only", default="", help="only screens whose name contains this")
    parser.add_argument("--write", default="", help="write the table as this section")
    parser.add_argument(
        "--roles",
        default="supervisor,national_admin",
        help=f"accounts measured, of {', '.join(ROLES)}",
    )
    parser.add_argument(
        "--exports", action="store_true", help="also the A4 page and the XLSX of the report"
    )
    parser.add_argument(
        "--max-load",
        type=float,
        default=1.5,
        help="wait (30 s at a time) until the 1-minute load average is below this and no "
        "test run is going on; 0 does not wait",
    )
    return parser.parse_args()


def _screens(today: datetime.date, exports: bool) -> list[tuple[str, str]]:
    def report(**params: str) -> str:
        return "/supervision/accountability/?" + urllib.parse.urlencode(params)

    quarter = (today.month - 1) // 3 + 1
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    last_year = str(today.year - 1)
    screens = [
        ("dashboard (admin home, every tile)", "/admin/"),
        (
            "report: this quarter",
            report(kind="quarter", year=str(today.year), quarter=str(quarter)),
        ),
        (
            "report: a month (last month)",
            report(kind="month", year=str(last_month.year), month=str(last_month.month)),
        ),
        ("report: last year", report(kind="year", year=last_year)),
        (
            "report: two-year range",
            report(
                kind="range",
                start=(today - datetime.timedelta(days=730)).isoformat(),
                end=today.isoformat(),
            ),
        ),
    ]
    if exports:
        screens += [
            (
                "report: print, last year",
                report(kind="year", year=last_year).replace("/?", "/print/?"),
            ),
            (
                "report: XLSX, this quarter",
                report(kind="quarter", year=str(today.year), quarter=str(quarter)).replace(
                    "/?", "/report.xlsx?"
                ),
            ),
        ]
    return screens


def _busy(max_load: float) -> str:
    """Why the machine is not quiet enough to time anything, or ""."""
    load = os.getloadavg()[0]
    tests = subprocess.run(["pgrep", "-f", "pytest"], capture_output=True, text=True).stdout
    if tests.split():
        return f"a test run is going on (load {load:.2f})"
    return f"load average {load:.2f}" if load >= max_load else ""


def _wait_until_quiet(max_load: float) -> None:
    if not max_load:
        return
    while reason := _busy(max_load):
        print(f"waiting 30 s: {reason}", flush=True)
        time.sleep(30)


def _tiles_shown(port: int, cookie: str) -> int:
    """How many tiles the admin home shows this account (0 would measure an empty page)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/admin/", headers={"Cookie": cookie})
    return connection.getresponse().read().decode().count('class="dashboard-tile ')


def main() -> None:
    args = _args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database bench/seed.py filled.")
    env = _environment(url)
    os.environ.update(env)
    import django

    django.setup()
    from django.utils import timezone

    from bench.admin_data import analyse, signed_in_accounts
    from kernel import dashboard
    from records.models import BadRecord
    from supervision.models import Lead, SupervisionMeasure

    analyse()
    roles = args.roles.split(",")
    accounts = [a for a in signed_in_accounts() if a.role in roles]
    total = BadRecord.objects.count()
    providers = [name for name, _provider in dashboard._providers]
    volumes = (
        f"{total:,} records, {SupervisionMeasure.objects.count():,} supervision measures, "
        f"{Lead.objects.count():,} leads; dashboard tile providers: {', '.join(providers)}"
    )
    today = timezone.localdate()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    gunicorn = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "blacklist_portal.wsgi:application",
            "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
            "--access-logfile", "/dev/null", "--log-level", "warning",
        ],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    rows: list[tuple[str, str, str, dict[str, float]]] = []
    tiles: dict[str, int] = {}
    try:
        _wait_for(args.port)
        _wait_until_quiet(args.max_load)
        load_before = _load_average()
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        trivial = [_load(args.port, "/bench/trivial", "", args) for _ in range(2)]
        for account in accounts:
            if args.levels and account.level not in args.levels.split(","):
                continue
            cookie = f"sessionid={account.session_key}"
            tiles[f"{account.role} {account.level}"] = _tiles_shown(args.port, cookie)
            for name, path in _screens(today, args.exports):
                if args.only not in name:
                    continue
                _load(args.port, path, cookie, args)  # warm up
                figures = _load(args.port, path, cookie, args)
                figures["load"] = os.getloadavg()[0]
                rows.append((name, account.role, account.level, figures))
                flag = "" if figures["p95"] <= P95_TARGET_MS else "  > target"
                print(
                    f"{name:30s} {account.role:15s} {account.level:9s} "
                    f"p50 {figures['p50']:7.1f}  p95 {figures['p95']:7.1f} ms "
                    f"({figures['requests']} req){flag} {figures['error']}",
                    flush=True,
                )
        trivial.append(_load(args.port, "/bench/trivial", "", args))
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    table = _table(rows, trivial, args, started, load_before, volumes, tiles)
    print("\n" + table)
    if args.write:
        _write(args.write, table)


def _table(
    rows: list,
    trivial: list,
    args: argparse.Namespace,
    started: str,
    load: str,
    volumes: str,
    tiles: dict[str, int],
) -> str:
    trivial_p50 = statistics.median(t["p50"] for t in trivial)
    trivial_p95 = statistics.median(t["p95"] for t in trivial)
    over = [r for r in rows if r[3]["p95"] > P95_TARGET_MS]
    errors = sum(r[3]["errors"] for r in rows)
    lines = [
        f"Run of {started} on {volumes} — {_machine()}. gunicorn with {args.workers} "
        f"sync workers, DEBUG off; {args.connections} signed-in keep-alive clients at once on "
        f"the same machine, up to {args.requests} requests per screen and account (at most "
        f"{args.seconds:.0f} s) after one such round of warm-up. Load average before the run "
        f"{load}, after {_load_average()}.",
        "",
        "Tiles on the admin home per account: "
        + ", ".join(f"{account} {count}" for account, count in tiles.items())
        + ".",
        "",
        f"Trivial Django view in the same run (start, start, end): p50 {trivial_p50:.1f} ms, "
        f"p95 {trivial_p95:.1f} ms. **{len(rows) - len(over)} of {len(rows)}** screen × "
        f"account rows within p95 ≤ {P95_TARGET_MS:.0f} ms; {errors} errors.",
        "",
        "| screen | role | level | p50 ms | p95 ms | p50 ÷ trivial p50 | ≤ 200 ms | load (1 min) |",
        "|---|---|---|---:|---:|---:|:-:|---:|",
    ]
    for name, role, level, f in rows:
        ok = "yes" if f["p95"] <= P95_TARGET_MS else "**no**"
        lines.append(
            f"| {name} | {role} | {level} | {f['p50']:.1f} | {f['p95']:.1f} | "
            f"{f['p50'] / trivial_p50:.0f}x | {ok} | {f['load']:.2f} |"
        )
    return "\n".join(lines)


def _write(label: str, table: str) -> None:
    begin = f"<!-- accountability-http-{label}:begin -->"
    end = f"<!-- accountability-http-{label}:end -->"
    text = RESULTS.read_text(encoding="utf-8")
    block = f"{begin}\n{table}\n{end}"
    if begin in text:
        text = re.sub(f"{re.escape(begin)}.*?{re.escape(end)}", lambda m: block, text, flags=re.S)
    else:
        text = text.rstrip() + f"\n\n### Accountability report and dashboard: {label}\n\n{block}\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()

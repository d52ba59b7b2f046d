"""HTTP benchmark of the staff screens (the admin lists), at the scale of bench/seed.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_admin \\
        flock /tmp/portal-bench.lock .venv/bin/python bench/admin_http.py [--write before]

Run it on a copy of the seeded database: it adds benchmark accounts, their sessions and, where
they are empty, the audit, archive-request and applicant-check lists (bench/admin_data.py).
It starts gunicorn with production settings (DEBUG off) plus one trivial Django view, then for
every screen and every account allowed to open it — one account per role and level: 西湖区
(county), 杭州市 (city), 浙江省 (province) and the national authority — keeps `--connections`
signed-in keep-alive clients busy and reports p50/p95. The trivial view is measured the same
way at the start and at the end of the run. Target: p95 ≤ 200 ms for every row. With
`--write LABEL` the table replaces the section LABEL of the staff-screens part of
bench/RESULTS.md.
"""

import argparse
import datetime
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.keys import bench_keys_default  # noqa: E402
from bench.machine import cpu_and_memory  # noqa: E402

bench_keys_default()  # the keys bench/seed.py encrypted the identity numbers with

RESULTS = ROOT / "bench" / "RESULTS.md"
P95_TARGET_MS = 200.0
RECORD_ROLES = {"filer", "reviewer", "supervisor"}
AUDIT_ROLES = RECORD_ROLES | {"bureau_admin", "national_admin"}
CHECK_ROLES = {"licensing_officer", "bureau_admin", "national_admin"}


@dataclass(frozen=True)
class Screen:
    name: str
    path: str
    roles: set[str]


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="per screen and account")
    parser.add_argument("--seconds", type=float, default=4.0, help="at most, per screen")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--roles", default="", help="only these roles (comma-separated), e.g. supervisor"
    )
    parser.add_argument("--levels", default="", help="only these levels, e.g. province,national")
    parser.add_argument("--only", default="", help="only screens whose name contains this")
    parser.add_argument("--write", default="", help="write the table as this section")
    return parser.parse_args()


def _environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings_bench",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY", "benchmark-only-not-a-secret"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        CELERY_BROKER_URL=env.get("CELERY_BROKER_URL", "memory://"),
    )
    return env


def _prepare() -> tuple[list, dict[str, str]]:
    """Accounts and sessions, the extra lists, and search terms taken from the data."""
    import django

    django.setup()
    from bench.admin_data import analyse, fill_staff_lists, signed_in_accounts
    from records.models import BadRecord

    started = time.perf_counter()
    filled = fill_staff_lists(archive_requests=50_000, checks=200_000)
    analyse(vacuum=bool(filled))
    if filled:
        print(f"filled: {', '.join(filled)} ({time.perf_counter() - started:.0f} s)")
    accounts = signed_in_accounts()
    xihu = BadRecord.objects.filter(filing_bureau__code="330106")
    operator = xihu.filter(subject_type="operator").exclude(licence_no="").order_by("id")[0]
    person = xihu.filter(subject_type="practitioner").order_by("id")[0]
    terms = {
        "licence": operator.licence_no,
        "credit": operator.credit_code,
        "certificate": person.certificate_no,
        "basis": operator.basis_number,
        "operator_name": operator.subject_name,
    }
    return accounts, terms


def _screens(terms: dict[str, str], level: str) -> list[Screen]:
    def q(**params: str) -> str:
        return "?" + urllib.parse.urlencode(params)

    records = "/admin/records/badrecord/"
    # The date filters' "this year", as Django's DateFieldListFilter links it.
    year = datetime.date.today().year
    this_year = q(at__gte=f"{year}-01-01", at__lt=f"{year + 1}-01-01")
    deep = "30" if level == "county" else "50"
    return [
        Screen("records: first page", records, RECORD_ROLES),
        Screen("records: search 国际旅行社", records + q(q="国际旅行社"), RECORD_ROLES),
        Screen("records: search licence no.", records + q(q=terms["licence"]), RECORD_ROLES),
        Screen("records: search credit code", records + q(q=terms["credit"]), RECORD_ROLES),
        Screen("records: search certificate", records + q(q=terms["certificate"]), RECORD_ROLES),
        Screen("records: search basis doc no.", records + q(q=terms["basis"]), RECORD_ROLES),
        Screen(f"records: page {deep}", records + q(p=deep), RECORD_ROLES),
        Screen("records: status published", records + q(status__exact="published"), RECORD_ROLES),
        Screen("records: timeliness overdue", records + q(timeliness="overdue"), RECORD_ROLES),
        Screen("records: timeliness due soon", records + q(timeliness="due_soon"), RECORD_ROLES),
        Screen("records: published late", records + q(timeliness="late"), RECORD_ROLES),
        Screen("records: ground G1", records + q(ground__exact="G1"), RECORD_ROLES),
        Screen(
            "records: practitioners",
            records + q(subject_type__exact="practitioner"),
            RECORD_ROLES,
        ),
        Screen(
            "records: basis civil judgment",
            records + q(basis_type__exact="civil_judgment"),
            RECORD_ROLES,
        ),
        Screen(
            "records: archived + G5, page 5",
            records + q(status__exact="archived", ground__exact="G5", p="5"),
            RECORD_ROLES,
        ),
        # 西湖区 is inside every level's jurisdiction (county, 杭州市, 浙江省, the country).
        Screen("records: region 西湖区", records + q(region="330106"), RECORD_ROLES),
        Screen("records: filed by 西湖区", records + q(filed_by_bureau="330106"), RECORD_ROLES),
        Screen("operators: first page", "/admin/records/operator/", RECORD_ROLES),
        Screen(
            "operators: search name",
            "/admin/records/operator/" + q(q=terms["operator_name"][:6]),
            RECORD_ROLES,
        ),
        Screen(
            "operators: sector filter",
            "/admin/records/operator/" + q(sector__exact="travel_agency"),
            RECORD_ROLES,
        ),
        Screen("operators: page 50", "/admin/records/operator/" + q(p="50"), RECORD_ROLES),
        Screen("practitioners: first page", "/admin/records/practitioner/", RECORD_ROLES),
        Screen(
            "practitioners: search 张伟",
            "/admin/records/practitioner/" + q(q="张伟"),
            RECORD_ROLES,
        ),
        Screen(
            "practitioners: kind filter",
            "/admin/records/practitioner/" + q(kind__exact="guide"),
            RECORD_ROLES,
        ),
        Screen("audit: first page", "/admin/kernel/auditevent/", AUDIT_ROLES),
        Screen(
            "audit: action filter",
            "/admin/kernel/auditevent/" + q(action="record_publish"),
            AUDIT_ROLES,
        ),
        Screen("audit: page 50", "/admin/kernel/auditevent/" + q(p="50"), AUDIT_ROLES),
        Screen("audit: this year", "/admin/kernel/auditevent/" + this_year, AUDIT_ROLES),
        Screen(
            "archive requests: first page", "/admin/archive/archiverequest/", {"archive_reviewer"}
        ),  # fmt: skip
        Screen(
            "archive requests: open",
            "/admin/archive/archiverequest/" + q(deadline="open"),
            {"archive_reviewer"},
        ),
        Screen(
            "archive requests: overdue",
            "/admin/archive/archiverequest/" + q(deadline="overdue"),
            {"archive_reviewer"},
        ),
        Screen(
            "archive requests: approved",
            "/admin/archive/archiverequest/" + q(status__exact="approved"),
            {"archive_reviewer"},
        ),
        Screen(
            "archive requests: tourists",
            "/admin/archive/archiverequest/" + q(relationship__exact="tourist"),
            {"archive_reviewer"},
        ),
        Screen(
            "archive requests: search",
            "/admin/archive/archiverequest/" + q(q="国际旅行社"),
            {"archive_reviewer"},
        ),
        Screen("licensing checks: first page", "/admin/licensing/applicantcheck/", CHECK_ROLES),
        Screen(
            "licensing checks: verdict listed",
            "/admin/licensing/applicantcheck/" + q(verdict__exact="listed"),
            CHECK_ROLES,
        ),
        Screen(
            "licensing checks: guide certificates",
            "/admin/licensing/applicantcheck/" + q(application_type__exact="guide_certificate"),
            CHECK_ROLES,
        ),
        Screen(
            "licensing checks: from batches",
            "/admin/licensing/applicantcheck/" + q(source__exact="batch"),
            CHECK_ROLES,
        ),
        Screen(
            "licensing checks: this year",
            "/admin/licensing/applicantcheck/" + this_year.replace("at__", "created_at__"),
            CHECK_ROLES,
        ),
        Screen(
            "licensing checks: search",
            "/admin/licensing/applicantcheck/" + q(q="国际旅行社"),
            CHECK_ROLES,
        ),
    ]


def _wait_for(port: int, timeout: float = 180.0) -> None:
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


def _load(port: int, path: str, cookie: str, args: argparse.Namespace) -> dict[str, float]:
    """`--connections` clients, each signed in with the same session, request `path` until
    `--requests` answers are in or `--seconds` have passed (at least two rounds)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds
    per_client = max(2, args.requests // args.connections)
    headers = {"Accept-Encoding": "identity", "Cookie": cookie, "Accept-Language": "zh-hans"}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        for n in range(per_client):
            if n >= 2 and time.monotonic() > stop_at:
                break
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{path}: {error}")
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        "errors": len(errors),
        "error": errors[0] if errors else "",
    }


def _warm_up(args: argparse.Namespace, accounts: list, terms: dict[str, str]) -> None:
    """Every screen of every account a few times before any is measured: a worker's first
    admin pages pay for lazy imports, template compilation and the garbage collector's first
    full passes over a growing heap, which would otherwise land in the first screen's p95."""
    brief = argparse.Namespace(**{**vars(args), "requests": 2 * args.connections, "seconds": 1})
    for account in accounts:
        cookie = f"sessionid={account.session_key}"
        for screen in _screens(terms, account.level):
            if account.role in screen.roles and args.only in screen.name:
                _load(args.port, screen.path, cookie, brief)


def _machine() -> str:
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout
    return f"{cpu_and_memory()}; {postgres.strip() or 'PostgreSQL'}"


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    args = _args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a copy of the PostgreSQL database bench/seed.py filled.")
    env = _environment(url)
    os.environ.update(env)
    accounts, terms = _prepare()
    roles = set(filter(None, args.roles.split(",")))
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
    load_before = _load_average()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        _wait_for(args.port)
        trivial = [_load(args.port, "/bench/trivial", "", args) for _ in range(2)]
        chosen = [
            account
            for account in accounts
            if (not roles or account.role in roles)
            and (not args.levels or account.level in args.levels.split(","))
        ]
        _warm_up(args, chosen, terms)
        for account in chosen:
            cookie = f"sessionid={account.session_key}"
            for screen in _screens(terms, account.level):
                if account.role not in screen.roles or args.only not in screen.name:
                    continue
                _load(args.port, screen.path, cookie, args)  # warm up
                figures = _load(args.port, screen.path, cookie, args)
                rows.append((screen.name, account.role, account.level, figures))
                flag = "" if figures["p95"] <= P95_TARGET_MS else "  > target"
                print(
                    f"{screen.name:36s} {account.role:18s} {account.level:9s} "
                    f"p50 {figures['p50']:7.1f}  p95 {figures['p95']:7.1f} ms "
                    f"({figures['requests']} req){flag} {figures['error']}",
                    flush=True,
                )
        trivial.append(_load(args.port, "/bench/trivial", "", args))
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    table = _table(rows, trivial, args, started, load_before)
    print("\n" + table)
    if args.write:
        _write(args.write, table)


def _table(rows: list, trivial: list, args: argparse.Namespace, started: str, load: str) -> str:
    trivial_p50 = statistics.median(t["p50"] for t in trivial)
    trivial_p95 = statistics.median(t["p95"] for t in trivial)
    over = [r for r in rows if r[3]["p95"] > P95_TARGET_MS]
    errors = sum(r[3]["errors"] for r in rows)
    lines = [
        f"Run of {started} — {_machine()}. gunicorn with {args.workers} sync workers, DEBUG "
        f"off; {args.connections} signed-in keep-alive clients at once on the same machine, "
        f"up to {args.requests} requests per screen and account (at most {args.seconds:.0f} s) "
        f"after one such round of warm-up (and, before the first, every screen of every "
        f"account {2 * args.connections} times). Load average before the run {load}, after "
        f"{_load_average()}.",
        "",
        f"Trivial Django view in the same run (start, start, end): p50 {trivial_p50:.1f} ms, "
        f"p95 {trivial_p95:.1f} ms. **{len(rows) - len(over)} of {len(rows)}** screen × "
        f"account rows within p95 ≤ {P95_TARGET_MS:.0f} ms; {errors} errors.",
        "",
        "| screen | role | level | p50 ms | p95 ms | p50 ÷ trivial p50 | ≤ 200 ms |",
        "|---|---|---|---:|---:|---:|:-:|",
    ]
    for name, role, level, f in rows:
        ok = "yes" if f["p95"] <= P95_TARGET_MS else "**no**"
        lines.append(
            f"| {name} | {role} | {level} | {f['p50']:.1f} | {f['p95']:.1f} | "
            f"{f['p50'] / trivial_p50:.0f}x | {ok} |"
        )
    return "\n".join(lines)


def _write(label: str, table: str) -> None:
    begin, end = f"<!-- admin-http-{label}:begin -->", f"<!-- admin-http-{label}:end -->"
    text = RESULTS.read_text(encoding="utf-8")
    block = f"{begin}\n{table}\n{end}"
    if begin in text:
        text = re.sub(f"{re.escape(begin)}.*?{re.escape(end)}", lambda m: block, text, flags=re.S)
    else:
        text = text.rstrip() + f"\n\n### Staff screens: {label}\n\n{block}\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()

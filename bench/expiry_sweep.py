"""The expiry sweep of 100,000 due records, side by side with one raw SQL UPDATE of the same
rows, on PostgreSQL (issue 3, item 8; target: the sweep at most 3x the raw UPDATE).

    flock /tmp/portal-bench.lock .venv/bin/python bench/expiry_sweep.py [--due 100000] [--repeat 5]

The script works in scratch databases of its own on the server of BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres): it migrates and fills `portal_bench_sweep`
once, then for every timed run copies it afresh (CREATE DATABASE … TEMPLATE) into
`portal_bench_sweep_run`, so both contenders start from identical rows. Both databases are
dropped at the end. The lead's `portal_bench` is never touched.

Besides the due records the table holds records that must not move (published and not yet
ended, scheduled for later, already archived) and one earlier audit event per record, so
that both statements work on indexes of a realistic size.

"sweep" is `records.services.expiry.disclosures_expire` as beat runs it: the
conditional UPDATE of published (and of scheduled-and-ended) records, plus one audit event
per archived record. "raw" is the bare UPDATE with no audit trail. Both include the commit.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_and_memory  # noqa: E402

TEMPLATE_DB = "portal_bench_sweep"
RUN_DB = "portal_bench_sweep_run"
RESULTS = ROOT / "bench" / "RESULTS.md"
START_MARK = "<!-- expiry-sweep:start -->"
END_MARK = "<!-- expiry-sweep:end -->"

RAW_UPDATE = (
    "UPDATE records_badrecord SET status = 'archived', archived_at = now() "
    "WHERE status = 'published' AND public_until < %s"
)


def _server_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _database_url(name: str) -> str:
    parts = urlsplit(_server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    """Run one statement on the server's maintenance database, outside a transaction."""
    import psycopg2

    connection = psycopg2.connect(_server_url())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def _django(database: str) -> None:
    os.environ["DATABASE_URL"] = _database_url(database)
    os.environ["DATABASE_CONN_MAX_AGE"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blacklist_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="portal-bench-"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from bench.keys import bench_keys_default

    bench_keys_default()  # the keys bench/seed.py encrypted the identity numbers with
    import django

    django.setup()


# One row of records_badrecord per number n, with pf and pu its first and last public day.
RECORD_ROW = {
    "subject_type": "'operator'",
    "operator_id": "%(operator)s + n %% 1000",
    "subject_name": "'杭州基准旅行社有限公司' || n",
    "subject_name_key": "'杭州基准旅行社有限公司' || n",
    "licence_no": "'L-ZJ-B' || n",
    "business_address": "'浙江省杭州市西湖区文三路' || n || '号'",
    "legal_representative": "'王明'",
    "ground": "'G1'",
    "cause": "'未按合同约定安排住宿，擅自增加购物点，造成游客投诉'",
    "penalty_decision": "'罚款人民币三万元'",
    "basis_type": "'penalty_decision'",
    "basis_number": "'杭西文旅罚〔2024〕' || n || '号'",
    "basis_number_key": "'杭西文旅罚〔2024〕' || n || '号'",
    "basis_issuer": "'杭州市西湖区文化和广电旅游体育局'",
    "basis_issuer_key": "'杭州市西湖区文化和广电旅游体育局'",
    "basis_date": "pf - 20",
    "obtained_on": "pf - 20",
    "publish_deadline": "pf - 10",
    "is_late": "false",
    "period_years": "2",
    "status": "%(status)s",
    "public_from": "pf",
    "public_until": "pu",
    "version": "1",
    "filing_bureau_id": "%(bureau)s",
    "filed_by_id": "%(filer)s",
    "archived_at": "CASE WHEN %(status)s = 'archived' THEN now() - interval '30 days' END",
    "created_at": "now()",
    "updated_at": "now()",
}


def _complete_record_row() -> None:
    """Columns this script does not name (other branches add search keys and the like) get
    an empty string or NULL, as a new record would before its first save."""
    from records.models import BadRecord

    for field in BadRecord._meta.concrete_fields:
        if field.primary_key or field.column in RECORD_ROW:
            continue
        if field.null:
            RECORD_ROW[field.column] = "NULL"
        elif field.get_internal_type() in ("CharField", "TextField"):
            RECORD_ROW[field.column] = "''"
        else:
            raise SystemExit(f"bench/expiry_sweep.py does not know what to put in {field.column}")


def _fill(*, due: int, today: datetime.date) -> dict[str, int]:
    """Migrate and fill the current database. Returns how many rows of each kind."""
    from django.core.management import call_command
    from django.db import connection

    from kernel.audit import audit_log_bulk
    from records.models import BadRecord, Bureau, Operator, User

    call_command("migrate", verbosity=0)
    _complete_record_row()
    national = Bureau.objects.create(code="000000", name="全国", level="national", path="000000/")
    province = Bureau.objects.create(
        code="330000", name="浙江省", level="province", parent=national, path="000000/330000/"
    )
    bureau = Bureau.objects.create(
        code="330106",
        name="西湖区",
        level="county",
        parent=province,
        path="000000/330000/330106/",
    )
    filer = User.objects.create(username="bench-filer", bureau=bureau, is_staff=True)
    Operator.objects.bulk_create(
        Operator(
            name=f"杭州基准旅行社有限公司{n}",
            name_key=f"杭州基准旅行社有限公司{n}",
            region=bureau,
            created_by_bureau=bureau,
            sector="travel_agency",
            licence_no=f"L-ZJ-B{n:06d}",
        )
        for n in range(1000)
    )
    first_operator = Operator.objects.order_by("pk").values_list("pk", flat=True).first()
    last_day = "(%(today)s::date + ({low} + n %% {span}))"
    first_day_of = "((({pu}) + 1) - interval '2 years')::date"
    kinds = {
        # kind: (how many, status, last public day relative to today: lowest, highest)
        "due": (due, "published", (-60, -1)),
        "public": (due // 2, "published", (0, 700)),
        "scheduled": (due // 20, "scheduled", (731, 760)),
        "archived": (due // 5, "archived", (-700, -61)),
    }
    offset = 0
    with connection.cursor() as cursor:
        for count, status, (low, high) in kinds.values():
            public_until = last_day.format(low=low, span=high - low + 1)
            public_from = first_day_of.format(pu=public_until)
            cursor.execute(
                f"""
                INSERT INTO records_badrecord ({", ".join(RECORD_ROW)})
                SELECT {", ".join(RECORD_ROW.values())}
                FROM (
                    SELECT n, {public_from} AS pf, {public_until} AS pu
                    FROM generate_series(%(first)s, %(last)s) AS n
                ) AS rows
                """,  # noqa: S608 - fixed SQL fragments of this script only
                {
                    "operator": first_operator,
                    "status": status,
                    "today": today,
                    "bureau": bureau.pk,
                    "filer": filer.pk,
                    "first": offset + 1,
                    "last": offset + count,
                },
            )
            offset += count
        cursor.execute(
            "SELECT count(*) FROM records_badrecord WHERE status = 'published' "
            "AND public_until < %s",
            [today],
        )
        assert cursor.fetchone()[0] == due, "the due rows are not what the script meant"
    # The earlier events go through the audit writer, so that they are links of the chain.
    ids = list(BadRecord.objects.order_by("id").values_list("id", flat=True))
    audit_log_bulk(
        actor=filer,
        action="record_publish",
        object_type="badrecord",
        object_ids=ids,
        record_ids=ids,
        before={"status": "submitted"},
        after={"status": "published"},
    )
    return {kind: spec[0] for kind, spec in kinds.items()}


def _fresh_copy() -> None:
    from django.db import connections

    connections.close_all()
    _admin(f"DROP DATABASE IF EXISTS {RUN_DB}")
    _admin(f"CREATE DATABASE {RUN_DB} TEMPLATE {TEMPLATE_DB}")
    from django.db import connection

    with connection.cursor() as cursor:
        # Same starting point for both: tables and indexes read once, dirty pages flushed.
        cursor.execute("SELECT count(*) FROM records_badrecord")
        cursor.execute("SELECT count(*) FROM kernel_auditevent")
        cursor.execute("CHECKPOINT")


def _time_sweep(today: datetime.date, due: int) -> float:
    from django.db import connection

    from records.services.expiry import disclosures_expire

    started = time.perf_counter()
    archived = disclosures_expire(today=today)
    elapsed = time.perf_counter() - started
    assert archived == due, archived
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM kernel_auditevent WHERE action = 'record_archive'")
        assert cursor.fetchone()[0] == due
    return elapsed


def _time_raw(today: datetime.date, due: int) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_UPDATE, [today])
        updated = cursor.rowcount
    elapsed = time.perf_counter() - started
    assert updated == due, updated
    return elapsed


def _machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return f"{cpu_and_memory()}; PostgreSQL {server} (shared_buffers {buffers}) on the same machine"


def _write_results(text: str) -> None:
    section = f"{START_MARK}\n{text}\n{END_MARK}"
    old = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if START_MARK in old and END_MARK in old:
        new = old[: old.index(START_MARK)] + section + old[old.index(END_MARK) + len(END_MARK) :]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(new)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--due", type=int, default=100_000, help="due records (100000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (5)")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    _django(RUN_DB)
    from django.db import connections
    from django.utils import timezone

    today = timezone.localdate()
    _admin(f"DROP DATABASE IF EXISTS {RUN_DB}")
    _admin(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")
    try:
        _admin(f"CREATE DATABASE {RUN_DB}")
        started = time.perf_counter()
        rows = _fill(due=args.due, today=today)
        with connections["default"].cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        machine = _machine()
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'records_badrecord'")
            indexes = cursor.fetchone()[0]
        connections.close_all()
        _admin(f"ALTER DATABASE {RUN_DB} RENAME TO {TEMPLATE_DB}")
        print(f"filled {rows} in {time.perf_counter() - started:.1f} s", flush=True)

        timings: dict[str, list[float]] = {"sweep": [], "raw": []}
        for run in range(args.repeat):
            # Alternate who goes first, so that neither always meets a warmer server.
            order = ("sweep", "raw") if run % 2 == 0 else ("raw", "sweep")
            for name in order:
                _fresh_copy()
                seconds = (_time_sweep if name == "sweep" else _time_raw)(today, args.due)
                timings[name].append(seconds)
                print(f"run {run + 1} {name}: {seconds:.3f} s", flush=True)
    finally:
        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {RUN_DB}")
        _admin(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")

    sweep, raw = (statistics.median(timings[k]) for k in ("sweep", "raw"))
    ratio = sweep / raw
    fastest_ratio = min(timings["sweep"]) / min(timings["raw"])
    worst = max(ratio, fastest_ratio)
    verdict = "meets" if worst <= 3 else "misses"
    pairs = ", ".join(
        f"{s_:.2f}/{r_:.2f}" for s_, r_ in zip(timings["sweep"], timings["raw"], strict=True)
    )
    summary = "\n".join(
        [
            "## Expiry sweep (issue 3)",
            "",
            f"`bench/expiry_sweep.py --due {args.due} --repeat {args.repeat}`, "
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC. "
            f"{args.due:,} due published records among {sum(rows.values()):,} "
            f"(+{rows['public']:,} still public, {rows['scheduled']:,} scheduled for later, "
            f"{rows['archived']:,} already archived) and one earlier audit event per record; "
            "each run on a fresh copy of the same database.",
            "",
            "| | median | fastest | slowest |",
            "|---|---|---|---|",
            *(
                f"| {label} | {statistics.median(timings[k]):.3f} s | {min(timings[k]):.3f} s "
                f"| {max(timings[k]):.3f} s |"
                for k, label in (
                    (
                        "sweep",
                        "`disclosures_expire` (UPDATE … RETURNING + chained audit INSERT … SELECT)",
                    ),
                    ("raw", "one raw `UPDATE … WHERE status='published' AND public_until < today`"),
                )
            ),
            "",
            f"Ratio sweep / raw UPDATE: **{ratio:.2f}x** of the medians, **{fastest_ratio:.2f}x** "
            f"of the fastest runs — {verdict} the target of at most 3x. Each run, sweep/raw "
            f"seconds: {pairs}.",
            "",
            "Why the bare UPDATE is this slow: `status` is in four of the table's "
            f"{indexes} indexes (and in the condition of the partial unique index), so no "
            "update is HOT and every archived row adds an entry to every index: about 15 "
            "WAL records per row (EXPLAIN (ANALYZE, WAL) on 13 indexes). The audit trail adds "
            f"{args.due:,} narrow rows to a table with five indexes, which costs much less; "
            "the ids travel back and forth once (UPDATE … RETURNING, then one array parameter).",
            "",
            f"Machine: {machine}. The machine is shared by four engineers: benchmarks are "
            "serialised with `flock /tmp/portal-bench.lock`, but others' tests and data loads "
            "may run at the same time, so absolute times are noisy; the ratio of runs on "
            "the same copy of the data, side by side, is the figure to compare.",
        ]
    )
    print("\n" + summary)
    if not args.no_write:
        _write_results(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the licence-review lookup (issue 4, point 8).

    # matching quality on the labelled corpus (any database, nothing written):
    .venv/bin/python bench/licensing_checks.py corpus
    # latency and batch time on the benchmark database of bench/seed.py (a copy of it):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_lic \\
        flock /tmp/portal-bench.lock .venv/bin/python bench/licensing_checks.py latency --checks 500
    DATABASE_URL=... flock /tmp/portal-bench.lock \
        .venv/bin/python bench/licensing_checks.py batch --rows 10000

`latency` and `batch` write applicant checks (and one officer account, bench-licensing) into
the database they are given; run them on a copy (`createdb -T portal_bench portal_bench_lic`)
migrated with this branch.
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blacklist_portal.settings")
from bench.keys import bench_keys_default  # noqa: E402

bench_keys_default()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from opencc import OpenCC  # noqa: E402

from bench.licensing_corpus import pairs  # noqa: E402
from licensing.matching import score_operator_names, score_person_names  # noqa: E402

S2T = OpenCC("s2t")


def level(kind: str, applicant: str, listed: str) -> str:
    """The level one active record of this name would reach (licensing.lookup's rules for a
    match by name alone)."""
    if kind == "person":
        return "possible" if score_person_names(applicant, listed).value >= 100 else ""
    score = score_operator_names(applicant, listed)
    if score.value >= settings.LICENSING_LISTED_NAME_SCORE:
        return "listed"
    return "possible" if score.value >= settings.LICENSING_REVIEW_NAME_SCORE else ""


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a (0/0)"


def corpus() -> None:
    rows = pairs()
    print(f"corpus: {len(rows)} pairs")
    for kind in ("operator", "person"):
        subset = [r for r in rows if r[2] == kind]
        same = [r for r in subset if r[3] == "same"]
        results = [(r, level(kind, r[0], r[1])) for r in subset]
        listed = [r for r, lv in results if lv == "listed"]
        possible = [r for r, lv in results if lv == "possible"]
        flagged = listed + possible
        print(f"\n{kind}: {len(same)} same-subject pairs, {len(subset) - len(same)} different")
        print(
            "  listed    precision",
            _ratio(sum(r[3] == "same" for r in listed), len(listed)),
            " recall",
            _ratio(sum(r[3] == "same" for r in listed), len(same)),
        )
        print(
            "  possible  precision",
            _ratio(sum(r[3] == "same" for r in possible), len(possible)),
            " recall",
            _ratio(sum(r[3] == "same" for r in possible), len(same)),
        )
        print(
            "  flagged (listed or possible) precision",
            _ratio(sum(r[3] == "same" for r in flagged), len(flagged)),
            " recall",
            _ratio(sum(r[3] == "same" for r in flagged), len(same)),
        )
        misses = [r for r, lv in results if (lv == "") == (r[3] == "same")]
        by_how: dict[str, int] = {}
        for r in misses:
            by_how[f"{r[3]}/{r[4]}"] = by_how.get(f"{r[3]}/{r[4]}", 0) + 1
        print("  errors by kind of pair:", by_how or "none")
        for r in misses[:6]:
            print("    ", r[0], "|", r[1], "|", r[3], r[4])


def corpus_through_database() -> None:
    """The labelled corpus and the generated one through the lookup of the database of
    DATABASE_URL (each listed name an active record, each applicant looked up), inside a
    transaction that is rolled back: the figures of that database, nothing left behind. Use an
    empty migrated database, so that no other operator competes for the candidates."""
    from django.db import transaction

    from bench.licensing_corpus import generated_pairs
    from licensing.lookup import Applicant, lookup
    from records.models import RecordStatus, User
    from tests import factories

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    with transaction.atomic():
        bureau = factories.bureau("339901", "语料测试区")
        filer = User.objects.create_user(username="corpus-filer", bureau=bureau)
        for name, corpus in (("labelled", pairs()), ("generated", generated_pairs())):
            records = {}
            for _applicant, listed, kind, _label, _how in corpus:
                if (kind, listed) not in records:
                    make = factories.operator if kind == "operator" else factories.practitioner
                    subject = make(region=bureau, name=listed)
                    record = factories.record(
                        filer=filer, subject=subject, status=RecordStatus.PUBLISHED
                    )
                    records[(kind, listed)] = record.reference
            levels = []
            for applicant, listed, kind, label, how in corpus:
                person = kind != "operator"
                result = lookup(
                    applicant=Applicant(kind="person" if person else "operator", name=applicant),
                    bureau=bureau,
                )
                found = {m["record"]: m["level"] for m in result.matches}
                levels.append(
                    ((applicant, listed, kind, label, how), found.get(records[(kind, listed)], ""))
                )
            _report(name, levels)
        transaction.set_rollback(True)


def _report(name: str, results: list) -> None:
    print(f"\n{name} corpus: {len(results)} pairs")
    for kind in ("operator", "person"):
        subset = [(r, lv) for r, lv in results if r[2] == kind]
        if not subset:
            continue
        labelled = [(r, lv) for r, lv in subset if r[3] in ("same", "different")]
        if not labelled:
            counts = {
                lv or "not listed": sum(1 for _r, x in subset if x == lv) for _r, lv in subset
            }
            print(f"  {kind}: levels {counts} (unlabelled: compared with the matching module)")
            continue
        same = [r for r, _lv in labelled if r[3] == "same"]
        for what, wanted in (("listed", {"listed"}), ("flagged", {"listed", "possible"})):
            hits = [r for r, lv in labelled if lv in wanted]
            right = sum(r[3] == "same" for r in hits)
            print(
                f"  {kind} {what:8} precision {_ratio(right, len(hits))}  recall "
                f"{_ratio(right, len(same))}"
            )


def _officer():
    from records.models import Bureau, User
    from records.roles import Role

    bureau = Bureau.objects.get(code="330106")
    user, _ = User.objects.get_or_create(
        username="bench-licensing", defaults={"bureau": bureau, "is_staff": True}
    )
    user.groups.add(Group.objects.get(name=Role.LICENSING_OFFICER.value))
    return user


def _sample_inputs(n: int, seed: int = 7) -> list[dict[str, str]]:
    """A mix like a bureau's day: listed companies by name (some written in traditional
    characters), companies not on the list, licence numbers, persons by name (common names
    with many namesakes) and by certificate."""
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT subject_name, licence_no, certificate_no, subject_type FROM records_badrecord "
            "WHERE status = 'published' ORDER BY id LIMIT 20000"
        )
        public = cursor.fetchall()
    operators = [r for r in public if r[3] == "operator"]
    persons = [r for r in public if r[3] == "practitioner"]
    licences = [r for r in operators if r[1]]
    certificates = [r for r in persons if r[2]]
    inputs = []
    for i in range(n):
        slot = i % 10
        base = {"application_ref": f"BENCH-{i}", "application_type": "travel_agency_licence"}
        if slot < 3:
            name = rng.choice(operators)[0]
            name = S2T.convert(name) if slot == 0 else name
            inputs.append({**base, "applicant_kind": "operator", "name": name})
        elif slot < 5:
            inputs.append(
                {
                    **base,
                    "applicant_kind": "operator",
                    "name": f"{rng.choice('东南西北')}{rng.choice('春夏秋冬')}新开"
                    f"{rng.randint(1, 999)}旅行社有限公司",
                }
            )
        elif slot == 5:
            row = rng.choice(licences)
            inputs.append(
                {**base, "applicant_kind": "operator", "name": row[0], "licence_no": row[1]}
            )
        elif slot < 9:
            inputs.append(
                {
                    **base,
                    "applicant_kind": "person",
                    "name": rng.choice(persons)[0],
                    "application_type": "guide_certificate",
                }
            )
        else:
            row = rng.choice(certificates)
            inputs.append(
                {
                    **base,
                    "applicant_kind": "person",
                    "name": row[0],
                    "certificate_no": row[2],
                    "application_type": "guide_certificate",
                }
            )
    return inputs


def _machine() -> str:
    cores = os.cpu_count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
        counts = {}
        for table in ("records_badrecord", "records_operator", "records_practitioner"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM records_badrecord WHERE status = 'published' "
            "AND public_until >= current_date"
        )
        counts["public"] = cursor.fetchone()[0]
    return f"{cores} cores (shared), {version}, {counts}"


def latency(checks: int) -> None:
    from licensing.inputs import clean_check_input
    from licensing.models import CheckSource
    from licensing.services.checks import applicant_check

    officer = _officer()
    inputs = _sample_inputs(checks + 20)
    print(_machine())
    for data in inputs[:20]:  # warm the connection and caches
        applicant_check(by=officer, data=clean_check_input(data), source=CheckSource.WEB)
    times: dict[str, list[float]] = {"all": [], "operator": [], "person": []}
    verdicts: dict[str, int] = {}
    for data in inputs[20:]:
        start = time.perf_counter()
        check = applicant_check(by=officer, data=clean_check_input(data), source=CheckSource.WEB)
        elapsed = (time.perf_counter() - start) * 1000
        times["all"].append(elapsed)
        times[data["applicant_kind"] if data["applicant_kind"] == "person" else "operator"].append(
            elapsed
        )
        verdicts[check.verdict] = verdicts.get(check.verdict, 0) + 1
    for key, values in times.items():
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"{key:9} n={len(values):4}  p50 {statistics.median(values):6.1f} ms  "
            f"p95 {p95:6.1f} ms  max {values[-1]:6.1f} ms"
        )
    print("verdicts:", verdicts)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of a process of this machine (PostgreSQL's backend included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker(results) -> None:
    from django.db import connections

    from kernel.jobs import outbox_drain

    connections.close_all()  # a forked process opens its own connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    outbox_drain(seconds=3600)
    python = time.process_time()
    results.put((python, _cpu_seconds(backend)))


def batch(rows: int, workers: int) -> None:
    """Upload a file of `rows` applicants, then run it the way the Celery worker does: as
    many processes as the batch has parts, each draining the job outbox."""
    import multiprocessing

    from django.db import connections

    from licensing.inputs import FIELDS
    from licensing.services.batches import batch_create

    settings.LICENSING_BATCH_PARTS = workers
    officer = _officer()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    for data in _sample_inputs(rows, seed=11):
        writer.writerow(data)
    content = out.getvalue().encode("utf-8")
    print(_machine())
    load_before = os.getloadavg()
    start = time.perf_counter()
    created = batch_create(by=officer, file_name="bench.csv", content=content)
    parsed = time.perf_counter()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [context.Process(target=_worker, args=(results,)) for _ in range(workers)]
    for process in processes:
        process.start()
    cpu = [results.get() for _ in processes]
    for process in processes:
        process.join()
    done = time.perf_counter()
    created.refresh_from_db()
    python, postgres = sum(c[0] for c in cpu), sum(c[1] for c in cpu)
    print(
        f"batch of {created.total} rows in {created.parts.count()} parts, {workers} worker "
        f"processes: upload+parse {parsed - start:.1f} s, run {done - parsed:.1f} s, total "
        f"{done - start:.1f} s; {len(created.row_errors)} bad rows; status {created.status}"
    )
    # The CPU the batch itself used (its worker processes and their PostgreSQL backends):
    # on a machine shared with other work, run time divided by it says how much of the
    # machine the batch got.
    print(
        f"CPU: workers {python:.1f} s, their PostgreSQL backends {postgres:.1f} s, together "
        f"{python + postgres:.1f} s ({(python + postgres) / (done - parsed):.2f} of "
        f"{os.cpu_count()} cores busy on average); load average before "
        f"{load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["corpus", "corpus-db", "latency", "batch"])
    parser.add_argument("--checks", type=int, default=500)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.what == "corpus":
        corpus()
    elif args.what == "corpus-db":
        corpus_through_database()
    elif args.what == "latency":
        latency(args.checks)
    else:
        batch(args.rows, args.workers)


if __name__ == "__main__":
    main()

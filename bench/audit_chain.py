"""The cost of one audit event on PostgreSQL (issue 9): N calls of `audit_log`, each its own
transaction (as a service writes it), against N plain INSERTs of the same event with no
chain; then the same inside one transaction, and the check of the chain.

    flock /tmp/portal-bench.lock .venv/bin/python bench/audit_chain.py [--events 3000]

Works in a scratch database `portal_bench_audit` on the server of BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432/postgres), created and dropped by the script.
Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.expiry_sweep import _admin, _django, _machine  # noqa: E402

DB = "portal_bench_audit"


def _per_event(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e6:,.0f} µs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args()
    n = args.events
    _admin(f"DROP DATABASE IF EXISTS {DB}")
    _admin(f"CREATE DATABASE {DB}")
    _django(DB)
    from django.core.management import call_command
    from django.db import connections, transaction

    from kernel.audit import audit_log
    from kernel.audit_chain import audit_chain_verify
    from kernel.models import AuditEvent
    from records.models import User

    try:
        call_command("migrate", verbosity=0)
        user = User.objects.create(username="bench-audit")
        rows: list[tuple[str, str, float]] = []

        def plain() -> None:
            AuditEvent.objects.create(
                actor=user, action="bench", object_type="user", object_id=str(user.pk), hash=""
            )

        def chained() -> None:
            audit_log(actor=user, action="bench", obj=user, after={"n": 1})

        # Chained first: plain INSERTs take ids from the sequence, which the writer keeps ahead.
        for label, write in (("`audit_log`", chained), ("plain INSERT, no chain", plain)):
            started = time.perf_counter()
            for _ in range(n):
                write()  # autocommit: one transaction per event
            alone = time.perf_counter() - started
            started = time.perf_counter()
            with transaction.atomic():
                for _ in range(n):
                    write()
            together = time.perf_counter() - started
            rows.append((label, _per_event(alone, n), _per_event(together, n)))
        # The plain rows above are not links: check the chain on the chained ones only.
        with connections["default"].cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("DELETE FROM kernel_auditevent WHERE hash = ''")
            cursor.execute("SET session_replication_role = origin")
        started = time.perf_counter()
        report = audit_chain_verify()
        verify = time.perf_counter() - started
        assert report.intact, report.problem
        machine = _machine()
    finally:
        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {DB}")
    print(f"`bench/audit_chain.py --events {n}`. {machine}.\n")
    print(f"| | per event, own transaction | per event, {n:,} in one transaction |")
    print("|---|---|---|")
    for label, alone, together in rows:
        print(f"| {label} | {alone} | {together} |")
    print(
        f"\n`verify_audit_chain` over {report.checked:,} events: {verify:.2f} s "
        f"({_per_event(verify, report.checked)} per event)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

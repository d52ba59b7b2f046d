"""The 10,000-applicant batch, run several times, each on a fresh copy of the seeded database
(issue 17, point 4): the median and every run's figure.

    flock /tmp/portal-bench.lock .venv/bin/python bench/licensing_batch_runs.py \\
        --template portal_bench --runs 3 --rows 10000 --workers 2

`--template` is a database seeded by bench/seed.py and migrated with this branch (so the
copies need no migration: the name keys are already computed). Each run creates
`<template>_batch_run` from it with `createdb -T` (new files: nothing of it in PostgreSQL's
shared buffers), runs `bench/licensing_checks.py batch` against it in a new process, and drops
it. The server is taken from BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RUN_LINE = re.compile(r"run ([\d.]+) s")


def _server() -> tuple[str, list[str]]:
    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    parts = urlsplit(url)
    host, port, user = parts.hostname or "127.0.0.1", str(parts.port or 5432), parts.username
    args = ["-h", host, "-p", port, "-U", user or "postgres"]
    return f"postgres://{user or 'postgres'}@{host}:{port}", args


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", default="portal_bench")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    base, connect = _server()
    copy = f"{args.template}_batch_run"
    times = []
    for run in range(1, args.runs + 1):
        subprocess.run(["dropdb", *connect, "--if-exists", copy], check=True)
        subprocess.run(["createdb", *connect, "-T", args.template, copy], check=True)
        try:
            output = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "licensing_checks.py"),
                    "batch",
                    "--rows",
                    str(args.rows),
                    "--workers",
                    str(args.workers),
                ],
                env={**os.environ, "DATABASE_URL": f"{base}/{copy}"},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            subprocess.run(["dropdb", *connect, "--if-exists", copy], check=True)
        lines = [line for line in output.splitlines() if line.startswith(("batch of", "CPU:"))]
        print(f"run {run}:", *lines, sep="\n  ", flush=True)
        match = RUN_LINE.search(output)
        if match is None:
            raise SystemExit(f"run {run}: no timing in the output:\n{output}")
        times.append(float(match.group(1)))
    print(
        f"median of {len(times)} runs: {statistics.median(times):.1f} s "
        f"(runs: {', '.join(f'{t:.1f} s' for t in times)})"
    )


if __name__ == "__main__":
    main()

"""Audit the locked dependencies for known vulnerabilities with pip-audit.

    .venv/bin/python scripts/audit_deps.py requirements/runtime.txt requirements/dev.txt
    (what `make audit` and CI's audit stage run)

Each lock file is audited as pinned (hash-checked, no resolution), so the audit covers exactly
what `make run`, CI and the Docker image install. The outcome is one of four, told apart
plainly:

- clean: every pinned package was checked and none has a known advisory; exit 0;
- vulnerable: at least one advisory; the findings are listed; exit 1, whatever else happened;
- not run (or incomplete): the advisory service could not be reached, or answered for none or
  only some of the packages; an "AUDIT NOT RUN" banner names the cause; exit 0;
- error: pip-audit failed for another reason (a bad lock file, a crash); exit 2.

Why "not run" exits 0: CI reaches the package registries only, and pip-audit's own summary
for a run in which every package was skipped is "No known vulnerabilities found" with exit
0. A red CI for good would hide real failures, so this says loudly that nothing was checked
instead of passing as clean. A developer with the service in reach gets the real answer.
"""

import argparse
import json
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

CLEAN, VULNERABLE, ERROR = 0, 1, 2

# What a failure to reach the advisory service looks like on pip-audit's stderr (requests
# and urllib3 errors, pip-audit's own connection error and its "service error" for 5xx).
UNREACHABLE_SIGNS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Connection refused",
    "timed out",
    "ReadTimeout",
    "ConnectTimeout",
    "ServiceError",
    "network may be blocking",
)


@dataclass
class Audit:
    lock_file: str
    exit_code: int
    lines: list[str] = field(default_factory=list)
    not_run: bool = False


def _banner(text: str) -> list[str]:
    rule = "!" * 78
    return [rule, f"!! {text}", rule]


def interpret(*, lock_file: str, returncode: int, stdout: str, stderr: str) -> Audit:
    """Turn one pip-audit run (`--format json`) into an outcome and the lines to print."""
    try:
        report: dict[str, Any] = json.loads(stdout)
        dependencies: list[dict[str, Any]] = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        last_line = next(
            (line.strip() for line in reversed(stderr.splitlines()) if line.strip()),
            f"exit code {returncode}",
        )
        if any(sign in stderr for sign in UNREACHABLE_SIGNS):
            return Audit(
                lock_file,
                CLEAN,
                _banner(f"AUDIT NOT RUN: advisory service unreachable ({lock_file}: {last_line})"),
                not_run=True,
            )
        return Audit(lock_file, ERROR, [f"ERROR: pip-audit failed on {lock_file}: {last_line}"])

    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    checked = len(dependencies) - len(skipped)

    lines: list[str] = []
    if vulnerable:
        count = sum(len(dep["vulns"]) for dep in vulnerable)
        lines.append(
            f"VULNERABLE: {count} known vulnerabilit{'y' if count == 1 else 'ies'} in "
            f"{len(vulnerable)} of the packages pinned by {lock_file}:"
        )
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixes = ", ".join(vuln.get("fix_versions") or [])
                fixed = f"fixed in {fixes}" if fixes else "no fixed version yet"
                aliases = ", ".join(vuln.get("aliases") or [])
                also = f" ({aliases})" if aliases else ""
                lines.append(f"  {dep['name']} {dep['version']}: {vuln['id']}{also}; {fixed}")
        lines.append(
            "To move to a fixed version: `make lock UPGRADE_PACKAGE=<name>` (for a direct "
            "dependency, raise its lower bound in pyproject.toml first), run the suite, commit."
        )

    if skipped and not checked:
        lines += _banner(
            f"AUDIT NOT RUN: advisory service unreachable ({lock_file}: no answer for any of "
            f"its {len(skipped)} packages; pip-audit says: {skipped[0]['skip_reason']})"
        )
    elif skipped:
        lines += _banner(
            f"AUDIT INCOMPLETE: {len(skipped)} of the {len(dependencies)} packages pinned by "
            f"{lock_file} could not be checked"
        )
        lines += [f"  {dep['name']}: {dep['skip_reason']}" for dep in skipped]
    elif not vulnerable:
        lines.append(f"No known vulnerabilities in the {checked} packages pinned by {lock_file}.")

    return Audit(lock_file, VULNERABLE if vulnerable else CLEAN, lines, not_run=bool(skipped))


def audit(*, lock_file: str, pip_audit: list[str]) -> Audit:
    # --disable-pip: the lock is complete and hashed, so pip-audit reads the pins as they are
    # instead of resolving them again in a scratch environment.
    command = [
        *pip_audit,
        "--requirement",
        lock_file,
        "--require-hashes",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--desc",
        "off",
        "--aliases",
        "on",
        "--format",
        "json",
    ]
    # The command is ours (or a test's fake); nothing in it comes from outside.
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return interpret(
        lock_file=lock_file,
        returncode=completed.returncode,
        stdout=completed.stdout,
        stderr=completed.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock_files", nargs="+", metavar="LOCK_FILE")
    parser.add_argument(
        "--pip-audit",
        default=shlex.join([sys.executable, "-m", "pip_audit"]),
        help="the pip-audit command (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    audits = [
        audit(lock_file=path, pip_audit=shlex.split(args.pip_audit)) for path in args.lock_files
    ]
    for result in audits:
        print("\n".join(result.lines), flush=True)
    exit_code = max(result.exit_code for result in audits)
    if exit_code == CLEAN and any(result.not_run for result in audits):
        print("The dependency audit did not check every pinned package: see above.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())

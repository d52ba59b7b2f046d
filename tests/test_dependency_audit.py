"""The dependency audit (scripts/audit_deps.py, CI's audit stage) tells its outcomes apart:
clean, vulnerable, advisory service unreachable, and a pip-audit that failed otherwise.

pip-audit is replaced by a small fake that prints what the real one prints in each case, so
these tests need no network; one test runs the real pip-audit against a closed port.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "audit_deps.py"
RUNTIME_LOCK = "requirements/runtime.txt"


def run_audit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def fake_pip_audit(tmp_path):
    """Returns a function that writes a fake pip-audit printing `stdout` and `stderr` and
    exiting with `code`, and returns the --pip-audit argument that runs it."""

    def make(*, stdout: str = "", stderr: str = "", code: int = 0) -> str:
        script = tmp_path / "fake_pip_audit.py"
        script.write_text(
            "import sys\n"
            f"sys.stdout.write({stdout!r})\n"
            f"sys.stderr.write({stderr!r})\n"
            f"sys.exit({code})\n"
        )
        return f"{sys.executable} {script}"

    return make


def report(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_lock_without_known_vulnerabilities_passes_and_says_how_many_were_checked(
    fake_pip_audit,
):
    fake = fake_pip_audit(
        stdout=report(
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "celery", "version": "5.7.0", "vulns": []},
        )
    )

    result = run_audit(RUNTIME_LOCK, "--pip-audit", fake)

    assert result.returncode == 0
    assert "No known vulnerabilities in the 2 packages pinned by requirements/runtime.txt" in (
        result.stdout
    )
    assert "AUDIT NOT RUN" not in result.stdout


def test_a_known_vulnerability_fails_the_audit_and_names_the_fix(fake_pip_audit):
    fake = fake_pip_audit(
        stdout=report(
            {
                "name": "django",
                "version": "5.2.1",
                "vulns": [
                    {
                        "id": "PYSEC-2025-47",
                        "fix_versions": ["5.2.2"],
                        "aliases": ["CVE-2025-48432"],
                    }
                ],
            },
            {"name": "celery", "version": "5.7.0", "vulns": []},
        ),
        stderr="Found 1 known vulnerability in 1 package\n",
        code=1,
    )

    result = run_audit(RUNTIME_LOCK, "--pip-audit", fake)

    assert result.returncode == 1
    assert "VULNERABLE: 1 known vulnerability" in result.stdout
    assert "django 5.2.1: PYSEC-2025-47 (CVE-2025-48432); fixed in 5.2.2" in result.stdout
    assert "No known vulnerabilities" not in result.stdout


def test_a_vulnerability_fails_the_audit_even_when_other_packages_could_not_be_checked(
    fake_pip_audit,
):
    fake = fake_pip_audit(
        stdout=report(
            {"name": "django", "version": "5.2.1", "vulns": [{"id": "X-1", "fix_versions": []}]},
            {"name": "celery", "skip_reason": "Dependency not found on PyPI"},
        ),
        code=1,
    )

    result = run_audit(RUNTIME_LOCK, "--pip-audit", fake)

    assert result.returncode == 1
    assert "django 5.2.1: X-1; no fixed version yet" in result.stdout
    assert "AUDIT INCOMPLETE: 1 of the 2 packages" in result.stdout


def test_every_package_skipped_is_reported_as_not_run_rather_than_clean(fake_pip_audit):
    # What pip-audit does when its service answers 404 for every package: it skips them
    # all, prints "No known vulnerabilities found" and exits 0.
    fake = fake_pip_audit(
        stdout=report(
            {
                "name": "django",
                "skip_reason": "Dependency not found on PyPI and could not be audited: "
                "django (5.2.19)",
            },
        ),
        stderr="No known vulnerabilities found, 1 skipped\n",
    )

    result = run_audit(RUNTIME_LOCK, "--pip-audit", fake)

    assert result.returncode == 0
    assert "AUDIT NOT RUN: advisory service unreachable" in result.stdout
    assert "No known vulnerabilities" not in result.stdout


def test_an_unreachable_service_is_reported_as_not_run_and_does_not_fail(fake_pip_audit):
    fake = fake_pip_audit(
        stderr="Traceback (most recent call last):\n"
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', "
        "port=443): Max retries exceeded with url: /v1/query\n",
        code=1,
    )

    result = run_audit(RUNTIME_LOCK, "--pip-audit", fake)

    assert result.returncode == 0
    assert "AUDIT NOT RUN: advisory service unreachable (requirements/runtime.txt: " in (
        result.stdout
    )
    assert "No known vulnerabilities" not in result.stdout


def test_pip_audit_failing_for_another_reason_fails_the_audit(fake_pip_audit):
    fake = fake_pip_audit(stderr="ERROR: invalid requirements input: nonsense\n", code=1)

    result = run_audit(RUNTIME_LOCK, "--pip-audit", fake)

    assert result.returncode == 2
    assert "ERROR: pip-audit failed on requirements/runtime.txt: " in result.stdout
    assert "AUDIT NOT RUN" not in result.stdout


@pytest.mark.slow
def test_the_real_pip_audit_against_a_closed_port_is_reported_as_not_run(tmp_path):
    # A closed local port stands for an advisory service CI cannot reach; it also checks
    # that the options the script passes are ones the locked pip-audit accepts.
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PIP_AUDIT_VULNERABILITY_SERVICE": "osv",
        "PIP_AUDIT_OSV_URL": "http://127.0.0.1:9/v1/query",
    }

    result = run_audit(RUNTIME_LOCK, env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "AUDIT NOT RUN: advisory service unreachable" in result.stdout

"""The locks (requirements/*.txt, written by `make lock`) agree with pyproject.toml.

CI's lock-check locks again and compares, which needs PyPI; these checks need nothing but
the files, so a forgotten `make lock` shows up in any test run.
"""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)")


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return {
        canonicalize_name(match["name"]): match["version"]
        for match in map(PIN.match, text.splitlines())
        if match
    }


def unmet(requirements: list[str], pinned: dict[str, str]) -> list[str]:
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{line}: not pinned")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{line}: pinned at {version}")
    return problems


def test_every_runtime_dependency_is_pinned_within_its_range_in_the_runtime_lock():
    assert unmet(PYPROJECT["dependencies"], pins("runtime.txt")) == [], "run `make lock`"


def test_every_dependency_and_dev_tool_is_pinned_within_its_range_in_the_dev_lock():
    requirements = PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["dev"]
    assert unmet(requirements, pins("dev.txt")) == [], "run `make lock`"


def test_the_dev_lock_pins_every_runtime_package_at_the_runtime_version():
    runtime, dev = pins("runtime.txt"), pins("dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_every_pin_in_the_locks_carries_its_hashes():
    for lock in ("runtime.txt", "dev.txt"):
        entries = re.split(r"\n(?=\S)", (ROOT / "requirements" / lock).read_text())
        unhashed = [
            entry.split()[0]
            for entry in entries
            if PIN.match(entry) and "--hash=sha256:" not in entry
        ]
        assert unhashed == [], lock

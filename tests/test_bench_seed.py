"""bench/seed.py fills the database every benchmark runs on. A column added to the records
without a value in the seed breaks it (NOT NULL), and nobody notices until the next benchmark;
so it runs here, small, on the test database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from publication.selectors import disclosures
from records.models import BadRecord, Operator, Practitioner, RecordStatus

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the seed writes with COPY"),
]


def _seed(*args: str) -> subprocess.CompletedProcess:
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, "bench/seed.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_seed_fills_a_list_the_public_pages_show():
    run = _seed("--records", "400", "--public", "150", "--subjects", "90", "--pending", "20")
    assert run.returncode == 0, run.stderr[-2000:]
    assert Operator.objects.count() == 60
    assert Practitioner.objects.count() == 30
    assert BadRecord.objects.count() == 400
    assert BadRecord.objects.filter(status=RecordStatus.SUBMITTED).count() == 20
    assert BadRecord.objects.filter(status=RecordStatus.ARCHIVED).count() == 230
    assert disclosures().count() == 150
    today = timezone.localdate()
    assert not BadRecord.objects.filter(
        status=RecordStatus.ARCHIVED, public_until__gte=today
    ).exists()

    # A second run refuses to write over the data, unless asked to replace it.
    again = _seed("--records", "40", "--public", "10", "--subjects", "9", "--pending", "2")
    assert again.returncode != 0
    assert "--reset" in again.stderr
    assert BadRecord.objects.count() == 400
    replaced = _seed(
        "--records", "40", "--public", "10", "--subjects", "9", "--pending", "2", "--reset"
    )  # fmt: skip
    assert replaced.returncode == 0, replaced.stderr[-2000:]
    assert BadRecord.objects.count() == 40
    assert disclosures().count() == 10

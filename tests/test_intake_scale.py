"""The 10,000-row path (issue 16, point 7) on PostgreSQL, 1,000 rows on SQLite: the file is
checked in chunks, its preview page costs the same queries as a small file's, and the
confirmation creates every good row. The time limits are the benchmark's (bench/intake_rows.py)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import Import
from intake.services.imports import import_confirm, import_upload
from kernel.jobs import outbox_drain
from records.models import BadRecord
from tests.conftest import client_for
from tests.intake_helpers import operator_row, xlsx

# Transactional: the worker's chunks commit as they do in production. Inside one test
# transaction the services' savepoints would pile up as tens of thousands of PostgreSQL
# subtransactions and slow every statement (11 minutes instead of about 2).
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_file_of_ten_thousand_rows_is_checked_previewed_and_confirmed(fang, settings):
    rows = 10_000 if connection.vendor == "postgresql" else 1_000
    settings.INTAKE_MAX_ROWS = 10_000
    lines = [
        operator_row(n, basis_date="2026-02-30" if n % 50 == 0 else 46060 + n % 20)
        for n in range(1, rows + 1)
    ]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC), tick=False):
        batch = import_upload(by=fang, upload=SimpleUploadedFile("big.xlsx", xlsx(lines)))
        outbox_drain(seconds=3600)
        batch.refresh_from_db()
        bad = rows // 50
        assert (batch.status, batch.total, batch.good, batch.bad) == (
            "ready",
            rows,
            rows - bad,
            bad,
        )
        client = client_for(fang)
        page = client.get(f"/intake/{batch.pk}/?show=bad")
        assert page.status_code == 200 and "第 51 行 S 列" in page.content.decode()
        with CaptureQueriesContext(connection) as big:
            client.get(f"/intake/{batch.pk}/?page=3")
        small = import_upload(by=fang, upload=SimpleUploadedFile("s.xlsx", xlsx(lines[:3])))
        outbox_drain(seconds=60)
        with CaptureQueriesContext(connection) as few:
            client.get(f"/intake/{small.pk}/")
        assert len(big) == len(few)

        import_confirm(batch=batch, by=fang, create_as=Import.CreateAs.DRAFT)
        outbox_drain(seconds=3600)
        batch.refresh_from_db()
        assert (batch.status, batch.created) == ("confirmed", rows - bad)
        assert BadRecord.objects.filter(filing_bureau=fang.bureau).count() == rows - bad

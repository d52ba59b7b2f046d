"""Batch checks: upload, the worker's run (each part an outbox job), progress without
JavaScript, result files, and a part the worker gives up on."""

import csv
import datetime
import io
import threading

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.db.models import F
from openpyxl import Workbook, load_workbook

from kernel.jobs import outbox_drain
from kernel.models import OutboxJob
from licensing.models import ApplicantCheck, CheckBatch
from licensing.services import batches
from records.models import RecordStatus
from tests import factories
from tests.conftest import client_for

HEADER = (
    "applicant_kind,name,credit_code,licence_no,identity_number,certificate_no,"
    "application_type,application_ref\n"
)


@pytest.fixture
def agency(bureaus, fang):
    operator = factories.operator(
        region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司", licence_no="L-ZJ-CJ00001"
    )
    factories.record(filer=fang, subject=operator, status=RecordStatus.PUBLISHED)
    return operator


def upload(user, name: str, content: bytes):
    client = client_for(user)
    client.cookies["django_language"] = "en"  # the messages below are asserted in English
    return client.post("/licensing/batches/", {"file": SimpleUploadedFile(name, content)})


ROWS = (
    HEADER
    + "operator,杭州西湖國際旅行社,,,,,travel_agency_licence,A-1\n"
    + 'operator,=HYPERLINK("http://x"),,,,,other,A-2\n'
    + "person,王芳,,,110101199003078888,,guide_certificate,A-3\n"
    + "robot,某某,,,,,other,A-4\n"
)


def test_a_csv_batch_runs_and_reports_bad_rows_by_number(li, agency):
    response = upload(li, "applicants.csv", ROWS.encode("utf-8-sig"))
    batch = CheckBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/licensing/batches/{batch.pk}/"
    waiting = client_for(li).get(response.url).content.decode()
    assert 'http-equiv="refresh"' in waiting
    assert client_for(li).get(f"/licensing/batches/{batch.pk}/results.csv").status_code == 404

    assert outbox_drain() == 1  # the batch's one part
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.total) == ("done", 4, 4)
    assert [e["row"] for e in batch.row_errors] == [4, 5]
    assert "identity_number" in batch.row_errors[0]["error"]
    assert batch.rows == []  # the typed identity numbers are gone
    verdicts = dict(ApplicantCheck.objects.values_list("batch_row", "verdict"))
    assert verdicts == {2: "listed", 3: "not_listed"}

    done = client_for(li).get(f"/licensing/batches/{batch.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in done
    result = client_for(li).get(f"/licensing/batches/{batch.pk}/results.csv")
    rows = list(csv.reader(io.StringIO(result.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["2", "3", "4", "5"]
    assert rows[2][1].startswith("'=HYPERLINK")
    xlsx = client_for(li).get(f"/licensing/batches/{batch.pk}/results.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=3, column=2).value.startswith("'=")


def test_a_gb18030_csv_is_read(li, agency):
    upload(li, "applicants.csv", ROWS.encode("gb18030"))
    outbox_drain()
    assert ApplicantCheck.objects.get(batch_row=2).applicant_name == "杭州西湖國際旅行社"


def test_an_xlsx_batch_is_read(li, agency):
    book = Workbook()
    for line in ROWS.splitlines():
        book.active.append(next(csv.reader([line])))
    out = io.BytesIO()
    book.save(out)
    upload(li, "applicants.xlsx", out.getvalue())
    outbox_drain()
    assert ApplicantCheck.objects.get(batch_row=2).verdict == "listed"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", "\ufeffname\n".encode("utf-16"), "neither UTF-8 nor GB18030"),
        ("a.csv", b"name,application_ref\nx,y\n", "missing: applicant_kind, application_type"),
        ("a.csv", HEADER.encode(), "no applicants"),
        ("a.pdf", b"%PDF-1.4", "CSV or XLSX"),
        ("a.xlsx", b"PK\x03\x04 broken", "cannot be read"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(li, name, content, message):
    response = upload(li, name, content)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors)
    assert not CheckBatch.objects.exists()


def test_a_second_worker_does_not_run_a_claimed_part(li, agency):
    upload(li, "applicants.csv", ROWS.encode())
    OutboxJob.objects.filter(name="licensing_batch_part").update(
        status="running", attempts=1, available_at="2999-01-01T00:00Z"
    )
    assert outbox_drain() == 0
    assert not ApplicantCheck.objects.exists()


def test_a_large_batch_is_cut_into_parts_that_add_up(li, agency, settings):
    settings.LICENSING_BATCH_PARTS = 3
    lines = [HEADER] + [f"operator,杭州西湖國際旅行社,,,,,other,R-{i}\n" for i in range(250)]
    lines.append("robot,某某,,,,,other,bad\n")
    upload(li, "applicants.csv", "".join(lines).encode())
    batch = CheckBatch.objects.get()
    # Three parts asked for, but no part is smaller than a chunk of 100 rows.
    assert [(p.first, p.last) for p in batch.parts.order_by("first")] == [(0, 126), (126, 251)]
    assert OutboxJob.objects.filter(name="licensing_batch_part").count() == 2
    # A worker that died in the middle of a part: its claim runs out, another takes over.
    first = OutboxJob.objects.filter(name="licensing_batch_part").order_by("pk").first()
    OutboxJob.objects.filter(pk=first.pk).update(
        status="running", attempts=1, available_at="2000-01-01T00:00Z"
    )
    assert outbox_drain() == 2
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.total) == ("done", 251, 251)
    assert [e["row"] for e in batch.row_errors] == [252]
    assert ApplicantCheck.objects.filter(batch=batch).count() == 250
    assert outbox_drain() == 0


def _many_rows(count: int) -> bytes:
    lines = [HEADER] + [f"operator,杭州西湖國際旅行社,,,,,other,R-{i}\n" for i in range(count)]
    return "".join(lines).encode()


def test_a_part_that_keeps_failing_is_given_up_and_the_batch_finishes_without_it(
    li, agency, settings, monkeypatch, caplog
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.LICENSING_BATCH_PARTS = 2
    upload(li, "applicants.csv", _many_rows(250))
    batch = CheckBatch.objects.get()
    assert [(p.first, p.last) for p in batch.parts.order_by("first")] == [(0, 125), (125, 250)]
    real_check = batches.applicant_check

    def check_failing_at_r110(**kwargs):
        if kwargs["data"].application_ref == "R-110":  # the first part's second chunk
            raise RuntimeError("matching service lost its index for 110101199003078888")
        return real_check(**kwargs)

    monkeypatch.setattr(batches, "applicant_check", check_failing_at_r110)
    assert outbox_drain() == 1  # the second part; the first stopped after one chunk
    batch.refresh_from_db()
    assert (batch.status, batch.processed) == ("running", 225)
    failing = OutboxJob.objects.get(name="licensing_batch_part", status="pending")
    assert failing.attempts == 1 and "lost its index" in failing.last_error

    with time_machine.travel(failing.available_at + datetime.timedelta(seconds=1)):
        assert outbox_drain() == 0  # it fails again from its row 100 on: given up
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == ("dead", 2)
    part = batch.parts.get(first=0)
    assert part.status == "failed" and "lost its index" in part.error
    batch.refresh_from_db()
    assert (batch.status, batch.processed) == ("done", 225)
    assert batch.rows == []
    # Rows 102–126 of the spreadsheet were not checked, and are listed to be uploaded again.
    assert [e["row"] for e in batch.row_errors] == list(range(102, 127))
    assert ApplicantCheck.objects.filter(batch=batch).count() == 225
    # The reason is shown, with the identity number in it masked, never logged in full.
    client = client_for(li)
    client.cookies["django_language"] = "en"
    page = client.get(f"/licensing/batches/{batch.pk}/").content.decode()
    assert "The worker gave up on a part of the file; 25 rows were not checked." in page
    assert "lost its index for 110101********8888" in page
    assert "110101199003078888" not in page + part.error + failing.last_error + caplog.text
    result = client.get(f"/licensing/batches/{batch.pk}/results.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(result)))
    assert len(rows) == 1 + 250
    # Row 102 has no verdict, only the note that it was not checked (in the worker's language).
    assert rows[101][0] == "102" and rows[101][3] == ""
    assert rows[101][-1] == batch.row_errors[0]["error"] != ""


def test_a_drain_that_lost_its_part_to_another_stops_and_no_row_is_checked_twice(
    li, agency, settings, monkeypatch
):
    """A part running past its claim: another drain takes it over after a chunk; the first
    notices at its next chunk and stops, the second goes on where the first left off."""
    settings.LICENSING_BATCH_PARTS = 1
    upload(li, "applicants.csv", _many_rows(250))
    real_check = batches.applicant_check

    def check_then_lose_the_claim(**kwargs):
        if kwargs["data"].application_ref == "R-99":  # the last row of the first chunk
            OutboxJob.objects.update(attempts=F("attempts") + 1)  # another drain's claim
        return real_check(**kwargs)

    monkeypatch.setattr(batches, "applicant_check", check_then_lose_the_claim)
    assert outbox_drain() == 0
    batch = CheckBatch.objects.get()
    assert batch.processed == 100
    OutboxJob.objects.update(available_at="2000-01-01T00:00Z")  # the other drain's claim ran out
    assert outbox_drain() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.processed) == ("done", 250)
    rows = list(ApplicantCheck.objects.filter(batch=batch).values_list("batch_row", flat=True))
    assert sorted(rows) == list(range(2, 252))


def test_templates_download_as_csv_and_xlsx(li):
    csv_file = client_for(li).get("/licensing/batches/template.csv")
    assert csv_file["Content-Disposition"].endswith('.csv"')
    assert csv_file.content.decode("utf-8-sig").startswith("applicant_kind,name,")
    xlsx_file = client_for(li).get("/licensing/batches/template.xlsx")
    assert load_workbook(io.BytesIO(xlsx_file.content)).active["A1"].value == "applicant_kind"


def test_batches_of_another_bureau_are_not_found(li, bureaus, agency):
    from records.roles import Role
    from tests.conftest import make_user

    other = make_user("li2", bureaus["shangcheng"], Role.LICENSING_OFFICER)
    upload(li, "applicants.csv", ROWS.encode())
    batch = CheckBatch.objects.get()
    outbox_drain()
    for url in (f"/licensing/batches/{batch.pk}/", f"/licensing/batches/{batch.pk}/results.csv"):
        assert client_for(other).get(url).status_code == 404
        assert client_for(li).get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_drains_at_once_check_every_row_of_a_batch_once(li, agency, settings):
    settings.LICENSING_BATCH_PARTS = 3
    upload(li, "applicants.csv", _many_rows(300))

    def drain():
        try:
            outbox_drain()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    batch = CheckBatch.objects.get()
    assert (batch.status, batch.processed) == ("done", 300)
    rows = list(ApplicantCheck.objects.filter(batch=batch).values_list("batch_row", flat=True))
    assert sorted(rows) == list(range(2, 302))

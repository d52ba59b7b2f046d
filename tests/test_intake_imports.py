"""Spreadsheet intake through its pages and the worker: upload, check, preview with errors
per cell, confirm as drafts or submitted, discard, idempotency, limits, access, evidence."""

import datetime
import io
import re
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import Import, ImportRow
from kernel.jobs import outbox_drain
from kernel.models import AuditEvent
from kernel.names import search_key
from records.models import BadRecord, Evidence, Operator, Practitioner, RecordStatus
from tests import factories
from tests.conftest import client_for
from tests.intake_helpers import csv_bytes, operator_row, practitioner_row, xlsx

NOW = datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def upload(user, content: bytes, name: str = "records.xlsx"):
    return client_for(user).post("/intake/", {"file": SimpleUploadedFile(name, content)})


def uploaded(user, content: bytes, name: str = "records.xlsx") -> Import:
    response = upload(user, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    outbox_drain(seconds=60)
    return Import.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def confirm(user, batch: Import, create_as: str = "draft"):
    response = client_for(user).post(f"/intake/{batch.pk}/confirm/", {"create_as": create_as})
    outbox_drain(seconds=60)
    batch.refresh_from_db()
    return response


def test_a_filer_uploads_sees_the_preview_with_cell_errors_and_creates_the_good_rows_as_drafts(
    fang, bureaus
):
    guide = factories.practitioner(region=bureaus["xihu"], certificate_no="D-3301-123456")
    rows = [
        operator_row(1),
        practitioner_row(2, certificate_no="D-3301-123456", identity_number=""),
        operator_row(3, credit_code="91330106MA2B3C4D5X"),  # wrong check character
    ]
    batch = uploaded(fang, xlsx(rows))
    assert (batch.status, batch.good, batch.bad, batch.already) == ("ready", 2, 1, 0)
    page = client_for(fang).get(f"/intake/{batch.pk}/").content.decode()
    assert "第 4 行 D 列：该统一社会信用代码的校验码不正确" in page
    assert f"已有主体：{guide.name}" in page
    assert "新建主体：杭州导入旅行社有限公司1" in page
    assert BadRecord.objects.count() == 0  # nothing before confirmation

    confirm(fang, batch)
    assert batch.status == "confirmed" and batch.created == 2
    records = BadRecord.objects.order_by("pk")
    assert [r.status for r in records] == [RecordStatus.DRAFT, RecordStatus.DRAFT]
    assert {r.filing_bureau_id for r in records} == {bureaus["xihu"].pk}
    assert records[1].practitioner_id == guide.pk
    assert records[0].operator.name == "杭州导入旅行社有限公司1"
    # One event per record from the record service (and the new operator's from the subject
    # service), one for the import's confirmation.
    assert AuditEvent.objects.filter(action="record_create").count() == 2
    assert AuditEvent.objects.filter(action="operator_create").count() == 1
    assert AuditEvent.objects.filter(action="import_confirm", object_id=str(batch.pk)).count() == 1
    assert not batch.file  # the spreadsheet is not kept once the records exist
    listing = client_for(fang).get("/admin/records/badrecord/").content.decode()
    assert "杭州导入旅行社有限公司1" in listing


def test_rows_confirmed_as_submitted_are_reviewed_as_usual_never_by_their_filer(
    fang, rui, filer_reviewer, mailoutbox
):
    batch = uploaded(filer_reviewer, csv_bytes([operator_row(1), operator_row(2)]), "r.csv")
    confirm(filer_reviewer, batch, "submitted")
    outbox_drain(seconds=10)
    records = BadRecord.objects.order_by("pk")
    assert [r.status for r in records] == [RecordStatus.SUBMITTED] * 2
    assert AuditEvent.objects.filter(action="record_submit").count() == 2
    # One e-mail for the file, to the reviewers other than the filer.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [rui.email]
    assert "2" in mailoutbox[0].subject
    record = records[0]
    assert record.filed_by == filer_reviewer
    publish = f"/admin/records/badrecord/{record.pk}/transition/publish/"
    assert client_for(filer_reviewer).get(publish).status_code == 403
    assert client_for(rui).post(publish, {"public_from": ""}).status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED


def test_progress_shows_while_the_worker_checks_and_the_page_reloads_itself(fang):
    response = upload(fang, xlsx([operator_row(1), operator_row(2)]))
    page = client_for(fang).get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page
    assert "已核查 0 / 2 行" in page
    outbox_drain(seconds=60)
    page = client_for(fang).get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page and "擅自变更旅游行程" in page


def test_the_same_file_uploaded_again_creates_nothing_twice_and_says_which_rows_were_there(fang):
    content = xlsx([operator_row(1), practitioner_row(2)])
    first = uploaded(fang, content)
    confirm(fang, first)
    assert BadRecord.objects.count() == 2
    again = uploaded(fang, content)
    assert (again.good, again.bad, again.already) == (0, 0, 2)
    page = client_for(fang).get(f"/intake/{again.pk}/").content.decode()
    assert "已有记录" in page
    response = confirm(fang, again)
    assert response.status_code == 302 and again.status == "ready"
    assert BadRecord.objects.count() == 2


@pytest.mark.parametrize(
    "number", ["杭西文旅罚[2026]1号", "杭西文旅罚（2026）1号", "杭西文旅罚 (２０２６) 1 号"]
)
def test_a_document_number_bracketed_differently_is_the_same_document(fang, number):
    confirm(fang, uploaded(fang, xlsx([operator_row(1)])))
    again = uploaded(fang, xlsx([operator_row(5, basis_number=number)]))
    assert (again.good, again.already) == (0, 1)


def test_a_file_with_some_rows_already_imported_creates_only_the_new_ones(fang):
    confirm(fang, uploaded(fang, xlsx([operator_row(1)])))
    batch = uploaded(fang, xlsx([operator_row(1), operator_row(2)]))
    confirm(fang, batch)
    assert batch.created == 1 and BadRecord.objects.count() == 2
    assert batch.rows.get(number=2).status == ImportRow.Status.ALREADY


def test_two_rows_for_one_document_in_a_file_are_an_error_on_the_second(fang):
    batch = uploaded(
        fang, xlsx([operator_row(1), operator_row(2, basis_number="杭西文旅罚〔2026〕1号")])
    )
    assert (batch.good, batch.bad) == (1, 1)
    assert batch.rows.get(number=3).errors[0]["text"].startswith("第 3 行 Q 列：")


def test_two_rows_about_one_new_subject_create_it_once(fang):
    same = {"name": "同一家旅行社", "credit_code": factories.credit_code(123)}
    batch = uploaded(fang, xlsx([operator_row(1, **same), operator_row(2, **same)]))
    confirm(fang, batch)
    assert batch.created == 2
    assert Operator.objects.filter(name="同一家旅行社").count() == 1


def test_each_rule_of_the_form_is_a_cell_error_of_the_import(fang):
    rows = [
        operator_row(1, ground="G4"),  # G4 applies to persons only
        operator_row(2, basis_date="2026-03-09"),  # in the future
        operator_row(3, sector="修车铺"),
        practitioner_row(4, identity_number="330106198504120000", certificate_no=""),
        operator_row(5, period_years=3),  # needs the legal basis
        operator_row(6, cause=""),
        operator_row(7, basis_date="2026-02-30"),
    ]
    batch = uploaded(fang, xlsx(rows))
    assert batch.bad == 7
    errors = {row.number: [e["text"] for e in row.errors] for row in batch.rows.all()}
    assert errors[2][0].startswith("第 2 行 L 列：情形 G4 不适用于旅游经营者")
    assert errors[3][0].startswith("第 3 行 S 列：")
    assert errors[4][0].startswith("第 4 行 F 列：")
    assert errors[5][0].startswith("第 5 行 J 列：")
    assert errors[6][0].startswith("第 6 行 V 列：")
    assert errors[7][0].startswith("第 7 行 M 列：")
    assert errors[8][0].startswith("第 8 行 S 列：")


def test_full_width_characters_and_spaces_are_folded_as_the_form_folds_them(fang, bureaus):
    guide = factories.practitioner(region=bureaus["xihu"], certificate_no="D-3301-654321")
    row = practitioner_row(
        1,
        certificate_no="Ｄ－３３０１－６５４３２１",
        identity_number="",
        basis_date="２０２６年２月２７日",
    )
    batch = uploaded(fang, csv_bytes([row], "gbk"), "records.csv")
    assert batch.good == 1
    assert batch.rows.get().subject_id == guide.pk


def test_the_preview_runs_the_same_queries_whatever_the_number_of_rows(fang):
    small = uploaded(fang, xlsx([operator_row(n) for n in range(1, 3)]))
    large = uploaded(fang, xlsx([operator_row(n) for n in range(10, 130)]))
    counts = []
    for batch in (small, large):
        client = client_for(fang)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/intake/{batch.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_import_can_be_discarded_before_confirmation_and_nothing_is_kept(fang):
    batch = uploaded(fang, xlsx([practitioner_row(1)]))
    name = batch.file.name
    response = client_for(fang).post(f"/intake/{batch.pk}/discard/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "discarded" and batch.rows.count() == 0
    assert not batch.file.storage.exists(name)
    assert confirm(fang, batch).status_code == 302 and BadRecord.objects.count() == 0
    assert AuditEvent.objects.filter(action="import_discard").count() == 1


def test_a_file_over_the_size_or_row_limit_is_refused_before_it_is_read(
    fang, settings, monkeypatch
):
    settings.INTAKE_MAX_BYTES = 1000
    response = upload(fang, xlsx([operator_row(1)]))
    assert response.status_code == 400 and "上限" in response.content.decode()
    settings.INTAKE_MAX_BYTES = 10_000_000
    settings.INTAKE_MAX_ROWS = 3
    monkeypatch.setattr("intake.services.checking.read_table", lambda **kw: pytest.fail("read"))
    response = upload(fang, csv_bytes([operator_row(n) for n in range(1, 6)]), "r.csv")
    assert response.status_code == 400 and "3" in response.content.decode()
    assert Import.objects.count() == 0


def test_identity_numbers_are_masked_in_the_preview_and_not_stored_in_clear(fang):
    row = practitioner_row(1)
    batch = uploaded(fang, xlsx([row]))
    page = client_for(fang).get(f"/intake/{batch.pk}/").content.decode()
    number = row["identity_number"]
    assert number not in page
    stored = batch.rows.get().data
    assert number not in str(stored)
    confirm(fang, batch)
    assert Practitioner.objects.get(name=row["name"]).identity_number == number


def test_filers_import_for_their_own_bureau_only(fang, shang, rui, su):
    batch = uploaded(fang, xlsx([operator_row(1)]))
    assert client_for(shang).get(f"/intake/{batch.pk}/").status_code == 404
    assert (
        client_for(shang).post(f"/intake/{batch.pk}/confirm/", {"create_as": "draft"}).status_code
        == 404
    )
    assert client_for(rui).get("/intake/").status_code == 403
    assert client_for(su).post(f"/intake/{batch.pk}/discard/").status_code == 403
    assert upload(rui, xlsx([operator_row(2)])).status_code == 403
    outbox_drain(seconds=10)
    batch.refresh_from_db()
    assert batch.status == "ready" and BadRecord.objects.count() == 0


def test_the_dashboard_counts_imports_waiting_for_confirmation(fang, rui):
    home = client_for(fang).get("/admin/").content.decode()
    assert re.search(r'href="/intake/"><strong>0</strong> 等待确认的导入', home)
    uploaded(fang, xlsx([operator_row(1)]))
    home = client_for(fang).get("/admin/").content.decode()
    assert re.search(r'href="/intake/"><strong>1</strong> 等待确认的导入', home)
    assert "等待确认的导入" not in client_for(rui).get("/admin/").content.decode()


def test_evidence_for_the_imported_records_in_one_zip(fang):
    batch = uploaded(fang, xlsx([operator_row(1), operator_row(12)]))
    confirm(fang, batch)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("证据/12-处罚决定书.pdf", PDF)
        z.writestr("1 现场照片.pdf", PDF)
        z.writestr("99-别的.pdf", PDF)
        z.writestr("1-说明.txt", b"plain text")
    response = client_for(fang).post(
        f"/intake/{batch.pk}/evidence/",
        {"file": SimpleUploadedFile("evidence.zip", archive.getvalue())},
    )
    assert response.status_code == 200
    one, twelve = (batch.rows.get(reference=r).record for r in ("1", "12"))
    assert [e.original_name for e in Evidence.objects.filter(record=twelve)] == [
        "12-处罚决定书.pdf"
    ]
    assert [e.original_name for e in Evidence.objects.filter(record=one)] == ["1 现场照片.pdf"]
    page = response.content.decode()
    assert "99-别的.pdf" in page and "1-说明.txt" in page


def test_the_template_downloads_with_chinese_headers_and_drop_down_lists(fang):
    from openpyxl import load_workbook

    response = client_for(fang).get("/intake/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["参考号", "主体类型*", "名称或姓名*"]
    lists = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"B2", "F2", "I2", "L2", "P2"} <= lists
    assert "填写说明" in book.sheetnames and book["选项"].sheet_state == "hidden"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("records.xlsx", b"PK\x03\x04not really a workbook"),
        ("records.csv", b"\xff\xfe\x00\x00binary"),
        ("records.pdf", PDF),
        ("records.csv", "名称,地址\n某公司,某地\n".encode()),
        ("records.csv", b""),
    ],
)
def test_a_file_that_is_not_a_records_spreadsheet_gets_a_message_not_a_server_error(
    fang, settings, name, content
):
    settings.DEBUG = False
    response = upload(fang, content, name)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert Import.objects.count() == 0


def test_a_value_longer_than_the_record_can_hold_is_a_cell_error(fang):
    batch = uploaded(fang, xlsx([operator_row(1, basis_number="号" * 300)]))
    assert batch.bad == 1
    assert batch.rows.get().errors[0]["text"].startswith("第 2 行 Q 列：")


def test_a_row_the_services_refuse_at_confirmation_is_that_rows_error_and_the_others_go_in(fang):
    batch = uploaded(fang, xlsx([operator_row(1), operator_row(2), operator_row(3)]))
    # Between the check and the confirmation, someone files the second row's document.
    factories.record(
        filer=fang,
        basis_number="杭西文旅罚〔2026〕2号",
        basis_number_key="杭西文旅罚〔2026〕2号",
        basis_issuer="杭州市西湖区文化和广电旅游体育局",
        basis_issuer_key=search_key("杭州市西湖区文化和广电旅游体育局"),
    )
    confirm(fang, batch)
    assert batch.status == "confirmed" and batch.created == 2
    refused = batch.rows.get(number=3)
    assert refused.status == ImportRow.Status.BAD
    assert refused.errors[0]["text"].startswith("第 3 行")
    assert Operator.objects.filter(name="杭州导入旅行社有限公司2").count() == 0  # rolled back


def test_an_import_discarded_while_the_worker_checks_it_stores_nothing_more(fang, monkeypatch):
    from intake.services import checking

    response = upload(fang, xlsx([operator_row(1)]))
    batch = Import.objects.get()
    real_read = checking._read

    def read_then_discard(*args, **kwargs):
        # The filer discards the import while the worker is reading its rows.
        Import.objects.filter(pk=batch.pk).update(status=Import.Status.DISCARDED)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(checking, "_read", read_then_discard)
    outbox_drain(seconds=60)
    batch.refresh_from_db()
    assert response.status_code == 302
    assert batch.status == "discarded" and batch.rows.count() == 0

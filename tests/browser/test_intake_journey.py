"""Fang, a Xihu filer, imports records from a spreadsheet in a real browser: she downloads
the template, fills it (openpyxl, as Excel would), uploads it, reads the bad row's error by
row and column, creates the good row as a draft, fixes the bad row and uploads the file again
(the row already created is recognised), confirms, and finds the drafts in the records list.
The checks and the creation are outbox jobs: the test runs the drain where the worker would.
axe finds nothing critical or serious on the pages, at 1366 and 390 px."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from kernel.jobs import outbox_drain
from records.models import BadRecord, RecordStatus
from tests.browser.conftest import axe_violations, describe, staff_sign_in, zh
from tests.intake_helpers import fill_template, operator_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_CODE = "91330106MA2B3C4D5X"


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def upload(page, path: Path) -> None:
    page.get_by_label(zh("Spreadsheet of records (XLSX or CSV)")).set_input_files(str(path))
    page.get_by_role("button", name=zh("Upload and check")).click()
    expect(page).to_have_url(re.compile(r"/intake/\d+/$"))
    outbox_drain(seconds=60)  # the worker checks the file
    page.reload()


def confirm_as_drafts(page) -> None:
    page.get_by_label(zh("Drafts"), exact=True).check()
    page.get_by_role("button", name=re.compile("^创建")).click()
    outbox_drain(seconds=60)  # the worker creates the records
    page.reload()
    expect(page.locator("#content-main")).to_contain_text(zh("Confirmed"))


def test_a_filer_imports_records_fixes_a_bad_row_and_finds_the_drafts(portal, fang, tmp_path):
    page = portal.new_page()
    staff_sign_in(page, "fang", next_path="/intake/")
    expect(page.locator("h1")).to_have_text(zh("Import records from a spreadsheet"))
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=zh("Download the XLSX template")).click()
    template = Path(download.value.path()).read_bytes()
    assert load_workbook(io.BytesIO(template)).sheetnames[0] == "不良信息记录"

    good = operator_row(1, name="杭州浏览器旅行社有限公司")
    bad = operator_row(2, name="杭州错码旅行社有限公司", credit_code=BAD_CODE)
    first = tmp_path / "records.xlsx"
    first.write_bytes(fill_template(template, [good, bad]))
    upload(page, first)

    table = page.locator("#result_list")
    expect(table).to_contain_text("第 3 行 D 列：该统一社会信用代码的校验码不正确")
    expect(table).to_contain_text("新建主体：杭州浏览器旅行社有限公司")
    assert_accessible(page)
    confirm_as_drafts(page)
    assert BadRecord.objects.count() == 1

    # She fixes the credit code in her file and uploads the whole file again.
    page.goto("/intake/")
    # She drops the wrong code and gives the licence number instead.
    fixed = dict(bad, credit_code="", licence_no="L-ZJ-CJ99002")
    second = tmp_path / "records-fixed.xlsx"
    second.write_bytes(fill_template(template, [good, fixed]))
    upload(page, second)
    expect(page.locator("#content-main")).to_contain_text("1 行已存在")
    assert_accessible(page)
    expect(page.locator("#result_list")).to_contain_text("已有记录")
    confirm_as_drafts(page)

    # Evidence for the new draft in one ZIP, its file named after the row's reference.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2-处罚决定书.pdf", b"%PDF-1.4\n%%EOF\n")
    evidence = tmp_path / "evidence.zip"
    evidence.write_bytes(archive.getvalue())
    detail = page.url
    page.get_by_role("link", name=zh("Attach evidence (one ZIP)")).click()
    page.get_by_label(zh("ZIP of evidence files")).set_input_files(str(evidence))
    page.get_by_role("button", name=zh("Upload the evidence")).click()
    expect(page.locator("#content-main table")).to_contain_text("2-处罚决定书.pdf")
    assert_accessible(page)
    assert BadRecord.objects.get(subject_name="杭州错码旅行社有限公司").evidence.count() == 1
    page.goto(detail)

    page.get_by_role("link", name=zh("Open the records")).click()
    expect(page).to_have_url(re.compile(r"/admin/records/badrecord/"))
    results = page.locator("#result_list")
    expect(results).to_contain_text("杭州浏览器旅行社有限公司")
    expect(results).to_contain_text("杭州错码旅行社有限公司")
    assert list(BadRecord.objects.values_list("status", flat=True)) == [RecordStatus.DRAFT] * 2

"""Li, a licensing officer in Xihu, checks applicants in a real browser: one applicant, its
printable record, the record confirmed on /verify/ by someone else with no account; then a
file of applicants, its progress and its results. Batch parts are outbox jobs: the test runs
the drain between page loads where the worker would."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kernel.jobs import outbox_drain
from licensing.models import ApplicantCheck, ApplicantKind, ApplicationType, Verdict
from records.models import RecordStatus
from tests import factories
from tests.browser.conftest import staff_sign_in, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENCY = "杭州西湖国际旅行社有限公司"
LICENCE = "L-ZJ-CJ00001"


@pytest.fixture
def agency(bureaus, fang):
    operator = factories.operator(region=bureaus["xihu"], name=AGENCY, licence_no=LICENCE)
    factories.record(filer=fang, subject=operator, status=RecordStatus.PUBLISHED)
    return operator


def test_an_officer_checks_an_applicant_prints_the_record_and_a_stranger_verifies_it(
    portal, page, li, agency
):
    staff_sign_in(page, "li", next_path="/licensing/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        zh("Check an applicant against the list")
    )
    page.get_by_label(zh(str(ApplicantKind.OPERATOR.label))).check()
    page.get_by_label(zh("Name"), exact=True).fill("杭州西湖國際旅行社有限公司")  # traditional
    page.get_by_label(zh("Licence number (company)")).fill("l-zj-cj 00001")
    page.get_by_label(zh("Application type")).select_option(
        label=zh(str(ApplicationType.TRAVEL_AGENCY_LICENCE.label))
    )
    page.get_by_label(zh("Application reference number")).fill("浙旅许〔2026〕101号")
    page.get_by_role("button", name=zh("Check"), exact=True).click()

    check = ApplicantCheck.objects.get()
    expect(page).to_have_url(re.compile(rf"/licensing/checks/{check.number}/$"))
    expect(page.locator(".verdict")).to_contain_text(zh(str(Verdict.LISTED.label)))

    page.get_by_role("link", name=zh("Printable check record")).click()
    expect(page).to_have_url(re.compile(rf"/licensing/checks/{check.number}/print/$"))
    expect(page.locator("main")).to_contain_text(check.number)
    expect(page.locator("main")).to_contain_text(check.verification_code)

    # Someone holding the paper, with no account, in another browser.
    holder = portal.new_page()
    holder.goto("/verify/")
    holder.get_by_label(zh("Check number")).fill(check.number)
    holder.get_by_label(zh("Verification code")).fill("WRONG-CODE")
    with holder.expect_response(re.compile(r"/verify/$")) as answer:
        holder.get_by_role("button", name=zh("Verify")).click()
    assert answer.value.status == 404, answer.value.status
    expect(holder.get_by_role("alert")).to_have_text(
        zh("No check with this number and verification code was found.")
    )
    expect(holder.get_by_text(AGENCY)).to_have_count(0)

    holder.get_by_label(zh("Check number")).fill(check.number)
    holder.get_by_label(zh("Verification code")).fill(check.verification_code)
    with holder.expect_response(re.compile(r"/verify/$")) as answer:
        holder.get_by_role("button", name=zh("Verify")).click()
    assert answer.value.status == 200, answer.value.status
    expect(holder.get_by_role("heading", name=zh("This check is genuine"))).to_be_visible()
    expect(holder.locator("main")).to_contain_text("杭州西湖國際旅行社有限公司")
    expect(holder.locator("main")).to_contain_text(zh(str(Verdict.LISTED.label)))


BATCH = (
    "applicant_kind,name,credit_code,licence_no,identity_number,certificate_no,"
    "application_type,application_ref\n"
    f"operator,{AGENCY},,{LICENCE},,,travel_agency_licence,B-1\n"
    "operator,宁波明天旅行社有限公司,,,,,travel_agency_licence,B-2\n"
    "robot,某某,,,,,other,B-3\n"
)


def test_an_officer_uploads_a_file_of_applicants_watches_it_run_and_downloads_the_results(
    page, li, agency, tmp_path
):
    upload = tmp_path / "applicants.csv"
    upload.write_bytes(BATCH.encode("utf-8-sig"))

    staff_sign_in(page, "li", next_path="/licensing/batches/")
    page.get_by_label(zh("File of applicants (CSV or XLSX)")).set_input_files(upload)
    page.get_by_role("button", name=zh("Upload and check")).click()

    expect(page).to_have_url(re.compile(r"/licensing/batches/\d+/$"))
    progress = page.get_by_role("progressbar", name=zh("Progress"))
    expect(progress).to_have_attribute("value", "0")
    results = page.locator("main").get_by_role("link", name="CSV", exact=True)
    expect(results).to_have_count(0)

    assert outbox_drain() == 1  # the worker's turn: the batch's one part

    # The page reloads itself until the batch is done; no one clicks.
    expect(results).to_be_visible()
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("main")).to_contain_text(zh("Rows not checked"))

    with page.expect_download() as download:
        results.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    by_row = {row[0]: row for row in rows[1:]}
    assert set(by_row) == {"2", "3", "4"}
    assert ApplicantCheck.objects.get(batch_row=2).verdict == Verdict.LISTED
    assert ApplicantCheck.objects.get(batch_row=3).verdict == Verdict.NOT_LISTED

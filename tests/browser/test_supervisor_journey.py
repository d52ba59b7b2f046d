"""Su, the Hangzhou city supervisor, in a real browser: from the dashboard's timeliness
tiles to the accountability report, a month chosen in the period form, a drill-down to a
county and to the late records behind a figure, the XLSX download and the printable page;
axe finds nothing critical or serious on the pages she uses, at 1366 and 390 px."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from records.models import RecordStatus
from tests import factories
from tests.browser.conftest import axe_violations, describe, staff_sign_in, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "当事人申请行政复核，待复核结论作出后公布"


@pytest.fixture
def city(bureaus, fang, shang, su):
    today = timezone.localdate()
    for filer, days, late in ((fang, 3, False), (fang, 8, True), (shang, 2, False)):
        factories.record(
            filer=filer,
            status=RecordStatus.PUBLISHED,
            public_from=today,
            public_until=today + datetime.timedelta(days=730),
            is_late=late,
            late_publication_reason=REASON if late else "",
            publication_working_days=days,
        )
    return today


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_supervisor_reads_her_citys_timeliness_and_takes_the_report_away(portal, page, city):
    today = city
    staff_sign_in(page, "su")
    tile = page.get_by_role("link", name=re.compile(zh("on time this quarter")))
    expect(tile).to_be_visible()
    assert_accessible(page)
    tile.click()
    expect(page).to_have_url(re.compile(r"/supervision/accountability/\?bureau=330100"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("杭州市")

    # The month of today, chosen in the form.
    page.get_by_label(zh("Period")).select_option("month")
    page.get_by_label(zh("Year")).fill(str(today.year))
    page.get_by_label(zh("Month"), exact=True).select_option(str(today.month))
    page.get_by_role("button", name=zh("Show")).click()
    expect(page).to_have_url(re.compile(rf"kind=month&year={today.year}&.*month={today.month}&"))
    xihu = page.get_by_role("row", name=re.compile("西湖区"))
    expect(xihu.get_by_role("cell").nth(1)).to_have_text("2")  # published
    expect(xihu.get_by_role("cell").nth(3)).to_have_text("1")  # late
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    assert_accessible(page)

    # A wrong year is named, not a server error.
    page.get_by_label(zh("Year")).fill("1999")
    page.get_by_role("button", name=zh("Show")).click()
    expect(page.locator(".field-error")).to_contain_text(str(today.year + 1))
    page.go_back()

    # Drill down: Xihu's own report, then the late record behind its figure.
    page.get_by_role("link", name="西湖区", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("西湖区")
    page.locator("a.late").first.click()
    expect(page).to_have_url(re.compile(r"/admin/records/badrecord/\?.*=330106&.*is_late__exact=1"))
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name=zh("Download XLSX")).click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    late_rows = list(book.worksheets[3].values)[1:]
    assert [row[-1] for row in late_rows] == [REASON]

    page.get_by_role("link", name=zh("Printable page (A4)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        zh("Timeliness accountability report")
    )
    expect(page.locator("main")).to_contain_text(REASON)
    assert_accessible(page)

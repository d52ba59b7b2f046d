"""The timeliness accountability report (supervision): per bureau and period, rolled up the
bureau tree, with drill-down, ranking, trend, XLSX and a printable page."""

import datetime
import io
from collections import Counter
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from records.models import BadRecord, RecordStatus
from records.models.bad_records import EndReason
from records.services.bad_records import record_end_early
from supervision.accountability.periods import PeriodForm, quarter_period
from supervision.accountability.report import accountability_report, median_of
from tests import factories
from tests.conftest import client_for, make_user

D = datetime.date
# Wednesday 15 April 2026, 10:00 in Beijing: the second quarter; the first is over.
NOW = datetime.datetime(2026, 4, 15, 2, 0, tzinfo=datetime.UTC)
Q1 = {"kind": "quarter", "year": "2026", "quarter": "1"}
URL = "/supervision/accountability/"


def english(user):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def published(filer, *, on, days, late=False, reason="", created=None):
    record = factories.record(
        filer=filer,
        status=RecordStatus.PUBLISHED,
        public_from=on,
        public_until=on.replace(year=on.year + 2),
        is_late=late,
        late_publication_reason=reason,
        publication_working_days=days,
    )
    BadRecord.objects.filter(pk=record.pk).update(
        created_at=datetime.datetime.combine(created or on, datetime.time(9), datetime.UTC)
    )
    return record


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def first_quarter(frozen, bureaus, fang, shang, bei):
    """Xihu published three records in Q1 (one late), Shangcheng one, Beijing's Dongcheng
    one late; Xihu has one submission past its deadline now."""
    published(fang, on=D(2026, 1, 12), days=3)
    published(fang, on=D(2026, 2, 10), days=5)
    published(fang, on=D(2026, 3, 20), days=9, late=True, reason="当事人申请复核，等待结论")
    published(shang, on=D(2026, 3, 2), days=1)
    published(bei, on=D(2026, 2, 2), days=12, late=True, reason="北京的理由")
    published(fang, on=D(2026, 4, 1), days=2)  # Q2: not in the Q1 report
    factories.record(
        filer=fang,
        status=RecordStatus.SUBMITTED,
        basis_date=D(2026, 3, 30),  # deadline 7 April: overdue on 15 April
    )
    hangzhou_filer = make_user("hz", bureaus["hangzhou"])
    factories.record(filer=hangzhou_filer, status=RecordStatus.DRAFT, basis_date=D(2026, 4, 14))


def test_median_of_a_histogram():
    assert median_of(Counter()) is None
    assert median_of(Counter({4: 1})) == 4
    assert median_of(Counter({1: 1, 3: 1, 5: 1, 9: 1})) == 4
    assert median_of(Counter({2: 3, 10: 1})) == 2
    assert median_of(Counter({1: 1, 2: 1, 7: 5})) == 7


def test_the_city_report_rolls_up_each_county_and_totals_the_city(first_quarter, bureaus):
    report = accountability_report(
        bureau=bureaus["hangzhou"], period=quarter_period(2026, 1), today=D(2026, 4, 15)
    )
    rows = {row.bureau.code: row for row in report.branches}
    xihu, shangcheng = rows["330106"], rows["330102"]
    assert (xihu.filed, xihu.on_time, xihu.late, xihu.longest_days) == (3, 2, 1, 9)
    assert xihu.median_days == 5
    assert xihu.on_time_share == pytest.approx(2 / 3)
    assert (shangcheng.on_time, shangcheng.late, shangcheng.median_days) == (1, 0, 1)
    assert report.total.published == 4  # Beijing's publication is not Hangzhou's
    assert report.total.median_days == 4  # 1, 3, 5, 9
    assert report.total.overdue_now == xihu.overdue_now == 1
    assert [r.late_publication_reason for r in report.late_records] == ["当事人申请复核，等待结论"]
    assert [row.bureau.code for row in report.ranking] == ["330102", "330106"]


def test_the_national_report_rolls_counties_up_to_their_provinces(first_quarter, bureaus):
    report = accountability_report(
        bureau=bureaus["national"], period=quarter_period(2026, 1), today=D(2026, 4, 15)
    )
    rows = {row.bureau.code: row for row in report.branches}
    assert (rows["330000"].published, rows["330000"].late) == (4, 1)
    assert (rows["110000"].published, rows["110000"].late, rows["110000"].median_days) == (1, 1, 12)
    assert report.total.published == 5


def test_the_trend_counts_each_of_the_last_twelve_months(first_quarter, bureaus):
    report = accountability_report(
        bureau=bureaus["zhejiang"], period=quarter_period(2026, 1), today=D(2026, 4, 15)
    )
    assert [p.month for p in report.trend][0] == D(2025, 5, 1)
    assert [p.month for p in report.trend][-1] == D(2026, 4, 1)
    by_month = {p.month: (p.on_time, p.late) for p in report.trend}
    assert by_month[D(2026, 3, 1)] == (1, 1)
    assert by_month[D(2026, 4, 1)] == (1, 0)
    assert by_month[D(2025, 12, 1)] == (0, 0)


def test_the_supervisor_reads_her_citys_report_with_links_to_the_records(first_quarter, su):
    response = english(su).get(URL, Q1 | {"bureau": "330100"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Q1 2026" in page
    assert "当事人申请复核，等待结论" in page
    assert "北京的理由" not in page
    # Drill-down: a county's own report, and the records behind a figure.
    assert "?bureau=330106&amp;kind=quarter&amp;year=2026&amp;quarter=1" in page
    assert (
        "/admin/records/badrecord/?region=330106&amp;public_from__gte=2026-01-01"
        "&amp;public_from__lte=2026-03-31&amp;is_late__exact=1"
    ) in page
    assert "<svg" in page and '<title id="trend-title">' in page


def test_a_drill_down_link_lists_exactly_the_records_counted(first_quarter, su):
    client = client_for(su)
    response = client.get(
        "/admin/records/badrecord/",
        {
            "region": "330106",
            "public_from__gte": "2026-01-01",
            "public_from__lte": "2026-03-31",
            "is_late__exact": "0",
        },
    )
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    own = client.get("/admin/records/badrecord/", {"filed_by_bureau": "330100"})
    assert len(own.context["cl"].result_list) == 1


def test_credit_repairs_of_the_period_are_counted_per_county_and_linked(first_quarter, su, rui):
    repaired = BadRecord.objects.get(filing_bureau__code="330106", public_from=D(2026, 1, 12))
    record_end_early(record=repaired, by=rui, reason=EndReason.REPAIRED, reference="XF-1")
    q2 = {"kind": "quarter", "year": "2026", "quarter": "2"}
    client = english(su)
    page = client.get(URL, q2)
    rows = {row.bureau.code: row for row in page.context["report"].branches}
    assert (rows["330106"].repaired, rows["330102"].repaired) == (1, 0)
    assert page.context["report"].total.repaired == 1
    assert "Repaired early" in page.content.decode()
    assert client.get(URL, Q1).context["report"].total.repaired == 0  # repaired in Q2
    link = client.get(
        "/admin/records/badrecord/",
        {
            "region": "330106",
            "end_reason__exact": "repaired",
            "ended_early_at__date__gte": "2026-04-01",
            "ended_early_at__date__lte": "2026-06-30",
        },
    )
    assert [r.pk for r in link.context["cl"].result_list] == [repaired.pk]
    book = load_workbook(io.BytesIO(client.get(URL + "report.xlsx", q2).content))
    totals = [row for row in book.worksheets[0].iter_rows(values_only=True) if row[0] == "Total"]
    assert totals[0][-1] == 1


def test_the_supervisor_drills_down_to_a_county_but_not_outside_her_city(first_quarter, su):
    client = client_for(su)
    county = client.get(URL, Q1 | {"bureau": "330106"})
    assert county.status_code == 200
    assert county.context["report"].total.published == 3
    assert client.get(URL, Q1 | {"bureau": "110000"}).status_code == 404
    assert client.get(URL, Q1 | {"bureau": "330000"}).status_code == 404  # above her


def test_without_a_period_the_report_shows_the_current_quarter_of_the_own_bureau(first_quarter, su):
    report = client_for(su).get(URL).context["report"]
    assert report.bureau.code == "330100"
    assert (report.period.start, report.period.end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert report.total.published == 1


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"kind": "month", "year": "2026"}, "month", "Choose the month."),
        ({"kind": "quarter", "year": "abc", "quarter": "1"}, "year", "Enter a whole number."),
        ({"kind": "year", "year": "1999"}, "year", "Enter a year from 2000 to 2027."),
        ({"kind": "quarter", "year": "2026", "quarter": "5"}, "quarter", "Select a valid choice"),
        ({"kind": "range", "start": "2026-03-01", "end": "2026-02-01"}, "end", "cannot be before"),
        ({"kind": "range", "start": "2026-02-30", "end": "2026-03-01"}, "start", "valid date"),
        ({"kind": "range", "start": "1900-01-01", "end": "2026-03-01"}, "start", "from 2000-01-01"),
        ({"kind": "range", "start": "2001-01-01", "end": "2026-03-01"}, "end", "at most 3660"),
        ({"kind": "week", "year": "2026"}, "kind", "Select a valid choice"),
        ({"bureau": "<script>x</script>", "kind": "year", "year": "2026"}, "bureau", "six-digit"),
    ],
)
def test_bad_period_input_gets_a_message_naming_the_field(frozen, su, query, field, message):
    response = english(su).get(URL, query)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    page = response.content.decode()
    assert message in page
    assert "<script>x</script>" not in page
    for export in ("report.xlsx", "print/"):
        assert client_for(su).get(URL + export, query).status_code == 400


def test_the_period_form_reads_months_quarters_years_and_ranges():
    today = D(2026, 4, 15)

    def period(**data):
        form = PeriodForm(data, today=today)
        assert form.is_valid(), form.errors
        return form.period()

    assert (period(kind="month", year="2024", month="2").end) == D(2024, 2, 29)
    assert period(kind="month", year="2026", month="12").end == D(2026, 12, 31)
    assert period(kind="quarter", year="2026", quarter="3").start == D(2026, 7, 1)
    assert period(kind="year", year="2025").end == D(2025, 12, 31)
    assert period(kind="range", start="2026-01-05", end="2026-01-05").label == (
        "2026-01-05 to 2026-01-05"
    )


def test_the_xlsx_export_holds_the_figures_and_every_late_reason(first_quarter, su, fang):
    published(fang, on=D(2026, 3, 25), days=7, late=True, reason='=HYPERLINK("http://x")')
    response = english(su).get(URL + "report.xlsx", Q1)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="timeliness-330100-2026-01-01-2026-03-31.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Report", "Ranking", "Trend", "Late publications"]
    rows = list(book["Report"].values)
    xihu = next(row for row in rows if row and row[1] == "330106")
    assert xihu[2:10] == (4, 4, 2, 2, 0.5, 6, 9, 1)
    assert rows[-1][0] == "Total"
    reasons = [row[-1] for row in book["Late publications"].values][1:]
    assert reasons == ['\'=HYPERLINK("http://x")', "当事人申请复核，等待结论"]
    assert len(list(book["Trend"].values)) == 13


def test_the_printable_page_is_laid_out_for_a4_and_names_the_bureau_and_period(first_quarter, su):
    response = client_for(su).get(URL + "print/", Q1 | {"bureau": "330106"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "accountability.css" in page
    assert "330106" in page and "2026-01-01" in page and "2026-03-31" in page
    assert "当事人申请复核，等待结论" in page
    assert "size: A4" in Path("static/accountability.css").read_text(encoding="utf-8")


@pytest.mark.parametrize("persona", ["fang", "rui", "li", "archivist"])
def test_filers_reviewers_and_other_roles_cannot_read_the_report(frozen, request, persona):
    user = request.getfixturevalue(persona)
    for path in ("", "print/", "report.xlsx"):
        assert client_for(user).get(URL + path, Q1).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_staff_sign_in(frozen, bureaus):
    response = client_for(None).get(URL, Q1)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_the_report_runs_the_same_queries_however_many_bureaus_are_below(
    frozen, bureaus, su, fang, national_admin
):
    def count(user, bureau):
        client = client_for(user)
        client.get(URL, Q1 | {"bureau": bureau})  # warm the session and the calendar
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, Q1 | {"bureau": bureau}).status_code == 200
        return len(queries)

    published(fang, on=D(2026, 1, 12), days=3)
    small = count(su, "330100")
    for n in range(5):
        county = factories.bureau(f"3301{10 + n}", f"测试{n}区", bureaus["hangzhou"])
        filer = make_user(f"filer{n}", county)
        published(filer, on=D(2026, 2, 2), days=4 + n, late=n % 2 == 1, reason="理由")
    assert count(su, "330100") == small
    assert count(national_admin, "000000") == small


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "year", "year": "9" * 40},
        {"kind": "range", "start": "2026-01-01T00:00", "end": "x" * 5000},
        {"kind": ["month", "year"], "year": "2026", "month": "13"},
        {"bureau": "330106' OR 1=1 --", "kind": "year", "year": "2026"},
        {"bureau": "999999", "kind": "year", "year": "2026"},
    ],
)
def test_hostile_queries_get_a_4xx_not_a_server_error_with_debug_off(frozen, su, settings, query):
    settings.DEBUG = False
    client = client_for(su)
    client.raise_request_exception = False
    for path in ("", "print/", "report.xlsx"):
        assert client.get(URL + path, query).status_code in (400, 404)


def test_the_breadcrumb_leads_back_up_through_the_bureaus_in_between(first_quarter, national_admin):
    page = client_for(national_admin).get(URL, Q1 | {"bureau": "330106"}).content.decode()
    crumbs = page.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert "?bureau=330000&amp;kind=quarter" in crumbs
    assert "?bureau=330100&amp;kind=quarter" in crumbs
    assert "?bureau=000000" not in crumbs


def test_a_publication_of_today_counts_at_once_though_the_settled_days_are_cached(
    first_quarter, bureaus, fang
):
    def report():
        return accountability_report(
            bureau=bureaus["hangzhou"], period=quarter_period(2026, 2), today=D(2026, 4, 15)
        )

    before = report()
    assert before.total.published == 1  # 1 April, a settled day
    published(fang, on=D(2026, 4, 15), days=11, late=True, reason="今天公布")
    published(fang, on=D(2026, 5, 4), days=4)  # scheduled
    with CaptureQueriesContext(connection) as queries:
        after = report()
    assert (after.total.published, after.total.late, after.total.longest_days) == (3, 1, 11)
    april = next(p for p in after.trend if p.month == D(2026, 4, 1))
    assert (april.on_time, april.late) == (1, 1)  # settled days and today added up
    assert len(queries) == 7


def test_the_next_day_reads_the_settled_days_again_with_yesterdays_publications(
    first_quarter, bureaus, fang
):
    def report(today):
        return accountability_report(
            bureau=bureaus["hangzhou"], period=quarter_period(2026, 2), today=today
        )

    assert report(D(2026, 4, 15)).total.published == 1
    published(fang, on=D(2026, 4, 15), days=3)  # approved on the 15th, after that view
    assert report(D(2026, 4, 15)).total.published == 2  # today's: read live
    assert report(D(2026, 4, 16)).total.published == 2  # now settled, and not lost

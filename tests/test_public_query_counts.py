"""Public pages, the API list and the CSV export run a fixed number of SQL queries whatever
the page size, and the date boundary of the list at midnight China Standard Time."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publication import search
from records.models import RecordStatus
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
CST = datetime.timezone(datetime.timedelta(hours=8))


def queries_for(url: str, rows: int) -> int:
    """The queries of one cold request; at least `rows` records must be on the page."""
    cache.clear()  # counts and statistics are cached: measure the cold path every time
    search._shares.clear()  # and so are the search's statistics, per process
    with CaptureQueriesContext(connection) as queries:
        response = client_for(None).get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert body.count(b"TR000") >= rows, url
    return len(queries)


def grow(bureaus, fang, bei, n: int) -> None:
    for i in range(n):
        filer = fang if i % 2 else bei
        subject = (
            factories.practitioner(region=filer.bureau)
            if i % 3 == 0
            else factories.operator(region=filer.bureau)
        )
        factories.record(
            filer=filer, subject=subject, status=RecordStatus.PUBLISHED,
            public_from=datetime.date(2026, 11, 1) - datetime.timedelta(days=i),
            basis_date=datetime.date(2026, 9, 1),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("url", "share"),
    [
        ("/?size={n}", 1),
        ("/disclosures/?page_size={n}", 1),
        ("/disclosures/?page_size={n}&region=330000&sort=name", 2),
        ("/disclosures/?page_size={n}&q=测试", 2),
        ("/api/v1/disclosures/?page_size={n}", 1),
        ("/disclosures.csv?page_size={n}&page=1", 1),
        ("/disclosures/feed.atom?{n}", 1),
        ("/statistics/?{n}", 0),
        ("/statistics/330000/?{n}", 0),
    ],
)
def test_a_public_list_costs_the_same_number_of_queries_for_5_and_40_rows(
    frozen_today, bureaus, fang, bei, url, share
):
    grow(bureaus, fang, bei, 6)
    small = queries_for(url.format(n=6), 6 // share if share else 0)
    grow(bureaus, fang, bei, 34)
    assert queries_for(url.format(n=40), 10 // share if share else 0) == small


def test_a_detail_page_costs_the_same_for_a_county_and_a_national_record(
    frozen_today, bureaus, fang, national_admin
):
    county = factories.record(filer=fang, status=RecordStatus.PUBLISHED,
                              public_from=datetime.date(2026, 11, 1))  # fmt: skip
    national = factories.record(filer=national_admin, status=RecordStatus.PUBLISHED,
                                public_from=datetime.date(2026, 11, 1))  # fmt: skip
    assert queries_for(f"/disclosures/{county.reference}", 1) == queries_for(
        f"/disclosures/{national.reference}", 1
    )


def test_a_record_is_public_all_of_its_last_day_and_hidden_from_midnight_after_it(bureaus, fang):
    # Published on 29 February 2024: two years later there is no 29 February, so the period
    # ends on 28 February 2026 and the last public day is 27 February 2026.
    record = factories.record(
        filer=fang, status=RecordStatus.PUBLISHED, public_from=datetime.date(2024, 2, 29),
        basis_date=datetime.date(2024, 2, 20),
    )  # fmt: skip
    assert record.public_until == datetime.date(2026, 2, 27)
    url = f"/disclosures/{record.reference}"
    last_moment = datetime.datetime(2026, 2, 27, 23, 59, 59, tzinfo=CST)
    with time_machine.travel(last_moment, tick=False):
        cache.clear()
        assert client_for(None).get(url).status_code == 200
        assert record.reference in client_for(None).get("/api/v1/disclosures/").content.decode()
    with time_machine.travel(last_moment + datetime.timedelta(seconds=1), tick=False):
        cache.clear()
        assert client_for(None).get(url).status_code == 404
        assert record.reference not in client_for(None).get("/disclosures/").content.decode()
        assert client_for(None).get(f"/check/{record.licence_no}").context["records"] == []


def test_a_first_page_that_is_not_full_is_its_own_total(frozen_today, bureaus, fang, bei):
    """A short list (a rare name, a county's ground) is not counted: its first page holds
    all of it. A full first page is counted, and says how many there are."""
    grow(bureaus, fang, bei, 3)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page = client_for(None).get("/disclosures/", {"page_size": 10}).context["page"]
    assert (len(page.rows), page.total, page.approximate, page.pages) == (3, 3, False, 1)
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page = client_for(None).get("/disclosures/", {"page_size": 2}).context["page"]
    assert (len(page.rows), page.total, page.pages) == (2, 3, 2)
    assert any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.parametrize(
    "url", ["/", "/disclosures/", "/disclosures/?region=330000&sort=name", "/disclosures/?q=测试"]
)
def test_a_list_page_reads_what_its_rows_show_not_the_records_long_texts(
    frozen_today, bureaus, fang, bei, url
):
    grow(bureaus, fang, bei, 3)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client_for(None).get(url)
    assert response.status_code == 200 and b"TR000" in response.content
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"subject_name"' in read
    assert '"penalty_decision"' not in read and '"cause"' not in read

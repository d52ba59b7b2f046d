"""The list pages and CSV pages of a filter are answered from queries compiled once per shape
of filter (publication/prepared_lists.py). A citizen must get exactly what the ORM's own
queries give: the same rows, in the same order, with the same totals, and nothing hidden."""

import datetime
import itertools

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publication import deep_pages, prepared_lists, search
from publication.api import views as api_views
from publication.views import open_data, public
from records.models import RecordStatus
from records.services import bad_records
from tests import factories
from tests.conftest import client_for
from tests.public_fixtures import NOON

pytestmark = pytest.mark.django_db

VALUES = {
    "region": ["330000", "330100", "330106", "110000"],
    "ground": ["G1", "G3"],
    "sector": ["travel_agency", "accommodation"],
    "subject_type": ["operator", "practitioner"],
    "published_from": ["2026-03-01"],
    "published_to": ["2026-10-31"],
}
SECTORS = ["travel_agency", "accommodation", "catering"]


@pytest.fixture
def spread(public_list, fang, shang, bei):
    """Thirty more public records over three bureaus, grounds, sectors and dates."""
    for i in range(30):
        user = (fang, shang, bei)[i % 3]
        subject = (
            factories.practitioner(region=user.bureau)
            if i % 4 == 0
            else factories.operator(region=user.bureau, sector=SECTORS[i % 3], licence_no="")
        )
        start = datetime.date(2026, 1, 5) + datetime.timedelta(days=(i * 41) % 300)
        factories.record(
            filer=user, subject=subject, status=RecordStatus.PUBLISHED,
            ground=("G1", "G3", "G6")[i % 3] if i % 4 else "G5",
            public_from=start, basis_date=start - datetime.timedelta(days=7),
        )  # fmt: skip
    return public_list


def _queries(i: int) -> list[dict[str, str]]:
    """Every combination of the filters, each with one of its values, a sort and a page."""
    names = list(VALUES)
    found = []
    for size in range(len(names) + 1):
        for chosen in itertools.combinations(names, size):
            i += 1
            query = {name: VALUES[name][i % len(VALUES[name])] for name in chosen}
            query |= {"sort": ["newest", "oldest", "name"][i % 3], "page_size": "3"}
            found.append(query)
    return found


def _answers(client, queries):
    answers = []
    for query in queries:
        cache.clear()
        page = client.get("/disclosures/", {**query, "page": "2"}).context["page"]
        csv = client.get("/disclosures.csv", {**query, "page": "2"}).content.decode()
        # The API's first page (its later pages follow a cursor, which the ORM answers).
        api = client.get("/api/v1/disclosures/", query).json()
        answers.append(
            ([row.reference for row in page.rows], page.total, page.approximate, (csv, api))
        )
    return answers


def _take_the_orm(monkeypatch) -> None:
    """The list pages, the CSV pages and the API's first page answered by the ORM alone."""
    for module in (public, open_data, api_views):
        monkeypatch.setattr(module, "prepared_list", lambda *a, **k: None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_every_shape_of_filter_answers_what_the_orm_answers(spread, monkeypatch, settings):
    settings.PUBLIC_MAX_LIST_ROWS = 12  # some totals beyond the cap ("12+"), some within
    client = client_for(None)
    queries = _queries(0) + _queries(1)
    with CaptureQueriesContext(connection) as captured:
        prepared = _answers(client, queries)
    assert any("= ANY(" in q["sql"] for q in captured.captured_queries)  # the prepared path ran
    _take_the_orm(monkeypatch)
    by_orm = _answers(client, queries)
    assert prepared == by_orm
    assert any(approximate for _rows, _total, approximate, _csv in prepared)
    assert any(not approximate and total > 3 for _rows, total, approximate, _csv in prepared)
    hidden = {record.reference for record in spread.hidden.values()}
    shown = {ref for rows, *_rest in prepared for ref in rows}
    assert shown and not shown & hidden


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_a_shape_is_compiled_once_and_serves_any_region(spread, monkeypatch):
    monkeypatch.setattr(prepared_lists, "_PREPARED", {})
    client = client_for(None)
    for region in ("330106", "330000", "110000"):
        assert client.get("/disclosures/", {"region": region, "ground": "G1"}).status_code == 200
    assert len(prepared_lists._PREPARED) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_every_searched_shape_answers_what_the_orm_answers(spread, monkeypatch, settings):
    """Searches walked along the list and searches looked up by their pairs, with filters and
    sorts: the same pages and totals as the ORM's own queries."""
    settings.PUBLIC_SEARCH_COUNT_CAP = 5  # some totals beyond the cap, some within
    client = client_for(None)
    terms = ["旅行社", "公司", "张", "有限公", "酒店"]
    queries = [
        {**query, "q": terms[i % len(terms)]} for i, query in enumerate(_queries(2)[::3])
    ] + [{"q": term, "sort": sort} for term in terms for sort in ("newest", "oldest", "name")]
    common = {t[i : i + n]: 1.0 for t in terms for n in (1, 2) for i in range(len(t) - n + 1)}
    for shares in ({}, common):
        monkeypatch.setattr(search, "gram_shares", lambda using="default", s=shares: s)
        monkeypatch.setattr(prepared_lists, "_PREPARED", {})
        prepared = _answers(client, queries)
        ways = {shape.search for shape in prepared_lists._PREPARED}
        assert ways == ({"walk"} if shares else {"pairs"})
        with monkeypatch.context() as orm:
            _take_the_orm(orm)
            by_orm = _answers(client, queries)
        assert prepared == by_orm
        assert any(total for _rows, total, _approximate, _csv in prepared)


def test_other_searches_and_sqlite_take_the_orm(spread):
    from publication.filters import DisclosureFilter
    from publication.selectors import disclosures

    def prepared(params):
        filterset = DisclosureFilter(params, queryset=disclosures())
        assert filterset.is_valid()
        return prepared_lists.prepared_list(filterset)

    on_postgresql = connection.vendor == "postgresql"
    assert (prepared({"q": "旅行社", "region": "330000"}) is not None) == on_postgresql
    assert (prepared({"region": "330000"}) is not None) == on_postgresql
    assert prepared({"q": "西湖 - 国际"}) is None  # spaces and punctuation: trigrams
    assert prepared({"q": "L-ZJ-CJ 00001"}) is None  # a licence number


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
@pytest.mark.parametrize("sort", ["newest", "oldest", "name"])
def test_the_apis_first_page_is_prepared_and_its_cursor_leads_on(spread, monkeypatch, sort):
    """The first page is one statement whatever the sort (its cursor is made of the columns
    the page read: the name key for the sort by name), and the cursor leads on."""
    monkeypatch.setattr(prepared_lists, "_PREPARED", {})
    client = client_for(None)
    asked = {"region": "330000", "page_size": 2, "sort": sort}
    with CaptureQueriesContext(connection) as captured:
        first = client.get("/api/v1/disclosures/", asked).json()
    statements = [
        q for q in captured.captured_queries
        if "records_badrecord" in q["sql"] and "MAX(" not in q["sql"]
    ]  # fmt: skip
    assert len(statements) == 1
    assert len(prepared_lists._PREPARED) == 1 and first["next"]
    following = client.get(first["next"]).json()
    walked = [r["reference"] for r in first["results"] + following["results"]]
    _take_the_orm(monkeypatch)
    whole = client.get("/api/v1/disclosures/", {**asked, "page_size": 4}).json()
    assert len(walked) == 4 and walked == [r["reference"] for r in whole["results"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
@pytest.mark.parametrize("walked", [False, True])
def test_a_searched_page_and_its_total_come_from_one_gathering(
    spread, monkeypatch, settings, walked
):
    """A searched list page is one statement (its matches gathered once for the page and
    the count) and shows what the ORM's page and count show: first, middle and last pages,
    the last page of a capped list in an odd size, pages beyond the end and beyond the cap."""
    settings.PUBLIC_SEARCH_COUNT_CAP = 7
    common = dict.fromkeys(
        ["公", "司", "公司", "旅", "行", "旅行", "老", "字", "号", "老字", "字号"], 1.0
    )
    monkeypatch.setattr(search, "gram_shares", lambda using="default": common if walked else {})
    client = client_for(None)
    asked = [
        {"q": q, "page": page, "page_size": size, "sort": sort}
        for q, sort in (
            ("公司", "newest"),
            ("旅行", "name"),
            ("公司", "oldest"),
            ("老字号", "name"),
            ("无此名", "newest"),
        )
        for size in ("2", "3", "5")
        for page in ("1", "2", "3", "4", "99", "x")
    ]

    def pages():
        shown = []
        for query in asked:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                page = client.get("/disclosures/", query).context["page"]
            statements = [  # the list's own, not its last change's (the page's ETag)
                q for q in captured.captured_queries
                if "records_badrecord" in q["sql"] and "MAX(" not in q["sql"]
            ]  # fmt: skip
            shown.append(
                ([r.reference for r in page.rows], page.number, page.total, page.approximate)
            )
            yield shown[-1], len(statements)

    monkeypatch.setattr(prepared_lists, "_PREPARED", {})
    counted = list(pages())
    ways = {shape.search for shape in prepared_lists._PREPARED}
    assert ways == ({"walk", "pairs"} if walked else {"pairs"})  # 无此名 is never common
    with monkeypatch.context() as orm:
        _take_the_orm(orm)
        by_orm = [page for page, _statements in pages()]
    assert [page for page, _statements in counted] == by_orm
    # A page that exists is one statement; beyond the end the last page is read again.
    statements = [
        (query["page"], page[1], n) for query, (page, n) in zip(asked, counted, strict=True)
    ]
    assert all(n == 1 for asked_page, _number, n in statements if asked_page in ("1", "x"))
    assert all(n == 1 for asked_page, number, n in statements if asked_page == str(number))
    assert all(n <= 2 for _asked_page, _number, n in statements)
    assert any(approximate for _rows, _number, _total, approximate in by_orm)
    assert any(total and not approximate for _rows, _number, total, approximate in by_orm)
    assert any(number == 3 for _rows, number, _total, _approximate in by_orm)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_deep_pages_of_the_whole_list_start_from_kept_places(spread, monkeypatch, rui, settings):
    """Every page of the whole list, in every sort and several sizes, on the list page and
    in the CSV, is what the ORM's OFFSET gives — also right after a record leaves the list,
    when the kept places of the list as it was no longer apply."""
    monkeypatch.setattr(deep_pages, "CHUNK", 3)
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every page rendered, none served from the cache
    client = client_for(None)
    asked = [
        {"sort": sort, "page_size": size, "page": page}
        for sort in ("newest", "oldest", "name")
        for size in ("2", "3", "5")
        for page in range(1, 12)
    ]

    def pages():
        shown = []
        for query in asked:
            page = client.get("/disclosures/", query).context["page"]
            csv = client.get("/disclosures.csv", query).content.decode()
            shown.append(([r.reference for r in page.rows], page.number, page.total, csv))
        return shown

    def by_orm():
        with monkeypatch.context() as orm:
            _take_the_orm(orm)
            return pages()

    monkeypatch.setattr(prepared_lists, "_PREPARED", {})
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        started = pages()
    assert any(") < (" in q["sql"] for q in captured.captured_queries)  # from a kept place
    assert started == by_orm()
    # A record leaves the list a second later: the stamp changes (once its own reuse has run
    # out, here at once), and the places kept for the list as it was are not used.
    with time_machine.travel(NOON + datetime.timedelta(seconds=1), tick=False):
        bad_records.record_withdraw(record=spread.agency, by=rui, reason="复议撤销")
        cache.delete("disclosures-latest-change")
        after_a_change = pages()
        assert after_a_change == by_orm()
    assert after_a_change != started
    assert all(spread.agency.reference not in rows for rows, *_rest in after_a_change)
    assert any(rows and number > 3 for rows, number, *_rest in started)

"""The list pages and CSV pages of a filter are answered from queries compiled once per shape
of filter (publication/prepared_lists.py). A citizen must get exactly what the ORM's own
queries give: the same rows, in the same order, with the same totals, and nothing hidden."""

import datetime
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publication import prepared_lists
from publication.views import open_data, public
from records.models import RecordStatus
from tests import factories
from tests.conftest import client_for

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
        answers.append(([row.reference for row in page.rows], page.total, page.approximate, csv))
    return answers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_every_shape_of_filter_answers_what_the_orm_answers(spread, monkeypatch, settings):
    settings.PUBLIC_MAX_LIST_ROWS = 12  # some totals beyond the cap ("12+"), some within
    client = client_for(None)
    queries = _queries(0) + _queries(1)
    with CaptureQueriesContext(connection) as captured:
        prepared = _answers(client, queries)
    assert any("= ANY(" in q["sql"] for q in captured.captured_queries)  # the prepared path ran
    monkeypatch.setattr(public, "prepared_list", lambda *a, **k: None)
    monkeypatch.setattr(open_data, "prepared_list", lambda *a, **k: None)
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


def test_searches_and_sqlite_take_the_orm(spread):
    from publication.filters import DisclosureFilter
    from publication.selectors import disclosures

    searched = DisclosureFilter({"q": "旅行社", "region": "330000"}, queryset=disclosures())
    assert searched.is_valid()
    assert prepared_lists.prepared_list(searched, cap=100) is None
    plain = DisclosureFilter({"region": "330000"}, queryset=disclosures())
    assert plain.is_valid()
    found = prepared_lists.prepared_list(plain, cap=100)
    assert (found is not None) == (connection.vendor == "postgresql")

"""A name search of the public list is planned by how common its term is (publication/search.py):
walked along the list for a common term, looked up by index for a rare one. Both plans must
give a citizen the same rows, in the same order, with the same totals; never a hidden record."""

import datetime
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publication import filters, search
from records.models import BadRecord, RecordStatus
from records.search import search_records
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WORDS = ["西湖", "国际", "张", "青年", "酒店", "阳光", "山水"]
TAILS = ["旅行社有限公司", "大酒店有限公司", "景区管理处", "客运有限公司"]
TERMS = [
    "公司", "有限公司", "旅行社", "酒", "张", "西湖国际", "青年旅", "景区", "阳光山水", "隐藏",
    "國際", "湖国际旅", "店有限",
]  # fmt: skip
SORTS = ["newest", "oldest", "name"]


@pytest.fixture
def many_names(public_list, fang, shang):
    """Forty more public records whose names share words, over two bureaus and many days."""
    names = itertools.cycle(a + b + tail for tail in TAILS for a in WORDS for b in WORDS if a != b)
    for i in range(40):
        user = fang if i % 3 else shang
        start = datetime.date(2026, 1, 1) + datetime.timedelta(days=(i * 37) % 320)
        factories.record(
            filer=user,
            subject=factories.operator(region=user.bureau, name=next(names), licence_no=""),
            status=RecordStatus.PUBLISHED,
            public_from=start,
            basis_date=start - datetime.timedelta(days=5),
        )
    return public_list


def _pages(client, term: str, sort: str) -> list[tuple[list[str], int, bool]]:
    cache.clear()  # each plan renders its own pages
    found = []
    for number in (1, 2, 3):
        page = client.get(
            "/disclosures/", {"q": term, "sort": sort, "page_size": 4, "page": number}
        ).context["page"]
        found.append(([row.reference for row in page.rows], page.total, page.approximate))
    return found


def _every_term_common(monkeypatch):
    monkeypatch.setattr(search, "gram_shares", lambda using="default": dict.fromkeys(
        {c for term in TERMS for c in term} | {t[i : i + 2] for t in TERMS for i in range(len(t))},
        1.0,
    ))  # fmt: skip


def test_a_walked_search_finds_the_rows_the_index_finds(many_names, monkeypatch, settings):
    settings.PUBLIC_SEARCH_COUNT_CAP = 9  # some terms count past the cap, some do not
    client = client_for(None)
    with monkeypatch.context() as plain:
        plain.setattr(filters, "public_search", search_records)  # the search's definition
        by_definition = {(t, s): _pages(client, t, s) for t in TERMS for s in SORTS}
    monkeypatch.setattr(search, "gram_shares", lambda using="default": {})
    by_index = {(t, s): _pages(client, t, s) for t in TERMS for s in SORTS}
    _every_term_common(monkeypatch)
    walked = {(t, s): _pages(client, t, s) for t in TERMS for s in SORTS}
    assert walked == by_index == by_definition
    assert any(pages[0][2] for pages in walked.values())  # some totals were capped
    assert any(not pages[0][2] and pages[0][1] > 1 for pages in walked.values())
    hidden = {record.reference for record in many_names.hidden.values()}
    shown = {ref for pages in walked.values() for refs, _total, _approx in pages for ref in refs}
    assert shown and not shown & hidden


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the walk is planned on PostgreSQL")
def test_a_common_term_is_walked_and_a_rare_one_looked_up_by_index(many_names, monkeypatch):
    client = client_for(None)
    monkeypatch.setattr(search, "gram_shares", lambda using="default": {"公": 0.9, "张": 0.0001})
    with CaptureQueriesContext(connection) as walked:
        client.get("/disclosures/", {"q": "公"})
    with CaptureQueriesContext(connection) as indexed:
        client.get("/disclosures/", {"q": "张"})
    assert any("STRPOS" in q["sql"].upper() for q in walked.captured_queries)
    assert not any("name_grams" in q["sql"] for q in walked.captured_queries)
    assert any("name_grams" in q["sql"] for q in indexed.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's")
def test_a_rare_terms_ids_are_gathered_once_per_query_from_its_pairs(many_names, monkeypatch):
    """A rare term of three characters or more is found by its pairs in the index of
    characters and pairs (the plan PostgreSQL cannot turn into a walk), and the page's rows
    are read by the page's ids alone: the search is not run a second time for them."""
    monkeypatch.setattr(search, "gram_shares", lambda using="default": {})
    with CaptureQueriesContext(connection) as captured:
        response = client_for(None).get("/disclosures/", {"q": "西湖国际"})
    assert response.status_code == 200 and response.context["page"].rows
    searches = [q["sql"] for q in captured.captured_queries if "name_grams" in q["sql"]]
    assert searches and all(sql.count("name_grams") == 1 for sql in searches)
    assert all("ANY(ARRAY(" in sql for sql in searches)


@pytest.mark.parametrize("typed", ["a1旅", "Ａ1旅行", "12号", "b12号酒", "号酒店", "1旅", "七彩"])
def test_names_mixing_letters_digits_and_characters_are_found_by_their_pairs(
    public_list, fang, monkeypatch, typed
):
    """The full-text parser splits letters, digits and characters differently from how a
    citizen types them; the pairs asked for must still find every name holding the term."""
    for name in ("A1旅行社", "ＡＢ12号酒店", "七彩云南A1旅行社"):
        factories.record(
            filer=fang,
            subject=factories.operator(region=fang.bureau, name=name, licence_no=""),
            status=RecordStatus.PUBLISHED,
            public_from=datetime.date(2026, 3, 1),
            basis_date=datetime.date(2026, 2, 20),
        )
    client = client_for(None)
    monkeypatch.setattr(search, "gram_shares", lambda using="default": {})
    with monkeypatch.context() as plain:
        plain.setattr(filters, "public_search", search_records)
        expected = _pages(client, typed, "newest")
    assert expected[0][0]  # the term is in some name
    assert _pages(client, typed, "newest") == expected


def test_an_identifier_search_is_never_walked(many_names, monkeypatch):
    _every_term_common(monkeypatch)
    page = client_for(None).get("/disclosures/", {"q": "l-zj-cj 00001"}).context["page"]
    assert [row.reference for row in page.rows] == [many_names.agency.reference]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stats is PostgreSQL's")
def test_the_shares_are_what_postgresql_measured_on_the_public_rows(many_names, monkeypatch):
    monkeypatch.setattr(search, "_shares", {})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_badrecord")
    shares = search.gram_shares()
    # The index holds the published and scheduled rows (those ended today are archived
    # overnight); a draft's or a withdrawn record's name is not counted.
    indexed = list(
        BadRecord.objects.filter(
            status__in=[RecordStatus.PUBLISHED, RecordStatus.SCHEDULED]
        ).values_list("subject_name_key", flat=True)
    )
    for gram in ("公", "有限", "酒"):
        expected = sum(gram in name for name in indexed) / len(indexed)
        assert shares[gram] == pytest.approx(expected, abs=0.02), gram
    assert "撤" not in shares  # 撤销隐藏旅行社有限公司 was withdrawn


def test_a_longer_terms_share_is_estimated_from_its_pairs():
    shares = {"青": 0.02, "年": 0.04, "旅": 0.5, "游": 0.3}
    shares |= {"青年": 0.02, "年旅": 0.01, "旅游": 0.25}
    assert search.common_share("旅", shares) == 0.5
    assert search.common_share("旅游", shares) == 0.25
    # 青年 × (年旅 / 年) × (旅游 / 旅)
    assert search.common_share("青年旅游", shares) == pytest.approx(0.02 * 0.25 * 0.5)
    assert search.common_share("青年国", shares) == 0.0  # 年国 is not common
    assert search.common_share("国", shares) == 0.0
    assert search.common_share("旅-游", shares) == 0.0
    assert search.common_share("旅游", {}) == 0.0

"""The public pages as a visitor sees them: the list, its filters and search, the detail
page, the quick check and the statistics."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.utils import translation

from records.models import RecordStatus
from records.roles import Role
from records.services import bad_records
from tests import factories
from tests.conftest import client_for, make_user
from tests.public_fixtures import NOON

pytestmark = pytest.mark.django_db


def names_on(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'<a href="/disclosures/TR\d+">([^<]+)</a>', html))


def listed(client, query: str = "") -> set[str]:
    response = client.get(f"/disclosures/?{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    return names_on(response)


ALL_PUBLIC = {
    "杭州西湖国际旅行社有限公司",
    "上城湖滨大酒店有限公司",
    "北京东城老字号餐饮有限公司",
    "陈晓峰",
}


def test_home_page_shows_the_latest_publications_and_the_size_of_the_list(public_list):
    response = client_for(None).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert names_on(response) == ALL_PUBLIC
    assert "4" in re.sub(r"<[^>]+>", "", html)
    assert 'name="q"' in html


def test_the_list_shows_published_records_and_none_that_are_drafts_withdrawn_ended_or_archived(
    public_list,
):
    assert listed(client_for(None)) == ALL_PUBLIC


def test_the_list_speaks_chinese_by_default_and_english_after_the_switch(public_list):
    client = client_for(None)
    assert "公示" in client.get("/disclosures/").content.decode()
    client.get("/language/en/?next=/disclosures/")
    html = client.get("/disclosures/").content.decode()
    assert "Disclosed records" in html
    assert "黑名单" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=330000", {"杭州西湖国际旅行社有限公司", "上城湖滨大酒店有限公司", "陈晓峰"}),
        ("region=330100", {"杭州西湖国际旅行社有限公司", "上城湖滨大酒店有限公司", "陈晓峰"}),
        ("region=330102", {"上城湖滨大酒店有限公司"}),
        ("region=110000", {"北京东城老字号餐饮有限公司"}),
        ("ground=G3", {"上城湖滨大酒店有限公司"}),
        ("sector=catering", {"北京东城老字号餐饮有限公司"}),
        ("subject_type=practitioner", {"陈晓峰"}),
        ("subject_type=operator&region=330106", {"杭州西湖国际旅行社有限公司"}),
        ("published_from=2026-08-01&published_to=2026-10-13",
         {"上城湖滨大酒店有限公司", "杭州西湖国际旅行社有限公司"}),
        ("published_to=2025-12-31", {"北京东城老字号餐饮有限公司"}),
    ],
)  # fmt: skip
def test_filters_narrow_the_list(public_list, query, expected):
    assert listed(client_for(None), query) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "西湖国际",  # a part of the name
        "西湖國際",  # traditional characters
        "  西湖 国际 ",  # stray spaces
        "杭州西湖国际旅行社有限公司",
        "L-ZJ-CJ00001",
        "lzj cj 00001",  # licence in lower case, no hyphens
        "Ｌ－ＺＪ－ＣＪ００００１",  # full-width
    ],
)
def test_search_finds_the_agency_however_it_is_typed(public_list, typed):
    assert listed(client_for(None), f"q={typed}") == {"杭州西湖国际旅行社有限公司"}


def test_search_finds_an_operator_by_credit_code_in_any_case_and_spacing(public_list):
    code = public_list.hotel.credit_code
    spaced = " ".join([code[:6], code[6:12].lower(), code[12:]])
    assert listed(client_for(None), f"q={spaced}") == {"上城湖滨大酒店有限公司"}


def test_search_finds_a_guide_by_certificate_number_and_by_name(public_list):
    assert listed(client_for(None), "q=d 3301 008817") == {"陈晓峰"}
    assert listed(client_for(None), "q=陳曉峰") == {"陈晓峰"}


def test_search_never_finds_hidden_records(public_list):
    for typed in ("隐藏", "期满", "明日公示", "撤销", "隐藏导游甲"):
        assert listed(client_for(None), f"q={typed}") == set()


def test_search_treats_wildcards_and_markup_as_plain_text(public_list):
    client = client_for(None)
    assert listed(client, "q=%25") == set()
    assert listed(client, "q=_") == set()
    response = client.get("/disclosures/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_sorting_by_name_and_by_oldest(public_list):
    html = client_for(None).get("/disclosures/?sort=oldest").content.decode()
    assert html.index("北京东城老字号餐饮有限公司") < html.index("杭州西湖国际旅行社有限公司")
    html = client_for(None).get("/disclosures/?sort=newest").content.decode()
    assert html.index("杭州西湖国际旅行社有限公司") < html.index("北京东城老字号餐饮有限公司")


def test_pages_split_the_list_and_out_of_range_pages_show_the_last_one(public_list):
    client = client_for(None)
    first = names_on(client.get("/disclosures/?page_size=3"))
    second = names_on(client.get("/disclosures/?page_size=3&page=2"))
    assert len(first) == 3 and len(second) == 1
    assert first | second == ALL_PUBLIC
    assert names_on(client.get("/disclosures/?page_size=3&page=99")) == second
    assert names_on(client.get("/disclosures/?page_size=abc&page=-1")) == ALL_PUBLIC


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("region=999999", "Region", "There is no region with this code."),
        ("region=abc", "Region", "There is no region with this code."),
        ("ground=G9", "Ground", "Select a valid choice"),
        ("published_from=2026-13-01", "Published from", "Enter a valid date"),
        ("published_from=2026-10-01&published_to=2026-09-01", "Published until",
         "The end of the date range is before its start."),
    ],
)  # fmt: skip
def test_a_bad_filter_is_named_and_shows_no_rows(public_list, query, field, message):
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.get(f"/disclosures/?{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert field in html and message in html
    assert names_on(response) == set()


def test_detail_page_shows_exactly_the_published_fields(public_list, bureaus):
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en"})
    record = public_list.agency
    response = client.get(f"/disclosures/{record.reference}")
    html = response.content.decode()
    assert response.status_code == 200
    for shown in (
        "杭州西湖国际旅行社有限公司", "L-ZJ-CJ00001", "杭州市西湖区曙光路1号", "王建国",
        record.cause, record.penalty_decision, "2026-10-13", "2028-10-12", "G1",
        "西湖区", "浙江省",
    ):  # fmt: skip
        assert shown in html or shown.lower() in html.lower(), shown
    for never in (
        record.internal_note, record.credit_code, record.basis_number, "fang", "方芳",
        record.filed_by.username,
    ):  # fmt: skip
        assert never not in html, never


@pytest.mark.parametrize("kind", ["draft", "submitted", "returned", "withdrawn", "archived",
                                  "ended", "not_yet"])  # fmt: skip
def test_a_record_off_the_list_is_not_found_by_its_address(public_list, kind):
    record = public_list.hidden[kind]
    assert client_for(None).get(f"/disclosures/{record.reference}").status_code == 404
    assert client_for(None).get(f"/api/v1/disclosures/{record.reference}/").status_code == 404


def test_malformed_references_are_not_found(public_list):
    for reference in ("TR", "TRabc", "12", "TR" + "9" * 30):
        assert client_for(None).get(f"/disclosures/{reference}").status_code == 404
    # A NUL character is refused before any lookup (see tests/test_hostile_requests.py).
    assert client_for(None).get("/disclosures/tr%00").status_code == 400


@pytest.mark.parametrize("typed", ["L-ZJ-CJ00001", "l-zj-cj00001", "LZJCJ00001", "L ZJ CJ 00001"])
def test_quick_check_says_a_listed_agency_is_listed_however_the_number_is_typed(public_list, typed):
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.get(f"/check/{typed}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "is currently listed" in html
    assert names_on(response) == {"杭州西湖国际旅行社有限公司"}


def test_quick_check_says_an_unknown_or_hidden_number_is_not_listed(public_list, fang):
    ended = factories.operator(region=fang.bureau, licence_no="L-ZJ-CJ09999")
    factories.record(
        filer=fang, subject=ended, status=RecordStatus.ARCHIVED,
        public_from=public_list.hidden["archived"].public_from,
    )  # fmt: skip
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en"})
    for number in ("L-ZJ-CJ09999", "D-9999-000000", "'; DROP TABLE x;--"):
        response = client.get("/check/", {"number": number}, follow=True)
        assert response.status_code == 200
        assert "is not on the current list" in response.content.decode()


def test_quick_check_of_a_guide_certificate(public_list):
    response = client_for(None).get("/check/d-3301-008817")
    assert names_on(response) == {"陈晓峰"}


def test_statistics_count_todays_list_by_ground_province_and_month(public_list):
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.get("/statistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="bars"' in html and "cdn" not in html.lower()
    stats = response.context["stats"]
    assert stats.total == 4
    by_ground = {bar.label.split()[0]: bar.count for bar in stats.by_ground}
    assert by_ground == {"G1": 1, "G2": 0, "G3": 1, "G4": 0, "G5": 1, "G6": 0, "G7": 1}
    assert {bar.label: bar.count for bar in stats.by_province} == {"浙江省": 3, "北京市": 1}
    by_month = {bar.label: bar.count for bar in stats.by_month if bar.count}
    assert by_month == {"2025-12": 1, "2026-06": 1, "2026-08": 1, "2026-10": 1}
    assert len(stats.by_month) == 11  # every month between, the empty ones at 0


def test_a_provinces_statistics_count_its_cities_and_counties_only(public_list):
    """Each province's name on the national statistics opens its own: its records by ground,
    by city or county (a municipality's districts directly) and by month; hidden records of
    the same bureaus are not counted, nor are other provinces'."""
    client = client_for(None)
    national = client.get("/statistics/")
    links = {bar.label: bar.url for bar in national.context["stats"].by_province}
    assert links == {"浙江省": "/statistics/330000/", "北京市": "/statistics/110000/"}
    assert '<a href="/statistics/330000/">浙江省</a>' in national.content.decode()

    zhejiang = client.get(links["浙江省"])
    stats = zhejiang.context["stats"]
    assert (stats.region, stats.total) == ("浙江省", 3)
    assert {bar.label: bar.count for bar in stats.by_province} == {"杭州市": 3}
    by_ground = {bar.label.split()[0]: bar.count for bar in stats.by_ground if bar.count}
    assert by_ground == {"G1": 1, "G3": 1, "G5": 1}
    by_month = {bar.label: bar.count for bar in stats.by_month if bar.count}
    assert by_month == {"2026-06": 1, "2026-08": 1, "2026-10": 1}
    html = zhejiang.content.decode()
    assert "<title>浙江省 · 统计" in html and "按市县" in html and "北京" not in html

    beijing = client.get("/statistics/110000/").context["stats"]
    assert {bar.label: bar.count for bar in beijing.by_province} == {"东城区": 1}
    assert sum(bar.count for bar in beijing.by_month) == beijing.total == 1


@pytest.mark.parametrize("code", ["330100", "330106", "000000", "999999", "33", "abc"])
def test_statistics_of_anything_but_a_province_are_not_found(public_list, code):
    assert client_for(None).get(f"/statistics/{code}/").status_code == 404


def test_a_provinces_statistics_follow_a_new_publication_at_once(public_list, shang):
    client = client_for(None)
    assert client.get("/statistics/330000/").context["stats"].total == 3
    with time_machine.travel(NOON + datetime.timedelta(seconds=5), tick=False):
        factories.record(
            filer=shang, status=RecordStatus.PUBLISHED, public_from=datetime.date(2026, 11, 20),
            basis_date=datetime.date(2026, 11, 10),
        )  # fmt: skip
        assert client.get("/statistics/330000/").context["stats"].total == 4
        assert client.get("/statistics/110000/").context["stats"].total == 1


def test_public_pages_have_a_language_a_title_and_labelled_fields(public_list):
    for url in ("/", "/disclosures/", "/check/", "/statistics/",
                f"/disclosures/{public_list.agency.reference}"):  # fmt: skip
        html = client_for(None).get(url).content.decode()
        assert '<html lang="zh-hans">' in html, url
        assert "<title>" in html and "<h1>" in html, url
        for field_id in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html):
            assert f'for="{field_id}"' in html, (url, field_id)


def test_short_searches_of_one_or_two_characters_find_names_containing_them(public_list, fang):
    """Two-character names are too short for trigram indexes; PostgreSQL answers them from
    the index of single characters and pairs, SQLite by scanning: the same rows either way."""
    for name in ("张伟", "张伟华", "李张伟", "张 伟", "弓长伟"):
        person = factories.practitioner(region=fang.bureau, name=name, certificate_no="")
        factories.record(
            filer=fang, subject=person, status=RecordStatus.PUBLISHED, ground="G5",
            public_from=public_list.agency.public_from,
        )  # fmt: skip
    client = client_for(None)
    assert listed(client, "q=张伟") == {"张伟", "张伟华", "李张伟", "张 伟"}
    assert listed(client, "q=張偉") == {"张伟", "张伟华", "李张伟", "张 伟"}
    assert listed(client, "q=伟华") == {"张伟华"}
    assert listed(client, "q=弓") == {"弓长伟"}
    assert listed(client, "q=隐") == set()


def test_the_language_links_switch_and_return_only_to_pages_of_this_site(public_list):
    client = client_for(None)
    response = client.get("/language/en/?next=/statistics/")
    assert response.status_code == 302 and response["Location"] == "/statistics/"
    assert "By ground" in client.get("/statistics/").content.decode()
    assert client.get("/language/en/?next=https://evil.example/").headers["Location"] == "/"
    client.get("/language/xx/?next=/")  # an unknown language changes nothing
    assert "By ground" in client.get("/statistics/").content.decode()
    client.get("/language/zh-hans/")
    assert "按情形" in client.get("/statistics/").content.decode()


def test_a_cached_page_is_never_served_after_a_record_changes(public_list, rui):
    client = client_for(None)
    assert "杭州西湖国际旅行社有限公司" in client.get("/disclosures/").content.decode()
    with time_machine.travel(NOON + datetime.timedelta(seconds=1), tick=False):
        bad_records.record_withdraw(record=public_list.agency, by=rui, reason="复议撤销")
        assert "杭州西湖国际旅行社有限公司" not in client.get("/disclosures/").content.decode()


def test_a_record_withdrawn_after_it_was_read_is_gone_from_its_page_api_and_quick_check(
    public_list, rui
):
    # The one-record lookups are compiled once and reused: the reuse must not keep the row.
    agency = public_list.agency
    client = client_for(None)
    addresses = (f"/disclosures/{agency.reference}", f"/api/v1/disclosures/{agency.reference}/")
    for address in addresses:
        assert client.get(address).status_code == 200
    assert client.get(f"/check/{agency.licence_no}").context["records"]
    with time_machine.travel(NOON + datetime.timedelta(seconds=1), tick=False):
        bad_records.record_withdraw(record=agency, by=rui, reason="复议撤销")
        for address in addresses:
            assert client.get(address).status_code == 404
        assert client.get(f"/check/{agency.licence_no}").context["records"] == []


def test_a_signed_in_visitor_never_gets_a_page_cached_for_someone_else(public_list, fang):
    anonymous = client_for(None).get("/disclosures/")
    signed_in = client_for(fang).get("/disclosures/")
    assert anonymous["ETag"] != signed_in["ETag"]


def test_the_region_filter_offers_provinces_then_the_chosen_provinces_cities_and_counties(
    public_list,
):
    def options(query):
        html = client_for(None).get(f"/disclosures/?{query}").content.decode()
        select = html[
            html.index('id="id_region"') : html.index("</select>", html.index('id="id_region"'))
        ]
        return re.findall(r'<option value="(\d+)"( selected)?', select)

    assert [code for code, _ in options("")] == ["110000", "330000"]
    within = options("region=330106")
    assert [code for code, _ in within] == ["110000", "330000", "330100", "330102", "330106"]
    assert [code for code, selected in within if selected] == ["330106"]


def test_a_long_list_says_how_many_rows_it_has_up_to_the_deepest_page_then_more(
    public_list, settings
):
    """Totals are counted up to the deepest row the pages open (PUBLIC_MAX_LIST_ROWS), then
    shown as "N+": a whole province's count is not paid for on every new filter."""
    client = client_for(None)
    settings.PUBLIC_MAX_LIST_ROWS = 4
    page = client.get("/disclosures/?page_size=3").context["page"]
    assert (page.total, page.approximate, page.pages) == (4, False, 2)
    assert "共 4 条" in client.get("/disclosures/?page_size=3").content.decode()

    settings.PUBLIC_MAX_LIST_ROWS = 3
    response = client.get("/disclosures/?page_size=2&page=9")
    page = response.context["page"]
    assert (page.total, page.approximate, page.capped, page.pages) == (3, True, True, 2)
    assert page.number == 2  # the page holding the deepest row that may be opened
    assert "共 3+ 条" in response.content.decode()
    client.get("/language/en/?next=/disclosures/")
    assert "of 3+" in client.get("/disclosures/?page_size=2&page=9").content.decode()


@pytest.mark.parametrize("sort", ["newest", "oldest", "name"])
@pytest.mark.parametrize("size", [1, 3])
def test_pages_api_pages_and_csv_pages_hold_the_ordered_list_row_for_row(public_list, sort, size):
    """A page's rows are found over ids first (index-only on PostgreSQL), then read: the
    same rows in the same order as the ordered list, for every sort and page size."""
    from publication.filters import SORTS
    from records.models import BadRecord

    expected = [
        r.subject_name for r in BadRecord.objects.public().order_by(*SORTS[sort]).only("id")
    ]
    assert len(expected) == len(ALL_PUBLIC)
    client = client_for(None)
    pages = -(-len(expected) // size)
    shown = []
    for number in range(1, pages + 1):
        html = client.get(f"/disclosures/?sort={sort}&page_size={size}&page={number}")
        shown += re.findall(r'<a href="/disclosures/TR\d+">([^<]+)</a>', html.content.decode())
    assert shown == expected

    from_api = []
    page = client.get(f"/api/v1/disclosures/?sort={sort}&page_size={size}").json()
    from_api += [row["name"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        from_api += [row["name"] for row in page["results"]]
    assert from_api == expected

    from_csv = []
    for number in range(1, pages + 1):
        answer = client.get(f"/disclosures.csv?sort={sort}&page_size={size}&page={number}")
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[1:]
        from_csv += [next(cell for cell in row if cell in ALL_PUBLIC) for row in rows]
    assert from_csv == expected


def test_the_record_table_escapes_names_as_plain_text(public_list, fang):
    """The table's rows are written in Python (record_rows): a name holding markup shows as
    text on the list, the home page and the quick check."""
    name = '<b onmouseover="x">坏&名</b>'
    factories.record(
        filer=fang,
        subject=factories.operator(region=fang.bureau, name=name, licence_no="L-ZJ-CJ00077"),
        status=RecordStatus.PUBLISHED,
        public_from=datetime.date(2026, 11, 1),
        basis_date=datetime.date(2026, 10, 20),
    )
    client = client_for(None)
    for url in ("/disclosures/", "/", "/check/L-ZJ-CJ00077"):
        html = client.get(url).content.decode()
        assert "&lt;b onmouseover=&quot;x&quot;&gt;坏&amp;名&lt;/b&gt;" in html, url
        assert "<b onmouseover" not in html, url


def test_a_name_search_counts_only_to_the_search_cap(public_list, settings):
    """A common short term matches much of the list: its total is counted up to
    PUBLIC_SEARCH_COUNT_CAP and shown as "N+", while the list itself still counts further."""
    client = client_for(None)
    found = client.get("/disclosures/?q=公司&page_size=1").context["page"]
    assert found.total >= 2 and not found.approximate
    unfiltered = client.get("/disclosures/?page_size=1").context["page"]

    settings.PUBLIC_SEARCH_COUNT_CAP = found.total - 1
    response = client.get("/disclosures/?q=公司&page_size=1&page=99")
    page = response.context["page"]
    assert (page.total, page.approximate, page.pages) == (found.total - 1, True, found.total - 1)
    assert f"共 {found.total - 1}+ 条" in response.content.decode()
    assert client.get("/disclosures/?page_size=2").context["page"].total == unfiltered.total


@pytest.mark.parametrize("asked", ["page", "api", "csv"])
def test_a_record_of_a_bureau_created_after_the_first_list_names_its_bureau(bureaus, fang, asked):
    """The list, the API list and the CSV name each record's bureau from the bureaus read
    once per process; a bureau created since is read again, not missed (and never a
    server error), whichever of them is asked first."""
    factories.record(filer=fang, status=RecordStatus.PUBLISHED,
                     public_from=datetime.date(2026, 3, 1))  # fmt: skip
    assert client_for(None).get("/disclosures/").status_code == 200
    assert client_for(None).get("/api/v1/disclosures/").status_code == 200
    yuhang = factories.bureau("330110", "余杭区", bureaus["hangzhou"])
    factories.record(filer=make_user("yu", yuhang, Role.FILER), status=RecordStatus.PUBLISHED,
                     public_from=datetime.date(2026, 3, 2))  # fmt: skip
    newest = {"sort": "newest", "page": 1}
    if asked == "page":
        page = client_for(None).get("/disclosures/", newest)
        with translation.override("zh-hans"):
            expected = [str(yuhang), str(bureaus["xihu"])]
        assert [row.bureau for row in page.context["page"].rows] == expected
    elif asked == "api":
        api = client_for(None).get("/api/v1/disclosures/", newest).json()["results"]
        assert [r["publishing_bureau"]["code"] for r in api] == ["330110", "330106"]
        assert [r["publishing_bureau"]["region"] for r in api] == ["余杭区", "西湖区"]
    else:
        text = client_for(None).get("/disclosures.csv", newest).content.decode("utf-8-sig")
        assert "余杭区" in text and text.index("330110") < text.index("330106")

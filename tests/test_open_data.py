"""Open data: the JSON API, its schema and docs, the CSV export, the Atom feed, the change
feed for mirrors, and HTTP caching."""

import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest
import time_machine

from records.models import RecordStatus
from records.services import bad_records
from tests import factories
from tests.conftest import client_for
from tests.public_fixtures import NOON

pytestmark = pytest.mark.django_db
SHAPE = Path(__file__).parent / "data" / "disclosure_api_record.json"


def api(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def names(payload) -> set[str]:
    return {row["name"] for row in payload["results"]}


def test_api_lists_todays_public_records_only(public_list):
    payload = api(client_for(None), "/api/v1/disclosures/")
    assert names(payload) == {
        "杭州西湖国际旅行社有限公司",
        "上城湖滨大酒店有限公司",
        "北京东城老字号餐饮有限公司",
        "陈晓峰",
    }


def test_api_record_has_the_stored_shape(public_list):
    record = api(client_for(None), f"/api/v1/disclosures/{public_list.agency.reference}/")
    record["updated_at"] = "<moment>"
    record["reference"] = "<reference>"
    record["url"] = record["url"].replace(public_list.agency.reference, "<reference>")
    assert record == json.loads(SHAPE.read_text(encoding="utf-8"))


def test_api_filters_and_search_are_those_of_the_list_page(public_list):
    client = client_for(None)
    assert names(api(client, "/api/v1/disclosures/", region="330102")) == {"上城湖滨大酒店有限公司"}
    assert names(api(client, "/api/v1/disclosures/", q="西湖國際")) == {
        "杭州西湖国际旅行社有限公司"
    }
    assert names(api(client, "/api/v1/disclosures/", q="lzjcj00001")) == {
        "杭州西湖国际旅行社有限公司"
    }
    assert names(api(client, "/api/v1/disclosures/", ground="G5")) == {"陈晓峰"}


def test_api_refuses_a_bad_filter_naming_the_field(public_list):
    client = client_for(None)
    response = client.get("/api/v1/disclosures/", {"region": "999999", "ground": "G0"})
    assert response.status_code == 400
    assert set(response.json()) == {"region", "ground"}


def test_api_pages_are_stable_while_records_are_published(public_list, fang):
    client = client_for(None)
    first = api(client, "/api/v1/disclosures/", page_size=2)
    assert len(first["results"]) == 2 and first["next"]
    # A newer record is published between the two pages: the walk neither repeats nor skips.
    factories.record(
        filer=fang, status=RecordStatus.PUBLISHED, public_from=datetime.date(2026, 11, 27),
        basis_date=datetime.date(2026, 11, 20),
    )  # fmt: skip
    seen = [row["reference"] for row in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["reference"] for row in page["results"]]
    assert len(seen) == len(set(seen)) == 4


def test_schema_and_docs_describe_the_api_without_a_cdn(public_list):
    client = client_for(None)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/disclosures/",
        "/api/v1/disclosures/{reference}/",
        "/api/v1/disclosures/changes/",
    ):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/disclosures/"]["get"]["parameters"]}
    assert {"q", "region", "ground", "sector", "subject_type", "published_from"} <= parameters
    docs = client.get("/api/docs/").content.decode()
    # Swagger UI is started by a static file of ours (no inline script, for the
    # Content-Security-Policy), which reads the schema's address from the page.
    assert "api-docs.js" in docs
    assert 'data-schema-url="/api/schema/"' in docs
    assert "cdn." not in docs and "//unpkg" not in docs


def test_api_docs_are_in_the_sites_frame_and_language_with_no_inline_script(public_list):
    client = client_for(None)
    page = client.get("/api/docs/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "开放数据接口" in page and 'href="/disclosures/"' in page  # heading, site's menu
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert " style=" not in page and "<style" not in page
    client.get("/language/en/?next=/api/docs/")
    english = client.get("/api/docs/").content.decode()
    assert '<html lang="en">' in english and "Open data API" in english


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8 Chinese
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_has_the_filtered_list_in_utf8_for_excel(public_list):
    response = client_for(None).get("/disclosures.csv", {"region": "330000"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert {row[1] for row in rows[1:]} == {
        "杭州西湖国际旅行社有限公司", "上城湖滨大酒店有限公司", "陈晓峰",
    }  # fmt: skip


def test_csv_export_neutralises_cells_that_spreadsheets_would_run(public_list, fang):
    hostile = factories.operator(region=fang.bureau, name='=HYPERLINK("http://x")旅行社')
    factories.record(
        filer=fang, subject=hostile, status=RecordStatus.PUBLISHED,
        cause="@SUM(1+1)", penalty_decision="+1", complaint_result="-2",
        public_from=datetime.date(2026, 11, 1), basis_date=datetime.date(2026, 10, 1),
    )  # fmt: skip
    rows = read_csv(client_for(None).get("/disclosures.csv", {"q": "HYPERLINK"}))
    row = rows[1]
    assert row[1].startswith("'=")
    assert row[10] == "'@SUM(1+1)" and row[11] == "'+1" and row[12] == "'-2"


def test_csv_export_of_one_page(public_list):
    rows = read_csv(client_for(None).get("/disclosures.csv", {"page": 2, "page_size": 3}))
    assert len(rows) == 2  # the header and the fourth record


def test_csv_export_of_an_absurdly_deep_page_is_empty_not_an_error(public_list):
    response = client_for(None).get("/disclosures.csv", {"page": "9" * 30, "page_size": 100})
    assert response.status_code == 200
    assert len(read_csv(response)) == 1  # the header only


def test_csv_export_refuses_a_bad_filter_in_words(public_list):
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.get("/disclosures.csv", {"published_from": "yesterday"})
    assert response.status_code == 400
    assert "Published from: Enter a valid date." in response.content.decode()


def test_atom_feed_lists_new_publications(public_list):
    response = client_for(None).get("/disclosures/feed.atom")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert body.count("<entry>") == 4
    assert "杭州西湖国际旅行社有限公司 (G1)" in body
    assert body.index("杭州西湖国际旅行社有限公司") < body.index("北京东城老字号餐饮有限公司")


def test_change_feed_names_new_records_and_those_withdrawn_or_ended_since(public_list, rui):
    since = (NOON - datetime.timedelta(days=2)).isoformat()
    payload = api(client_for(None), "/api/v1/disclosures/changes/", changed_since=since)
    removed = {(r["reference"], r["reason"]) for r in payload["removed"]}
    assert removed == {
        (public_list.hidden["ended"].reference, "ended"),  # last public day 26 November
    }
    # Withdrawn three days ago: only a longer look-back names it.
    since = (NOON - datetime.timedelta(days=4)).isoformat()
    payload = api(client_for(None), "/api/v1/disclosures/changes/", changed_since=since)
    removed = {(r["reference"], r["reason"]) for r in payload["removed"]}
    assert (public_list.hidden["withdrawn"].reference, "withdrawn") in removed
    assert set(payload["removed"][0]) == {"reference", "reason", "removed_at"}


def test_change_feed_names_a_record_withdrawn_just_now_and_a_correction(public_list, rui, shang):
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        since = (NOON + datetime.timedelta(minutes=30)).isoformat()
        bad_records.record_withdraw(record=public_list.hotel, by=shang, reason="复议撤销")
        bad_records.record_correct(
            record=public_list.agency, by=rui, data={"cause": "更正后的事由"}, reason="笔误"
        )
        payload = api(client_for(None), "/api/v1/disclosures/changes/", changed_since=since)
    assert [r["reference"] for r in payload["removed"]] == [public_list.hotel.reference]
    assert [(r["reference"], r["cause"]) for r in payload["updated"]] == [
        (public_list.agency.reference, "更正后的事由")
    ]


@pytest.mark.parametrize("value", ["", "yesterday", "2026-13-01T00:00", "2027-01-01T00:00"])
def test_change_feed_refuses_a_missing_bad_or_future_moment(public_list, value):
    response = client_for(None).get("/api/v1/disclosures/changes/", {"changed_since": value})
    assert response.status_code == 400
    assert "changed_since" in response.json()


@pytest.mark.parametrize(
    "url", ["/", "/disclosures/", "/disclosures.csv", "/disclosures/feed.atom",
            "/api/v1/disclosures/", "/statistics/"],
)  # fmt: skip
def test_an_unchanged_list_answers_304_to_etag_and_last_modified(public_list, url):
    client = client_for(None)
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_change_to_any_record_or_a_new_day_changes_the_etag(public_list, rui):
    client = client_for(None)
    etag = client.get("/disclosures/")["ETag"]
    with time_machine.travel(NOON + datetime.timedelta(minutes=5), tick=False):
        bad_records.record_correct(
            record=public_list.agency, by=rui, data={"cause": "新的事由"}, reason="笔误"
        )
        assert client.get("/disclosures/", HTTP_IF_NONE_MATCH=etag).status_code == 200
        etag = client.get("/disclosures/")["ETag"]
    with time_machine.travel(NOON + datetime.timedelta(hours=13), tick=False):  # next day
        assert client.get("/disclosures/", HTTP_IF_NONE_MATCH=etag).status_code == 200

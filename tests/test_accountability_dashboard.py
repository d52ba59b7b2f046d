"""The timeliness tiles of the admin home, and the late-publication reason the admin's
publish page asks for."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import BadRecord, RecordStatus
from tests import factories
from tests.conftest import client_for, make_user

D = datetime.date
NOW = datetime.datetime(2026, 4, 15, 2, 0, tzinfo=datetime.UTC)  # Wed 15 April 2026


def tiles(user) -> dict[str, tuple[str, str]]:
    """The admin home's tiles as label → (count, link), in English."""
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/admin/").content.decode()
    found = re.findall(
        r'<li class="dashboard-tile[^"]*"><a href="([^"]+)"><strong>([^<]+)</strong> ([^<]+)</a>',
        page,
    )
    return {label: (count, url.replace("&amp;", "&")) for url, count, label in found}


def publish(filer, on, late):
    return factories.record(
        filer=filer,
        status=RecordStatus.PUBLISHED,
        public_from=on,
        public_until=on.replace(year=on.year + 2),
        is_late=late,
        publication_working_days=9 if late else 3,
    )


@pytest.fixture
def region(bureaus, fang, shang):
    with time_machine.travel(NOW, tick=False):
        factories.record(filer=fang, status=RecordStatus.DRAFT, basis_date=D(2026, 4, 14))
        factories.record(filer=fang, status=RecordStatus.SUBMITTED, basis_date=D(2026, 3, 30))
        factories.record(filer=shang, status=RecordStatus.SUBMITTED, basis_date=D(2026, 4, 13))
        factories.record(filer=shang, status=RecordStatus.RETURNED, basis_date=D(2026, 3, 2))
        publish(fang, D(2026, 4, 2), late=False)
        publish(fang, D(2026, 4, 9), late=True)
        publish(shang, D(2026, 2, 2), late=False)
        yield


def test_the_city_supervisor_sees_her_regions_backlog_and_on_time_shares(region, su):
    with time_machine.travel(NOW, tick=False):
        shown = tiles(su)
    assert shown["drafts"][0] == "1"
    assert shown["waiting for review"][0] == "2"
    assert shown["returned to the filer"][0] == "1"
    assert shown["past the publication deadline"] == (
        "2",
        "/admin/records/badrecord/?region=330100&timeliness=overdue",
    )
    assert shown["on time this quarter"] == (
        "50%",
        "/supervision/accountability/?bureau=330100&kind=quarter&year=2026&quarter=2",
    )
    assert shown["on time last quarter"][0] == "100%"


def test_a_filer_sees_only_her_own_bureaus_work(region, fang):
    with time_machine.travel(NOW, tick=False):
        shown = tiles(fang)
    assert shown["waiting for review"] == (
        "1",
        "/admin/records/badrecord/?filed_by_bureau=330106&status=submitted",
    )
    assert shown["returned to the filer"][0] == "0"  # Shangcheng's is not hers
    assert shown["past the publication deadline"][0] == "1"
    assert shown["on time last quarter"][0] == "—"


def test_a_tile_link_lists_what_the_tile_counted(region, su):
    with time_machine.travel(NOW, tick=False):
        count, url = tiles(su)["waiting for review"]
        response = client_for(su).get(url)
    assert len(response.context["cl"].result_list) == int(count)


def test_a_licensing_officer_gets_no_timeliness_tiles(region, li):
    assert "drafts" not in tiles(li)


def test_the_tiles_cost_the_same_queries_whatever_the_regions_size(region, bureaus, su):
    def home_queries():
        client = client_for(su)
        client.get("/admin/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/admin/")
        return len(queries)

    with time_machine.travel(NOW, tick=False):
        before = home_queries()
        for n in range(4):
            county = factories.bureau(f"3301{20 + n}", f"测试{n}区", bureaus["hangzhou"])
            filer = make_user(f"f{n}", county)
            factories.record(filer=filer, status=RecordStatus.SUBMITTED)
            publish(filer, D(2026, 4, 1), late=n % 2 == 0)
        assert home_queries() == before


@pytest.fixture
def submitted_long_ago(fang):
    with time_machine.travel(NOW, tick=False):
        return factories.record(
            filer=fang, status=RecordStatus.SUBMITTED, basis_date=D(2026, 3, 30)
        )


def test_the_publish_page_asks_for_the_reason_of_a_late_publication(submitted_long_ago, rui):
    url = f"/admin/records/badrecord/{submitted_long_ago.pk}/transition/publish/"
    client = client_for(rui)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(NOW, tick=False):
        form = client.get(url).content.decode()
        assert 'name="late_reason"' in form
        assert "publication deadline is 2026-04-07" in form
        refused = client.post(url, {"public_from": "", "late_reason": ""})
        assert refused.status_code == 200
        assert "give the reason for the late publication" in refused.content.decode()
        assert BadRecord.objects.get().status == RecordStatus.SUBMITTED
        done = client.post(url, {"public_from": "", "late_reason": "等待复核结论"})
    assert done.status_code == 302
    record = BadRecord.objects.get()
    assert (record.status, record.is_late) == (RecordStatus.PUBLISHED, True)
    assert record.late_publication_reason == "等待复核结论"
    page = client.get(f"/admin/records/badrecord/{record.pk}/change/").content.decode()
    assert "等待复核结论" in page


def test_the_national_administrator_sees_the_whole_countrys_backlog(region, bei, national_admin):
    with time_machine.travel(NOW, tick=False):
        factories.record(filer=bei, status=RecordStatus.SUBMITTED, basis_date=D(2026, 4, 14))
        shown = tiles(national_admin)
    assert shown["waiting for review"] == (
        "3",
        "/admin/records/badrecord/?region=000000&status=submitted",
    )
    assert shown["on time this quarter"][0] == "50%"

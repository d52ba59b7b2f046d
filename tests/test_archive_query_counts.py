"""The archive's pages and admin lists run a fixed number of SQL queries whatever the number
of requests, records or log entries."""

import datetime

import pytest
import time_machine

from archive.services import archive_request_decide
from records.models import RecordStatus
from tests import factories
from tests.archive_helpers import at, file_request
from tests.conftest import client_for
from tests.test_query_counts import count_queries

DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def grow(bureaus, fang, pan, archivist):
    agency = factories.operator(region=bureaus["xihu"], name="杭州西湖山水旅行社有限公司")
    state = {}

    def add(n: int) -> None:
        with time_machine.travel(at(DAY), tick=False):
            for _ in range(n):
                factories.record(
                    filer=fang,
                    subject=agency,
                    status=RecordStatus.ARCHIVED,
                    basis_date=datetime.date(2023, 2, 20),
                    public_from=datetime.date(2023, 3, 1),
                )
                item = file_request(
                    pan, name=agency.name, identifier=agency.licence_no, bureau=bureaus["xihu"]
                )
                archive_request_decide(
                    archive_request=item, by=archivist, approve=True, reasons="ok"
                )
                state["request"] = item
                client_for(pan).get(f"/archive/requests/{item.pk}/records/")

    return add, state


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("pan", "/archive/requests/"),
        ("pan", "/archive/requests/{pk}/records/"),
        ("archivist", "/admin/archive/archiverequest/"),
        ("archivist", "/admin/archive/archiveaccesslog/"),
    ],
)
def test_an_archive_page_costs_the_same_number_of_queries_for_3_and_20_rows(
    grow, who, url, request
):
    add, state = grow
    client = client_for(request.getfixturevalue(who))
    add(3)
    with time_machine.travel(at(DAY), tick=False):
        small = count_queries(client, url.format(pk=state["request"].pk))
    add(17)
    with time_machine.travel(at(DAY), tick=False):
        assert count_queries(client, url.format(pk=state["request"].pk)) == small

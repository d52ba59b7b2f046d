"""Admin lists run a fixed number of SQL queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kernel.audit import audit_log
from records.models import RecordStatus
from tests import factories
from tests.conftest import client_for


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/records/badrecord/",
        "/admin/records/operator/",
        "/admin/records/practitioner/",
        "/admin/kernel/auditevent/",
        "/admin/",
    ],
)
def test_a_list_costs_the_same_number_of_queries_for_5_and_40_rows(fang, bureaus, url):
    client = client_for(fang)

    def grow(n):
        for _ in range(n):
            guide = factories.practitioner(region=bureaus["xihu"])
            record = factories.record(filer=fang, status=RecordStatus.SUBMITTED)
            factories.record(filer=fang, subject=guide)
            audit_log(actor=fang, action="test", obj=record)

    grow(5)
    small = count_queries(client, url)
    grow(35)
    assert count_queries(client, url) == small

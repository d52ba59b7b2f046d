"""kernel.id_arrays: rows found first, then read by their ids or places in the table."""

import datetime

import pytest
from django.db import connection

from kernel.id_arrays import pk_in_ids, rows_in
from records.models import BadRecord, RecordStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(bureaus, fang):
    return [
        factories.record(
            filer=fang, status=RecordStatus.PUBLISHED, public_from=datetime.date(2026, 3, i)
        )
        for i in range(1, 7)
    ]


def test_rows_gathered_by_place_are_the_rows_gathered_by_id(records):
    candidates = BadRecord.objects.filter(pk__in=[r.pk for r in records[:4]])
    checked = BadRecord.objects.filter(public_from__gte=datetime.date(2026, 3, 2))
    by_place = checked.filter(rows_in(candidates, "default")).order_by("pk")
    by_id = checked.filter(pk_in_ids(candidates.values("pk"), "default")).order_by("pk")
    expected = [r.pk for r in records[1:4]]
    assert list(by_place.values_list("pk", flat=True)) == expected
    assert list(by_id.values_list("pk", flat=True)) == expected
    # In a subquery, the place follows the table's alias.
    nested = BadRecord.objects.filter(pk__in=by_place.values("pk"))
    assert sorted(nested.values_list("pk", flat=True)) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ctid is PostgreSQL's")
def test_on_postgresql_the_candidates_are_read_straight_from_the_table(records):
    candidates = BadRecord.objects.filter(pk__in=[r.pk for r in records[:4]])
    with connection.cursor() as cursor:  # six rows: a plain scan would win, as it should
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = BadRecord.objects.filter(rows_in(candidates, "default")).order_by().explain()
    assert "Tid Scan" in plan

"""records/0016 fills the working days to publication of records published before it, on the
official calendar, and leaves unpublished records without."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from records.models import BadRecord, RecordStatus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("records", "0015_subject_rights_objection_flag_and_early_end")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_the_migration_counts_the_working_days_of_records_published_before_it(fang):
    published = factories.record(
        filer=fang,
        status=RecordStatus.PUBLISHED,
        basis_date=datetime.date(2026, 2, 26),
        public_from=datetime.date(2026, 3, 5),
        public_until=datetime.date(2028, 3, 4),
        is_late=True,
    )
    draft = factories.record(filer=fang, status=RecordStatus.DRAFT)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("records")
    migrate(BEFORE)
    try:
        migrate(latest)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    # Thu 26 Feb → Thu 5 March 2026: Fri, Sat 28 Feb (adjusted working day), Mon–Thu.
    assert BadRecord.objects.get(pk=published.pk).publication_working_days == 6
    assert BadRecord.objects.get(pk=draft.pk).publication_working_days is None

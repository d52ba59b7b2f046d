"""Visibility rules written once as QuerySet methods (or, for the kernel's audit events, a
records selector) and used by the admin and the pages."""

import pytest

from kernel.models import AuditEvent
from licensing.models import CheckBatch
from records.models import RecordStatus
from records.selectors import audit_events_visible_to
from records.services.evidence import evidence_add
from tests import factories
from tests.archive_helpers import PDF, proof
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_county_filer_reads_her_countys_audit_events_and_not_the_neighbours(
    fang, shang, su, national_admin
):
    ours = factories.record(filer=fang, status=RecordStatus.DRAFT)
    theirs = factories.record(filer=shang, status=RecordStatus.DRAFT)
    evidence_add(record=ours, by=fang, upload=proof("a.pdf", PDF))
    evidence_add(record=theirs, by=shang, upload=proof("b.pdf", PDF))
    events = AuditEvent.objects.all()
    assert set(audit_events_visible_to(events, fang).values_list("record_id", flat=True)) == {
        ours.pk
    }
    assert set(audit_events_visible_to(events, su).values_list("record_id", flat=True)) == {
        ours.pk,
        theirs.pk,
    }
    assert audit_events_visible_to(events, national_admin).count() == 2
    page = client_for(fang).get("/admin/kernel/auditevent/").content.decode()
    assert page.count("evidence_add") >= 1
    other = AuditEvent.objects.get(record_id=theirs.pk)
    assert client_for(fang).get(f"/admin/kernel/auditevent/{other.pk}/change/").status_code == 404


def test_a_licensing_officer_sees_only_her_bureaus_batches_an_administrator_those_below(
    li, xihu_admin, shang, national_admin, bureaus
):
    xihu = CheckBatch.objects.create(bureau=bureaus["xihu"], officer=li, file_name="a.csv")
    assert list(CheckBatch.objects.visible_to(li)) == [xihu]
    assert list(CheckBatch.objects.visible_to(xihu_admin)) == [xihu]
    assert list(CheckBatch.objects.visible_to(national_admin)) == [xihu]
    assert not CheckBatch.objects.visible_to(shang).exists()  # not a licensing role
    assert client_for(li).get(f"/licensing/batches/{xihu.pk}/").status_code == 200

"""The published fields (records.published_fields) are the one list every public surface and
every version snapshot reads: a field dropped from one of them shows up here."""

import csv
import datetime
import html
import io

import pytest
from django.utils import translation

from licensing.lookup import archived_or_ended
from publication.api.serializers import DisclosureSerializer
from records.models import BadRecord, BadRecordVersion, RecordStatus
from records.published_fields import (
    PUBLISHED_FIELDS,
    SHOWN_FIELDS,
    Reading,
    published_snapshot,
    published_texts,
    published_values,
)
from records.services import bad_records as services
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
BASE = "http://testserver/disclosures/"


def english_client():
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en"})
    return client


def texts_of(record: BadRecord) -> list[tuple[str, str]]:
    with translation.override("en"):
        return [
            (str(spec.label), text)
            for spec, text in published_texts(record, Reading(detail_base_url=BASE))
        ]


def test_the_api_gives_exactly_the_published_fields_and_its_schema_names_them(public_list):
    payload = client_for(None).get(f"/api/v1/disclosures/{public_list.agency.reference}/").json()
    record = BadRecord.objects.get(pk=public_list.agency.pk)
    expected = published_values(record, Reading(detail_base_url=BASE))
    assert list(payload) == list(DisclosureSerializer().fields)
    assert set(payload) == set(expected)
    assert payload["publishing_bureau"] == expected["publishing_bureau"]
    assert payload["url"] == expected["url"] == f"{BASE}{record.reference}"


def test_the_csv_has_one_column_per_published_field_in_the_lists_order(public_list):
    response = english_client().get("/disclosures.csv", {"q": "杭州西湖国际旅行社"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    record = BadRecord.objects.get(pk=public_list.agency.pk)
    assert [header, row] == [list(column) for column in zip(*texts_of(record), strict=True)]
    assert header[:4] == ["Reference", "Name", "Operator or practitioner", "Sector or kind"]
    assert header[-4:] == ["Publishing bureau", "Region code", "Version", "Address on this portal"]


def test_the_detail_page_shows_every_published_field_with_its_label(public_list):
    record = BadRecord.objects.get(pk=public_list.agency.pk)
    page = html.unescape(english_client().get(f"/disclosures/{record.reference}").content.decode())
    for label, text in texts_of(record):
        assert f"<dt>{label}</dt>" in page, label
        assert text in page, (label, text)
    assert page.count("<dt>") == len(SHOWN_FIELDS) + 1  # and the region trail


def test_an_atom_entry_shows_every_published_field(public_list):
    # The entry's summary is HTML inside XML: escaped twice.
    feed = html.unescape(
        html.unescape(english_client().get("/disclosures/feed.atom").content.decode())
    )
    record = BadRecord.objects.get(pk=public_list.agency.pk)
    entry = next(e for e in feed.split("<entry>") if f"{record.reference}-v" in e)
    for label, text in texts_of(record):
        assert f"<strong>{label}</strong>: {text}" in entry, label


def test_a_version_keeps_every_published_field_as_it_was_published(public_list, rui):
    record = BadRecord.objects.get(pk=public_list.agency.pk)
    before = published_snapshot(record)
    services.record_correct(
        record=record, by=rui, data={"cause": "擅自增加购物点并辱骂游客"}, reason="事由有误"
    )
    kept = BadRecordVersion.objects.get(record=record).data
    assert {k: kept[k] for k in before} == before
    assert kept["cause"] == "未按合同约定安排住宿，擅自增加购物点"
    own_columns = {c for f in PUBLISHED_FIELDS for c in f.columns if "__" not in c}
    assert set(before) == own_columns - {"id", "updated_at"}


def test_a_scheduled_record_whose_period_ended_unswept_is_in_the_archive(fang, frozen_today):
    # The expiry sweep archives scheduled records whose period ended as well as published
    # ones; until it runs, the archive (and a licensing check's "archived" list) has them.
    ended = factories.record(
        filer=fang,
        status=RecordStatus.SCHEDULED,
        public_from=datetime.date(2024, 11, 1),
        basis_date=datetime.date(2024, 10, 1),
    )
    assert ended.public_until < frozen_today
    assert not BadRecord.objects.public(on=frozen_today).filter(pk=ended.pk).exists()
    assert BadRecord.objects.in_archive(on=frozen_today).filter(pk=ended.pk).exists()
    assert archived_or_ended(fang.bureau, frozen_today).filter(pk=ended.pk).exists()

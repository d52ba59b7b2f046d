"""Staff lists at national scale (issue 19): a capped count shown as "N+", deep pages that
still open, no second count of the whole list, and the record search through the public
list's name and identifier search plus the basis document number."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kernel.audit import audit_log
from kernel.identifiers import normalize_document_number
from kernel.models import AuditEvent
from records.models import BadRecord, RecordStatus
from records.services import subjects
from tests import factories
from tests.conftest import client_for

LIST = "/admin/records/badrecord/"


def references(html: str) -> list[str]:
    return re.findall(r'class="field-reference"><a [^>]*>(TR\d{8})</a>', html)


def numbered_record(filer, number: str) -> BadRecord:
    return factories.record(
        filer=filer, basis_number=number, basis_number_key=normalize_document_number(number)
    )


@pytest.fixture
def small_pages(monkeypatch, settings):
    settings.ADMIN_LIST_COUNT_CAP = 3
    settings.ADMIN_SEARCH_COUNT_CAP = 3
    monkeypatch.setattr(admin.site._registry[BadRecord], "list_per_page", 2)


@pytest.fixture
def eight_records(fang) -> list[BadRecord]:
    made = [factories.record(filer=fang, status=RecordStatus.SUBMITTED) for _ in range(8)]
    return sorted(made, key=lambda r: (r.created_at, r.pk), reverse=True)


def test_a_list_longer_than_the_cap_shows_the_cap_and_a_plus(fang, small_pages, eight_records):
    html = client_for(fang).get(LIST).content.decode()

    assert "3+ " in html
    assert "8 " not in re.search(r'<p class="paginator">(.*?)</p>', html, re.S).group(1)
    assert references(html) == [r.reference for r in eight_records[:2]]


def test_a_list_within_the_cap_shows_its_exact_count(fang, settings, eight_records):
    settings.ADMIN_LIST_COUNT_CAP = 8
    html = client_for(fang).get(LIST).content.decode()

    paginator = re.search(r'<p class="paginator">(.*?)</p>', html, re.S).group(1)
    assert "8 " in paginator
    assert "+" not in paginator


def test_a_page_beyond_the_cap_still_opens_with_the_same_rows_in_the_same_order(
    fang, small_pages, eight_records
):
    client = client_for(fang)

    pages = [references(client.get(f"{LIST}?p={n}").content.decode()) for n in (1, 2, 3, 4)]

    assert sum(pages, []) == [r.reference for r in eight_records]


def test_a_search_beyond_the_cap_says_so(fang, small_pages, eight_records):
    html = client_for(fang).get(f"{LIST}?q=杭州测试旅行社").content.decode()

    assert "3+ " in re.search(r'<span class="small quiet">(.*?)</span>', html, re.S).group(1)


def test_a_search_counts_only_to_the_search_cap_and_the_list_to_the_list_cap(
    fang, settings, monkeypatch, eight_records
):
    settings.ADMIN_LIST_COUNT_CAP = 20
    settings.ADMIN_SEARCH_COUNT_CAP = 5
    monkeypatch.setattr(admin.site._registry[BadRecord], "list_per_page", 2)
    client = client_for(fang)

    searched = client.get(f"{LIST}?q=杭州测试旅行社").content.decode()
    listed = client.get(LIST).content.decode()

    assert "5+ " in re.search(r'<span class="small quiet">(.*?)</span>', searched, re.S).group(1)
    assert references(searched) == [r.reference for r in eight_records[:2]]
    paginator = re.search(r'<p class="paginator">(.*?)</p>', listed, re.S).group(1)
    assert "8 " in paginator and "+" not in paginator


def test_filtered_and_searched_pages_keep_the_list_order(fang, small_pages, eight_records):
    for record in eight_records[::2]:
        BadRecord.objects.filter(pk=record.pk).update(ground="G7")
    expected = [r.reference for r in eight_records[::2]]
    client = client_for(fang)

    for query in ("ground__exact=G7", "ground__exact=G7&q=杭州测试旅行社"):
        pages = [references(client.get(f"{LIST}?{query}&p={n}").content.decode()) for n in (1, 2)]
        assert sum(pages, []) == expected, query


def test_the_list_counts_once_and_never_the_unfiltered_list(fang, bureaus, eight_records):
    with CaptureQueriesContext(connection) as queries:
        client_for(fang).get(f"{LIST}?status__exact=submitted")
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]

    assert len(counts) == 1
    assert "LIMIT" in counts[0].upper()


def test_a_county_filer_finds_her_record_by_part_of_its_basis_document_number(fang, shang):
    mine = numbered_record(fang, "杭西文旅罚〔2026〕4711号")
    numbered_record(shang, "杭上文旅罚〔2026〕4711号")
    client = client_for(fang)

    for typed in ("〔2026〕4711", "〔２０２６〕４７１１", "2026〕 4711号"):
        found = references(client.get(LIST, {"q": typed}).content.decode())
        assert found == [mine.reference], typed


def test_a_whole_basis_number_finds_the_numbers_containing_it_and_not_those_sharing_its_serial(
    fang,
):
    mine = numbered_record(fang, "杭西文旅罚〔2026〕第12号")
    quoting = numbered_record(fang, "转杭西文旅罚〔2026〕第12号之一")
    for other in ("杭西文旅罚〔2025〕第12号", "杭西文旅罚〔2026〕第112号", "杭西文旅罚〔2026〕第12",
                  "西文旅罚〔2026〕第12号"):  # fmt: skip
        numbered_record(fang, other)
    client = client_for(fang)

    for typed in (
        "杭西文旅罚〔2026〕第12号",
        "杭西文旅罚（２０２６）第１２号",
        "杭西文旅罚[2026] 第12号",
    ):
        found = references(client.get(LIST, {"q": typed}).content.decode())
        assert sorted(found) == sorted([mine.reference, quoting.reference]), typed


def test_a_search_within_the_cap_is_run_once_per_page_and_keeps_the_list_order(
    fang, settings, monkeypatch, eight_records
):
    # The matches found by the count are what the page is drawn from: the search's condition
    # is sent once per page, and every page, "show all" included, is in the list's order.
    settings.ADMIN_SEARCH_COUNT_CAP = 5
    monkeypatch.setattr(admin.site._registry[BadRecord], "list_per_page", 2)
    for record in eight_records[1::2]:
        BadRecord.objects.filter(pk=record.pk).update(ground="G7")
    expected = [r.reference for r in eight_records[1::2]]
    client = client_for(fang)
    query = "ground__exact=G7&q=杭州测试旅行社"

    pages = []
    for n in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            pages.append(references(client.get(f"{LIST}?{query}&p={n}").content.decode()))
        searched = [q["sql"] for q in queries if "杭州测试旅行社" in q["sql"]]
        assert len(searched) == 1, searched
    shown_all = references(client.get(f"{LIST}?{query}&all=").content.decode())

    assert sum(pages, []) == expected
    assert shown_all == expected


def test_a_search_finds_a_name_typed_in_traditional_characters_and_a_dashed_licence(fang, bureaus):
    agency = factories.operator(region=bureaus["xihu"], name="杭州国际旅行社有限公司")
    record = factories.record(filer=fang, subject=agency, status=RecordStatus.ARCHIVED)
    factories.record(filer=fang)
    client = client_for(fang)

    for typed in ("國際旅行社", agency.licence_no.lower(), agency.credit_code):
        assert references(client.get(LIST, {"q": typed}).content.decode()) == [record.reference], (
            typed
        )


def test_a_search_finds_nothing_outside_the_jurisdiction(fang, bei):
    theirs = numbered_record(bei, "京东文旅罚〔2026〕88号")
    client = client_for(fang)

    for typed in (theirs.subject_name, theirs.licence_no, "京东文旅罚〔2026〕88"):
        assert references(client.get(LIST, {"q": typed}).content.decode()) == [], typed


def test_the_audit_list_counts_only_to_the_next_page_and_every_page_opens(
    fang, monkeypatch, eight_records
):
    monkeypatch.setattr(admin.site._registry[AuditEvent], "list_per_page", 3)
    for record in eight_records:
        audit_log(actor=fang, action="record_note", obj=record)
    client = client_for(fang)

    first = client.get("/admin/kernel/auditevent/").content.decode()
    rows = [
        re.findall(r"TR\d{8}", client.get(f"/admin/kernel/auditevent/?p={n}").content.decode())
        for n in (1, 2, 3)
    ]

    assert "3+ " in re.search(r'<p class="paginator">(.*?)</p>', first, re.S).group(1)
    # Newest event first: the events were written in the list's order, oldest record last.
    assert sum(rows, []) == [r.reference for r in reversed(eight_records)]


def subject_names(html: str) -> list[str]:
    return re.findall(r'class="field-name"><a href="[^"]*/change/[^"]*">([^<]+)</a>', html)


def test_the_operator_search_finds_a_name_in_traditional_characters_and_a_piece_of_an_identifier(
    fang, bureaus
):
    agency = factories.operator(region=bureaus["xihu"], name="杭州國際旅行社有限公司")
    factories.operator(region=bureaus["xihu"], name="宁波海港酒店")
    client = client_for(fang)

    for typed in ("国际旅行", "國際旅行", agency.licence_no[2:].lower(), agency.credit_code[8:],
                  f" {agency.credit_code} "):  # fmt: skip
        html = client.get("/admin/records/operator/", {"q": typed}).content.decode()
        assert subject_names(html) == [agency.name], typed
    html = client.get("/admin/records/operator/", {"q": "不存在的名字"}).content.decode()
    assert subject_names(html) == []


def test_the_practitioner_search_finds_a_name_and_a_piece_of_a_certificate(fang, bureaus):
    guide = factories.practitioner(region=bureaus["xihu"], name="張偉")
    other = factories.practitioner(region=bureaus["xihu"], name="王芳")
    client = client_for(fang)

    for typed in ("张伟", "張偉", guide.certificate_no.lower()):
        html = client.get("/admin/records/practitioner/", {"q": typed}).content.decode()
        assert subject_names(html) == [guide.name], typed
    html = client.get("/admin/records/practitioner/", {"q": other.certificate_no}).content
    assert subject_names(html.decode()) == [other.name]


def test_a_two_character_search_finds_subjects_entered_and_renamed_through_the_services(
    fang, bureaus
):
    # On PostgreSQL a search this short goes through the name's grams (records 0023), which
    # the subject services keep: a subject they entered or renamed is found by its new name
    # only, an operator as well as a practitioner.
    guide = subjects.practitioner_create(
        by=fang,
        data={"name": "李娜", "kind": "other", "region": bureaus["xihu"]},
    )
    subjects.practitioner_update(
        practitioner=guide,
        by=fang,
        data={"name": "張偉", "kind": "other", "region": bureaus["xihu"]},
    )
    hotel = subjects.operator_create(
        by=fang, data={"name": "西湖海港酒店", "sector": "accommodation", "region": bureaus["xihu"]}
    )
    factories.practitioner(region=bureaus["xihu"], name="张伟明")
    client = client_for(fang)

    def found(path: str, typed: str) -> list[str]:
        return sorted(subject_names(client.get(path, {"q": typed}).content.decode()))

    assert found("/admin/records/practitioner/", "李娜") == []
    assert found("/admin/records/practitioner/", "张伟") == sorted(["張偉", "张伟明"])
    assert found("/admin/records/practitioner/", "偉") == sorted(["張偉", "张伟明"])
    assert found("/admin/records/operator/", "海港") == [hotel.name]
    assert found("/admin/records/operator/", "港酒") == [hotel.name]
    assert found("/admin/records/operator/", "酒海") == []


def test_each_row_of_a_list_links_to_its_own_record(fang, eight_records):
    html = client_for(fang).get(LIST).content.decode()

    links = re.findall(r'class="field-reference"><a href="([^"]+)"[^>]*>(TR\d{8})</a>', html)
    assert links
    for href, reference in links:
        record = BadRecord.objects.get(pk=int(reference[2:]))
        assert href.startswith(f"/admin/records/badrecord/{record.pk}/change/"), href


def test_the_rows_of_every_staff_list_are_written_exactly_as_django_writes_them(
    fang, bureaus, archivist, li, pan, eight_records
):
    from django.contrib.admin.templatetags.admin_list import results

    from kernel.admin_rows import _rows
    from tests.archive_helpers import file_request

    agency = factories.operator(region=bureaus["xihu"], name="杭州<b>国际</b>&旅行社")
    factories.practitioner(region=bureaus["xihu"], name="张伟")
    factories.record(filer=fang, subject=agency, status=RecordStatus.PUBLISHED, is_late=True)
    for record in eight_records[:3]:
        audit_log(actor=fang, action="record_note", obj=record)
    file_request(pan, name=agency.name, identifier=agency.licence_no, bureau=bureaus["xihu"])
    checked = client_for(li).post(
        "/licensing/",
        {
            "applicant_kind": "operator",
            "name": agency.name,
            "application_type": "travel_agency_licence",
            "application_ref": "浙文旅许〔2026〕001号",
        },
    )
    assert checked.status_code == 302
    pages = [
        (fang, LIST),
        (fang, f"{LIST}?status__exact=submitted&o=2"),
        (fang, "/admin/records/operator/"),
        (fang, "/admin/records/practitioner/?q=张伟"),
        (fang, "/admin/kernel/auditevent/"),
        (archivist, "/admin/archive/archiverequest/"),
        (li, "/admin/licensing/applicantcheck/"),
    ]
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert "admin/capped_change_list.html" in [t.name for t in response.templates], url
        cl = response.context["cl"]
        assert cl.result_list, url
        django_rows = [[str(cell) for cell in row] for row in results(cl)]
        assert [[str(cell) for cell in row] for row in _rows(cl)] == django_rows, url
        assert django_rows[0][0] in response.content.decode(), url

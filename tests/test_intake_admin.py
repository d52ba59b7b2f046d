"""Intake in the Django admin, driven through real URLs by the personas."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from kernel.models import AuditEvent
from records.models import BadRecord, Evidence, RecordStatus
from tests import factories
from tests.admin_helpers import post_admin_form, record_fields
from tests.conftest import client_for

MONDAY = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
ADD_URL = "/admin/records/badrecord/add/"


def change_url(record):
    return f"/admin/records/badrecord/{record.pk}/change/"


def transition_url(record, action):
    return f"/admin/records/badrecord/{record.pk}/transition/{action}/"


@pytest.fixture
def agency(bureaus):
    return factories.operator(region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司")


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def test_the_admin_speaks_simplified_chinese_by_default(fang):
    response = client_for(None).get("/admin/login/")
    assert '<html lang="zh-hans"' in response.content.decode()
    assert "登录" in response.content.decode()


def test_the_admin_speaks_english_when_asked_whatever_the_browser_says(fang):
    client = client_for(None)
    chinese_browser_default = client.get("/admin/login/", headers={"accept-language": "en-US"})
    assert '<html lang="zh-hans"' in chinese_browser_default.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    assert '<html lang="en"' in client.get("/admin/login/").content.decode()


def test_a_filer_drafts_a_record_with_evidence_in_the_admin(fang, agency):
    client = client_for(fang)
    evidence = SimpleUploadedFile("决定书.pdf", PDF, content_type="application/pdf")
    response = post_admin_form(client, ADD_URL, record_fields(agency.pk), files=[evidence])
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = BadRecord.objects.get()
    assert (record.status, record.filed_by, record.filing_bureau) == (
        RecordStatus.DRAFT,
        fang,
        fang.bureau,
    )
    stored = Evidence.objects.get(record=record)
    assert (stored.original_name, stored.content_type) == ("决定书.pdf", "application/pdf")
    assert AuditEvent.objects.filter(record_id=record.pk, action="evidence_add").exists()


def test_a_file_that_is_not_really_a_pdf_is_refused_and_nothing_is_saved(fang, agency):
    fake = SimpleUploadedFile(
        "evidence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = post_admin_form(client_for(fang), ADD_URL, record_fields(agency.pk), files=[fake])
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not BadRecord.objects.exists()
    assert not Evidence.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(fang, agency):
    big = SimpleUploadedFile(
        "big.png", PNG + b"\x00" * (10 * 1024 * 1024), content_type="image/png"
    )
    response = post_admin_form(client_for(fang), ADD_URL, record_fields(agency.pk), files=[big])
    assert response.status_code == 200
    assert not BadRecord.objects.exists()


def test_a_bad_field_gets_its_message_next_to_it_in_chinese(fang, agency):
    response = post_admin_form(
        client_for(fang), ADD_URL, record_fields(agency.pk, basis_date="2026-03-09", ground="G4")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"basis_date", "ground"}
    assert "决定日期不能是将来的日期" in errors["basis_date"][0]
    assert not BadRecord.objects.exists()


def test_the_filer_submits_and_the_reviewer_publishes_through_the_admin(fang, rui, agency):
    post_admin_form(client_for(fang), ADD_URL, record_fields(agency.pk))
    record = BadRecord.objects.get()
    response = client_for(fang).post(transition_url(record, "submit"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED

    page = client_for(rui).get(change_url(record))
    assert transition_url(record, "publish") in page.content.decode()
    assert transition_url(record, "return") in page.content.decode()
    response = client_for(rui).post(transition_url(record, "publish"), {"public_from": ""})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.public_from) == (
        RecordStatus.PUBLISHED,
        datetime.date(2026, 3, 2),
    )
    history = client_for(rui).get(change_url(record)).content.decode()
    assert "审核通过并公布" in history and "提交审核" in history


def test_a_reviewer_returns_a_submission_with_a_comment(fang, rui, agency):
    record = factories.record(filer=fang, subject=agency, status=RecordStatus.SUBMITTED)
    empty = client_for(rui).post(transition_url(record, "return"), {"comment": ""})
    assert empty.status_code == 200 and "comment" in empty.context["form"].errors
    client_for(rui).post(transition_url(record, "return"), {"comment": "补充证据"})
    record.refresh_from_db()
    assert (record.status, record.return_comment) == (RecordStatus.RETURNED, "补充证据")


def test_scheduling_in_the_past_is_refused_on_the_publish_page(fang, rui, agency):
    record = factories.record(filer=fang, subject=agency, status=RecordStatus.SUBMITTED)
    response = client_for(rui).post(
        transition_url(record, "publish"), {"public_from": "2026-02-27"}
    )
    assert response.status_code == 200
    assert "public_from" in response.context["form"].errors
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_a_reviewer_corrects_a_published_record_and_the_old_version_stays(fang, rui, agency):
    record = factories.record(filer=fang, subject=agency, status=RecordStatus.PUBLISHED)
    page = client_for(rui).get(transition_url(record, "correct"))
    fields = {
        name: (
            field.initial
            if field.initial is not None
            else page.context["form"].initial.get(name, "")
        )
        for name, field in page.context["form"].fields.items()
    }
    fields.update(cause="擅自变更行程", reason="事由更正", basis_date="2026-03-02")
    response = client_for(rui).post(transition_url(record, "correct"), fields)
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    assert (record.cause, record.version) == ("擅自变更行程", 2)
    assert record.versions.get().data["cause"] == "未按合同约定安排住宿，擅自增加购物点"


def test_a_published_record_is_read_only_in_the_admin(fang, rui, agency):
    record = factories.record(filer=fang, subject=agency, status=RecordStatus.PUBLISHED)
    response = client_for(fang).post(change_url(record), record_fields(agency.pk, cause="改了"))
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.cause != "改了"


def test_nothing_submitted_can_be_deleted_through_the_admin(fang, agency):
    record = factories.record(filer=fang, subject=agency, status=RecordStatus.SUBMITTED)
    response = client_for(fang).post(
        f"/admin/records/badrecord/{record.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert BadRecord.objects.filter(pk=record.pk).exists()


def test_the_filer_can_delete_her_own_unsubmitted_draft(fang, agency):
    record = factories.record(filer=fang, subject=agency)
    response = client_for(fang).post(
        f"/admin/records/badrecord/{record.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not BadRecord.objects.filter(pk=record.pk).exists()


def test_the_changelist_flags_drafts_past_their_deadline(fang, agency):
    overdue = factories.record(filer=fang, subject=agency, basis_date=datetime.date(2026, 2, 2))
    fresh = factories.record(filer=fang, subject=agency, basis_date=datetime.date(2026, 3, 2))
    response = client_for(fang).get("/admin/records/badrecord/?timeliness=overdue")
    shown = {r.pk for r in response.context["cl"].result_list}
    assert shown == {overdue.pk}
    assert "deadline-overdue" in response.content.decode()
    soon = client_for(fang).get("/admin/records/badrecord/?timeliness=due_soon")
    assert {r.pk for r in soon.context["cl"].result_list} == {overdue.pk}
    assert fresh.pk not in shown


def test_the_admin_home_tells_filers_and_supervisors_what_is_past_its_deadline(
    fang, su, li, agency
):
    factories.record(filer=fang, subject=agency, basis_date=datetime.date(2026, 2, 2))
    factories.record(
        filer=fang,
        subject=agency,
        status=RecordStatus.SUBMITTED,
        basis_date=datetime.date(2026, 2, 26),
    )  # deadline 4 March: due soon
    for user in (fang, su):
        summary = client_for(user).get("/admin/").context["summary"]
        assert (summary.overdue, summary.due_soon) == (1, 2)
    assert "deadline-summary" not in client_for(li).get("/admin/").content.decode()


def test_staff_switch_the_admin_to_english_and_back(fang):
    client = client_for(fang)
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert '<html lang="en"' in client.get("/admin/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    assert '<html lang="zh-hans"' in client.get("/admin/").content.decode()

"""Leads from the public: filed without an account, followed with a receipt number and code,
triaged by the receiving bureau, turned into a measure or a draft record; limits, duplicates,
deadlines and reminders through the outbox; the contact shown only to the handling bureau."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kernel.jobs import outbox_drain
from kernel.models import AuditEvent, OutboxJob
from records.models import BadRecord
from supervision.models import Lead, LeadAttachment, LeadStatus, SupervisionMeasure
from supervision.services.leads import (
    lead_deadlines_recompute,
    lead_decide,
    leads_overdue_digests_queue,
    leads_remind,
)
from tests.conftest import client_for
from tests.supervision_helpers import PDF, TODAY, measure_post, published

NEW = "/supervision/leads/new/"
FOLLOW = "/supervision/leads/follow/"
ADMIN = "/admin/supervision/lead/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def lead_post(where, **overrides):
    data = {
        "subject_name": "杭州西湖快乐旅行社",
        "subject_identifiers": "L-ZJ-CJ00001",
        "bureau": where.pk,
        "happened_on": "2026-05-20",
        "what_happened": "导游强迫游客购物，不购物不让下车。",
        "contact": "zhang@example.org",
        "wants_reply": "on",
    }
    data.update(overrides)
    return data


def file_lead(bureaus, client=None, **overrides):
    client = client or Client(enforce_csrf_checks=False)
    response = client.post(NEW, lead_post(bureaus["xihu"], **overrides))
    assert response.status_code == 302, response.context["form"].errors
    receipt = client.get(response["Location"])
    return Lead.objects.get(), receipt.context["receipt"]


def test_a_citizen_files_a_lead_and_follows_it_with_the_receipt_number_and_code(bureaus, rui):
    client = Client()
    response = client.post(
        NEW, lead_post(bureaus["xihu"], attachments=SimpleUploadedFile("photo.pdf", PDF))
    )
    assert response.status_code == 302
    receipt_page = client.get(response["Location"])
    receipt = receipt_page.context["receipt"]
    assert receipt["code"] in receipt_page.content.decode()
    # Shown once only.
    assert client.get("/supervision/leads/filed/").status_code == 302
    lead = Lead.objects.get()
    assert lead.bureau == bureaus["xihu"] and lead.status == LeadStatus.RECEIVED
    assert lead.answer_due == datetime.date(2026, 6, 15)  # 10 working days
    assert receipt["code"] not in lead.code_hash
    assert LeadAttachment.objects.filter(lead=lead).count() == 1
    assert AuditEvent.objects.filter(action="lead_file").exists()
    lead_decide(
        lead=lead,
        by=rui,
        decision="not_accept",
        reason="不属于旅游主管部门职责",
        internal_note="疑似同行恶意举报",
    )
    page = client.post(FOLLOW, {"number": receipt["number"], "code": receipt["code"]})
    body = page.content.decode()
    assert page.status_code == 200 and "不属于旅游主管部门职责" in body
    assert "疑似同行恶意举报" not in body and "zhang@example.org" not in body
    wrong = client.post(FOLLOW, {"number": receipt["number"], "code": "AAAAAAAAAA"})
    assert wrong.status_code == 404 and "不属于" not in wrong.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject_name": ""}, "subject_name"),
        ({"bureau": ""}, "bureau"),
        ({"bureau": "999999"}, "bureau"),
        ({"happened_on": "2026-07-01"}, "happened_on"),
        ({"happened_on": "yesterday"}, "happened_on"),
        ({"what_happened": ""}, "what_happened"),
        ({"what_happened": "很" * 5001}, "what_happened"),
        ({"contact": "not a contact"}, "contact"),
        ({"contact": "", "wants_reply": "on"}, "contact"),
        ({"attachments": SimpleUploadedFile("a.pdf", b"GIF89a....")}, "attachments"),
    ],
)
def test_bad_input_on_the_lead_form_names_the_field_and_saves_nothing(bureaus, overrides, field):
    response = Client().post(NEW, lead_post(bureaus["xihu"], **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Lead.objects.exists() and not AuditEvent.objects.exists()


def test_the_same_lead_sent_twice_is_refused_as_a_duplicate(bureaus):
    file_lead(bureaus)
    again = Client().post(NEW, lead_post(bureaus["xihu"], contact="", wants_reply=""))
    assert again.status_code == 400
    assert "相同线索已经提交" in str(again.context["form"].errors["what_happened"])
    assert Lead.objects.count() == 1


def test_leads_are_limited_per_contact_and_per_address(bureaus, settings):
    settings.LEAD_RATE_PER_CONTACT = "1/hour"
    settings.LEAD_RATE_PER_ADDRESS = "3/hour"
    file_lead(bureaus)
    same_contact = Client().post(NEW, lead_post(bureaus["xihu"], what_happened="另一件事"))
    assert same_contact.status_code == 429
    other = Client().post(
        NEW, lead_post(bureaus["xihu"], what_happened="第三件事", contact="li@example.org")
    )
    assert other.status_code == 302
    third = Client().post(NEW, lead_post(bureaus["xihu"], what_happened="第四件", contact=""))
    assert third.status_code == 429
    assert Lead.objects.count() == 2


def test_following_is_limited_per_receipt_number(bureaus, settings):
    settings.LEAD_FOLLOW_RATE_PER_NUMBER = "2/hour"
    lead, receipt = file_lead(bureaus)
    for _ in range(2):
        Client().post(FOLLOW, {"number": receipt["number"], "code": "WRONG"})
    blocked = Client().post(FOLLOW, {"number": receipt["number"], "code": receipt["code"]})
    assert blocked.status_code == 429


def test_the_reviewer_transfers_a_lead_and_the_other_bureau_accepts_it(bureaus, rui, shang):
    lead, receipt = file_lead(bureaus)
    url = f"{ADMIN}{lead.pk}/decide/triage/"
    bad = client_for(rui).post(url, {"decision": "transfer", "to_bureau": "", "reason": ""})
    assert bad.status_code == 200 and {"to_bureau", "reason"} <= set(bad.context["form"].errors)
    response = client_for(rui).post(
        url,
        {"decision": "transfer", "to_bureau": bureaus["shangcheng"].pk, "reason": "发生地在上城区"},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.bureau == bureaus["shangcheng"] and lead.status == LeadStatus.TRANSFERRED
    assert lead.transferred_from == bureaus["xihu"]
    # Xihu no longer sees it; Shangcheng triages it.
    assert client_for(rui).get(f"{ADMIN}{lead.pk}/change/").status_code == 404
    response = client_for(shang).post(url, {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.ACCEPTED
    # The reporter asked for a reply by e-mail: one per answer, through the outbox.
    outbox_drain()
    assert [m.to for m in mail.outbox] == [["zhang@example.org"], ["zhang@example.org"]]


def test_an_accepted_lead_becomes_a_measure_linked_back(bureaus, rui, fang):
    record = published(fang)
    lead, _receipt = file_lead(bureaus)
    lead_decide(lead=lead, by=rui, decision="accept", reason="")
    data = measure_post(record, kind="inspection", requirements="", due_on="")
    response = client_for(rui).post(f"{ADMIN}{lead.pk}/decide/measure/", data)
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.measure == SupervisionMeasure.objects.get()
    # Linked once: neither a second measure nor a record.
    assert client_for(rui).get(f"{ADMIN}{lead.pk}/decide/record/").status_code == 403


def test_an_accepted_lead_becomes_a_draft_record_through_the_records_service(
    bureaus, filer_reviewer, fang
):
    record = published(fang)
    lead, _receipt = file_lead(bureaus)
    lead_decide(lead=lead, by=filer_reviewer, decision="accept", reason="")
    url = f"{ADMIN}{lead.pk}/decide/record/"
    bad = client_for(filer_reviewer).post(url, {"identifier": "NO-SUCH", "ground": "G7"})
    assert "identifier" in bad.context["form"].errors
    response = client_for(filer_reviewer).post(
        url, {"identifier": record.operator.credit_code, "ground": "G7"}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    draft = BadRecord.objects.get(pk=lead.record_id)
    assert draft.status == "draft" and draft.basis_number == lead.number


def test_the_contact_is_shown_only_to_the_handling_bureau(bureaus, rui, su, shang):
    lead, _receipt = file_lead(bureaus)
    own = client_for(rui).get(f"{ADMIN}{lead.pk}/change/").content.decode()
    above = client_for(su).get(f"{ADMIN}{lead.pk}/change/").content.decode()
    assert "zhang@example.org" in own
    assert "zhang@example.org" not in above and "z***@example.org" in above
    assert client_for(shang).get(f"{ADMIN}{lead.pk}/change/").status_code == 404
    assert list(client_for(shang).get(ADMIN).context["cl"].result_list) == []
    assert not any("zhang" in str(e.after) for e in AuditEvent.objects.all())


def test_reminders_and_overdue_lists_go_through_the_outbox_once(bureaus, rui):
    lead, _receipt = file_lead(bureaus)
    assert leads_remind(today=datetime.date(2026, 6, 11)) == 1
    assert leads_remind(today=datetime.date(2026, 6, 11)) == 0
    assert leads_overdue_digests_queue(today=datetime.date(2026, 6, 16)) == 1
    assert OutboxJob.objects.filter(name="lead_reminder_email").count() == 1
    outbox_drain()
    assert sum(1 for m in mail.outbox if m.to == ["rui@example.org"]) == 2
    overdue = client_for(rui).get(ADMIN + "?answer=overdue")
    assert list(overdue.context["cl"].result_list) == []  # not overdue yet today


def test_a_corrected_calendar_moves_waiting_leads_deadlines(bureaus, national_admin):
    lead, _receipt = file_lead(bureaus)
    Lead.objects.filter(pk=lead.pk).update(answer_due=datetime.date(2026, 6, 30))
    changed = lead_deadlines_recompute(
        first_day=datetime.date(2026, 1, 1),
        last_day=datetime.date(2026, 12, 31),
        by=national_admin,
        reason="calendar corrected",
    )
    lead.refresh_from_db()
    assert changed == 1 and lead.answer_due == datetime.date(2026, 6, 15)
    assert AuditEvent.objects.filter(action="lead_deadline_recomputed").exists()


def test_the_handling_bureaus_dashboard_shows_its_leads_and_orders(bureaus, rui, fang):
    file_lead(bureaus)
    page = client_for(rui).get("/admin/").content.decode()
    assert "/admin/supervision/lead/?answer=waiting" in page
    assert "/admin/supervision/supervisionmeasure/?due=overdue" in page
    assert (
        "/admin/supervision/lead/?answer=waiting"
        not in client_for(fang).get("/admin/").content.decode()
    )


def test_the_lead_pages_are_chinese_by_default_and_english_on_request(db):
    assert "举报线索" in Client().get(NEW).content.decode()
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": NEW})
    english = client.get(NEW).content.decode()
    assert "Report a lead" in english and "What happened" in english


@pytest.mark.parametrize(
    "data",
    [
        {"bureau": "x" * 50, "happened_on": "2026-99-99"},
        {"bureau": "-1", "what_happened": "\x00"},
        {"subject_name": "名" * 5000, "contact": "@" * 500},
        {"happened_on": "9" * 40},
    ],
)
def test_hostile_lead_input_gets_an_answer_not_a_server_error(bureaus, settings, data):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.post(NEW, lead_post(bureaus["xihu"], **data))
    assert response.status_code == 400
    follow = client.post(FOLLOW, {"number": "X" * 500, "code": "\x00" * 40})
    assert follow.status_code in (400, 404)
    assert not Lead.objects.exists()


def test_the_lead_list_and_the_unsupervised_list_run_fixed_queries_per_page(
    bureaus, rui, fang, settings
):
    settings.LEAD_RATE_PER_ADDRESS = "100/hour"
    settings.SUPERVISION_UNSUPERVISED_DAYS = 30
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(rui)

    def queries(url):
        client.get(url)  # warm: the session and the calendar are read once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    file_lead(bureaus)
    published(fang)
    few = queries(ADMIN), queries("/admin/supervision/supervisionmeasure/unsupervised/")
    for n in range(6):
        Client().post(
            NEW, lead_post(bureaus["xihu"], what_happened=f"第{n}件事", contact="", wants_reply="")
        )
        published(fang)
    many = queries(ADMIN), queries("/admin/supervision/supervisionmeasure/unsupervised/")
    assert Lead.objects.count() == 7
    assert len(client.get(ADMIN).context["cl"].result_list) == 7
    page = client.get("/admin/supervision/supervisionmeasure/unsupervised/")
    assert len(page.context["page"].object_list) == 7
    assert many == few


def test_the_beat_runs_the_lead_reminders_and_overdue_lists_at_the_configured_hour(db):
    from blacklist_portal.celery import app

    app.finalize()
    schedule = app.conf.beat_schedule
    assert schedule["remind-lead-handlers"]["task"] == "supervision.tasks.leads_remind"
    assert schedule["list-overdue-leads"]["task"] == "supervision.tasks.leads_overdue_digest"


def test_the_export_masks_the_contact_even_for_the_handling_bureau(bureaus, rui, shang):
    file_lead(bureaus, subject_name="=HYPERLINK(1)")
    response = client_for(rui).get(ADMIN + "export.csv?answer=waiting")
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "z***@example.org" in body and "zhang@example.org" not in body
    assert "'=HYPERLINK(1)" in body
    other = client_for(shang).get(ADMIN + "export.csv").content.decode("utf-8-sig")
    assert "HYPERLINK" not in other
    assert client_for(None).get(ADMIN + "export.csv").status_code == 302


def test_leads_per_bureau_for_the_city_supervisor_and_only_its_own_for_a_county(
    bureaus, rui, su, shang
):
    lead, _receipt = file_lead(bureaus)
    Client().post(
        NEW,
        lead_post(bureaus["shangcheng"], what_happened="另一件事", contact="", wants_reply=""),
    )
    lead_decide(
        lead=lead, by=rui, decision="transfer", reason="不在本区", to_bureau=bureaus["shangcheng"]
    )
    rows = client_for(su).get(ADMIN + "statistics/").context["rows"]
    got = {
        row["bureau"].code: (row["total"], row["waiting"], row["transferred_away"]) for row in rows
    }
    # Both wait in Shangcheng (one new, one transferred there); Xihu transferred one away.
    assert got == {"330102": (2, 2, 0), "330106": (0, 0, 1)}
    own = client_for(shang).get(ADMIN + "statistics/").context["rows"]
    assert [row["bureau"].code for row in own] == ["330102"]
    tiles = client_for(su).get("/admin/").content.decode()
    assert "/admin/supervision/lead/statistics/" in tiles
    xihu = client_for(rui).get("/admin/").content.decode()
    away = f'statistics/#bureau-{bureaus["xihu"].pk}"><strong>1</strong>'
    assert away in xihu
    own = client_for(rui).get(ADMIN + "statistics/").context["rows"]
    assert [(row["bureau"].code, row["transferred_away"]) for row in own] == [("330106", 1)]


def test_an_identity_number_typed_among_the_identifiers_is_kept_masked(bureaus):
    lead, _receipt = file_lead(
        bureaus,
        subject_identifiers="导游 110101198504120011",
        what_happened="导游（身份证 11010119850412001X）强迫购物",
    )
    assert "110101198504120011" not in lead.subject_identifiers
    assert "110101********0011" in lead.subject_identifiers
    assert "110101********001X" in lead.what_happened

"""The listed subject's rights (issue 15): proving one is the subject, objections answered
within 15 working days, credit repair ending a record early, the notice of publication and
the subject's own view."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from archive.models import ArchiveRequest, RequestStatus
from kernel.jobs import outbox_drain
from kernel.models import AuditEvent
from records.models import BadRecord, RecordStatus
from rights.models import ClaimStatus, Notice, Objection, RepairApplication, RequestState
from rights.services.claims import subject_claim_decide, subject_claim_file
from rights.services.notices import records_without_notice
from rights.services.objections import objection_answer, objection_file
from rights.services.reminders import rights_overdue_digests_queue, rights_requests_remind
from rights.services.repairs import repair_apply, repair_decide
from tests import factories
from tests.archive_helpers import PDF, at, proof
from tests.conftest import client_for, make_party
from tests.rights_helpers import NOW, TODAY, claim_for, listed_agency, verified


@pytest.fixture
def zhou(db):
    """Zhou, manager of a listed agency, with a public account."""
    return make_party("zhou")


@pytest.fixture
def agency_record(fang, rui):
    with time_machine.travel(NOW, tick=False):
        return listed_agency(fang)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


# Proving who one is.


def test_a_claim_with_the_records_licence_and_a_proof_waits_for_the_publishing_bureau(
    now, zhou, agency_record
):
    client = client_for(zhou)
    response = client.post(
        "/rights/claims/new/",
        {
            "record_reference": agency_record.reference.lower(),
            "identifier_kind": "licence_no",
            "identifier": agency_record.licence_no.lower(),
            "acting_person": "张经理",
            "proofs": [proof("letter.pdf")],
        },
    )
    assert response.status_code == 302
    claim = zhou.subject_claims.get()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.bureau == agency_record.filing_bureau
    assert claim.proofs.get().content_type == "application/pdf"
    # Not verified yet: the objection page does not exist for Zhou.
    assert client.get(f"/rights/records/{agency_record.pk}/objection/").status_code == 404


def test_a_claim_with_an_identifier_of_another_record_is_refused_and_nothing_saved(
    now, zhou, agency_record, fang
):
    other = listed_agency(fang)
    response = client_for(zhou).post(
        "/rights/claims/new/",
        {
            "record_reference": agency_record.reference,
            "identifier_kind": "licence_no",
            "identifier": other.licence_no,
            "acting_person": "张经理",
            "proofs": [proof()],
        },
    )
    assert response.status_code == 200
    assert "记录编号与证件号码不对应" in response.content.decode()
    assert not zhou.subject_claims.exists()


def test_a_claim_without_proof_names_the_field(now, zhou, agency_record):
    with pytest.raises(ValidationError) as error:
        subject_claim_file(
            by=zhou,
            data={
                "record_reference": agency_record.reference,
                "identifier_kind": "licence_no",
                "identifier": agency_record.licence_no,
                "acting_person": "张经理",
            },
            proofs=[],
            language="en",
        )
    assert "proofs" in error.value.message_dict
    assert not zhou.subject_claims.exists()


def test_only_a_reviewer_of_the_publishing_bureau_verifies(now, zhou, agency_record, su, shang):
    claim = claim_for(zhou, agency_record)
    for outsider in (su, shang):
        with pytest.raises(PermissionDenied):
            subject_claim_decide(claim=claim, by=outsider, verify=True, reasons="ok")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_staff_account_cannot_claim(now, rui, agency_record):
    with pytest.raises(PermissionDenied):
        claim_for(rui, agency_record)


# Objections.


def test_an_objection_keeps_the_record_public_and_flagged_and_the_answer_reaches_the_subject(
    now, zhou, agency_record, rui, settings
):
    verified(zhou, agency_record, rui, language="en")
    client = client_for(zhou)
    response = client.post(
        f"/rights/records/{agency_record.pk}/objection/",
        {"grounds": "处罚决定已被复议撤销", "proofs": [proof("复议决定书.pdf")]},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    # 15 working days after Friday 27 November 2026.
    assert objection.deadline == datetime.date(2026, 12, 18)
    agency_record.refresh_from_db()
    assert agency_record.objection_open
    assert BadRecord.objects.public().filter(pk=agency_record.pk).exists()
    detail = client_for(None).get(f"/disclosures/{agency_record.reference}")
    assert "异议处理中" in detail.content.decode()
    settings.OBJECTION_FLAG_PUBLIC = False
    cache.clear()  # the setting is read when a page is drawn; drawn pages are cached
    detail = client_for(None).get(f"/disclosures/{agency_record.reference}")
    assert "异议处理中" not in detail.content.decode()
    settings.OBJECTION_FLAG_PUBLIC = True

    mail.outbox.clear()
    outbox_drain()
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("received" in s for s in subjects)  # the subject filed in English
    assert any(m.to == ["rui@example.org"] for m in mail.outbox)

    with time_machine.travel(at(datetime.date(2026, 12, 3)), tick=False):
        objection_answer(objection=objection, by=rui, decision="rejected", reasons="复议未撤销")
        mail.outbox.clear()
        outbox_drain()
        page = client.get("/rights/").content.decode()
    objection.refresh_from_db()
    assert objection.status == RequestState.REJECTED
    assert objection.answered_on_time
    agency_record.refresh_from_db()
    assert not agency_record.objection_open
    assert "复议未撤销" in page and "2026-12-03" in page
    assert [m.to for m in mail.outbox] == [["zhou@example.org"]]
    assert "answered" in mail.outbox[0].subject


def test_a_second_objection_while_one_is_open_is_refused_with_a_message(
    now, zhou, agency_record, rui
):
    verified(zhou, agency_record, rui)
    objection_file(by=zhou, record=agency_record, grounds="第一次", proofs=[proof()])
    response = client_for(zhou).post(
        f"/rights/records/{agency_record.pk}/objection/",
        {"grounds": "第二次", "proofs": [proof()]},
    )
    assert response.status_code == 200
    assert "正在处理" in response.content.decode()
    assert Objection.objects.count() == 1


def test_an_objection_without_grounds_or_with_a_bad_file_saves_nothing(
    now, zhou, agency_record, rui
):
    verified(zhou, agency_record, rui)
    with pytest.raises(ValidationError) as error:
        objection_file(
            by=zhou, record=agency_record, grounds=" ", proofs=[proof("x.pdf", b"MZ\x90\x00")]
        )
    assert set(error.value.message_dict) == {"grounds", "proofs"}
    assert not Objection.objects.exists()
    agency_record.refresh_from_db()
    assert not agency_record.objection_open


def test_an_upheld_objection_withdraws_the_record_through_the_records_service(
    now, zhou, agency_record, rui
):
    verified(zhou, agency_record, rui)
    objection = objection_file(by=zhou, record=agency_record, grounds="认错人", proofs=[proof()])
    objection_answer(objection=objection, by=rui, decision="withdrawn", reasons="主体认定错误")
    agency_record.refresh_from_db()
    assert agency_record.status == RecordStatus.WITHDRAWN
    assert objection.reference in agency_record.withdrawal_reason
    assert not agency_record.objection_open
    event = AuditEvent.objects.get(action="record_withdraw")
    assert objection.reference in event.reason


def test_an_upheld_objection_corrects_the_record_with_a_new_version(now, zhou, agency_record, rui):
    verified(zhou, agency_record, rui)
    objection = objection_file(by=zhou, record=agency_record, grounds="金额有误", proofs=[proof()])
    objection_answer(
        objection=objection,
        by=rui,
        decision="corrected",
        reasons="罚款金额笔误",
        correction={"penalty_decision": "罚款人民币三千元"},
    )
    agency_record.refresh_from_db()
    assert agency_record.version == 2
    assert agency_record.penalty_decision == "罚款人民币三千元"
    assert objection.reference in agency_record.versions.get().correction_reason
    assert Objection.objects.get().outcome == "corrected"


def test_nobody_but_a_reviewer_of_the_publishing_bureau_answers(
    now, zhou, agency_record, rui, fang, su, shang
):
    verified(zhou, agency_record, rui)
    objection = objection_file(by=zhou, record=agency_record, grounds="理由", proofs=[proof()])
    for outsider in (fang, su, shang, zhou):
        with pytest.raises(PermissionDenied):
            objection_answer(objection=objection, by=outsider, decision="rejected", reasons="x")


def test_an_account_verified_for_another_subject_cannot_object(now, zhou, agency_record, rui, fang):
    other = listed_agency(fang)
    verified(zhou, other, rui)
    with pytest.raises(PermissionDenied):
        objection_file(by=zhou, record=agency_record, grounds="理由", proofs=[proof()])
    assert client_for(zhou).get(f"/rights/records/{agency_record.pk}/objection/").status_code == 404


def test_reminders_are_sent_once_and_overdue_objections_are_listed_for_the_bureau(
    now, zhou, agency_record, rui
):
    verified(zhou, agency_record, rui)
    objection = objection_file(by=zhou, record=agency_record, grounds="理由", proofs=[proof()])
    near = datetime.date(2026, 12, 15)
    assert rights_requests_remind(today=near) == 1
    assert rights_requests_remind(today=near) == 0
    mail.outbox.clear()
    outbox_drain()
    assert any(objection.reference in m.subject for m in mail.outbox)
    assert rights_overdue_digests_queue(today=datetime.date(2026, 12, 21)) == 1
    mail.outbox.clear()
    outbox_drain()
    assert any(objection.reference in m.body for m in mail.outbox)


# Credit repair.


def test_repair_before_the_minimum_period_is_refused_with_the_first_possible_day(zhou, fang, rui):
    with time_machine.travel(NOW, tick=False):
        record = listed_agency(fang, start=datetime.date(2026, 10, 1))
        verified(zhou, record, rui)
        with pytest.raises(ValidationError) as error:
            repair_apply(by=zhou, record=record, statement="已缴纳罚款", proofs=[proof()])
    assert "2027-01-01" in str(error.value.message_dict["statement"])
    assert not RepairApplication.objects.exists()


def test_records_on_an_excluded_ground_cannot_be_repaired(zhou, fang, rui, settings):
    with time_machine.travel(NOW, tick=False):
        guide = factories.practitioner(region=fang.bureau)
        record = factories.record(
            filer=fang,
            subject=guide,
            ground="G4",
            status=RecordStatus.PUBLISHED,
            public_from=datetime.date(2026, 1, 5),
        )
        claim = subject_claim_file(
            by=zhou,
            data={
                "record_reference": record.reference,
                "identifier_kind": "certificate_no",
                "identifier": guide.certificate_no,
                "acting_person": guide.name,
            },
            proofs=[proof("身份证.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)],
            language="zh-hans",
        )
        subject_claim_decide(claim=claim, by=rui, verify=True, reasons="身份证件一致")
        with pytest.raises(ValidationError) as error:
            repair_apply(by=zhou, record=record, statement="刑满释放", proofs=[proof()])
        assert "G4" in str(error.value.message_dict["statement"])
        settings.REPAIR_EXCLUDED_GROUNDS = []
        assert repair_apply(by=zhou, record=record, statement="已整改", proofs=[proof()]).pk


def test_an_approved_repair_takes_the_record_off_the_list_and_the_change_feed_reports_it(
    now, zhou, agency_record, rui
):
    verified(zhou, agency_record, rui)
    client = client_for(zhou)
    response = client.post(
        f"/rights/records/{agency_record.pk}/repair/",
        {"statement": "罚款已缴纳，整改已验收", "proofs": [proof("缴款凭证.pdf")]},
    )
    assert response.status_code == 302
    application = RepairApplication.objects.get()
    again = client.post(
        f"/rights/records/{agency_record.pk}/repair/",
        {"statement": "再次申请", "proofs": [proof()]},
    )
    assert "已有一份" in again.content.decode()
    assert RepairApplication.objects.count() == 1

    with time_machine.travel(at(datetime.date(2026, 12, 4), hour=11), tick=False):
        repair_decide(application=application, by=rui, approve=True, reasons="整改到位")
        agency_record.refresh_from_db()
        assert agency_record.status == RecordStatus.ARCHIVED
        assert agency_record.public_until == datetime.date(2026, 12, 3)
        assert agency_record.end_reason == "repaired"
        assert not BadRecord.objects.public().filter(pk=agency_record.pk).exists()
        assert client_for(None).get(f"/disclosures/{agency_record.reference}").status_code == 404
        feed = client_for(None).get(
            "/api/v1/disclosures/changes/", {"changed_since": "2026-12-04T10:00:00+08:00"}
        )
        page = client.get("/rights/").content.decode()
    assert {"reference": agency_record.reference, "reason": "repaired"}.items() <= (
        feed.json()["removed"][0].items()
    )
    assert AuditEvent.objects.filter(action="record_end_early").count() == 1
    assert "整改到位" in page


def test_a_rejected_repair_leaves_the_record_public_with_the_reason(now, zhou, agency_record, rui):
    verified(zhou, agency_record, rui)
    application = repair_apply(by=zhou, record=agency_record, statement="已整改", proofs=[proof()])
    repair_decide(application=application, by=rui, approve=False, reasons="罚款未缴清")
    agency_record.refresh_from_db()
    assert agency_record.status == RecordStatus.PUBLISHED
    assert RepairApplication.objects.get().decision_reasons == "罚款未缴清"


# Notice of publication.


def test_a_record_without_a_notice_is_listed_after_the_working_days_and_not_after_notice(
    now, agency_record, rui, fang
):
    fresh = listed_agency(fang, start=datetime.date(2026, 11, 24))
    listed = set(records_without_notice(BadRecord.objects.all()).values_list("pk", flat=True))
    assert listed == {agency_record.pk}  # the one of 24 November has had 3 working days
    client = client_for(rui)
    response = client.post(
        f"/admin/rights/notice/record/{agency_record.pk}/new/",
        {"method": "post", "served_on": "2026-06-03", "proofs": [proof("挂号信回执.pdf")]},
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.proofs.get().sha256
    assert not records_without_notice(BadRecord.objects.all()).exists()
    assert AuditEvent.objects.filter(action="notice_record").count() == 1
    notices = client.get("/admin/rights/notice/").content.decode()
    assert "/admin/rights/notice/missing/" in notices and agency_record.reference in notices
    assert fresh.pk


def test_a_notice_in_the_future_or_without_proof_is_refused_field_by_field(now, agency_record, rui):
    response = client_for(rui).post(
        f"/admin/rights/notice/record/{agency_record.pk}/new/",
        {"method": "post", "served_on": "2026-12-30"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "不能晚于今天" in body or "未来" in body
    assert not Notice.objects.exists()


def test_the_notice_letter_lists_the_published_fields_the_period_and_the_rights(
    now, agency_record, rui
):
    response = client_for(rui).get(f"/admin/rights/notice/record/{agency_record.pk}/letter/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in page
    for text in (agency_record.subject_name, agency_record.licence_no, "罚款人民币三万元"):
        assert text in page
    assert "2026年6月1日" in page and "15个工作日" in page and "信用修复" in page
    assert agency_record.internal_note not in page


def test_the_letter_and_the_notice_form_do_not_exist_for_another_region(now, agency_record, bei):
    client = client_for(bei)
    assert client.get(f"/admin/rights/notice/record/{agency_record.pk}/letter/").status_code == 404
    assert client.get(f"/admin/rights/notice/record/{agency_record.pk}/new/").status_code == 404


# The subject's own view.


def test_the_subject_sees_who_was_granted_access_to_its_archived_records_but_not_who(
    now, zhou, fang, rui, archivist, pan
):
    subject = factories.operator(region=fang.bureau, name="杭州西湖山水旅行社有限公司")
    archived = factories.record(
        filer=fang,
        subject=subject,
        status=RecordStatus.ARCHIVED,
        public_from=datetime.date(2023, 3, 1),
        basis_date=datetime.date(2023, 2, 20),
    )
    from archive.services import archive_request_decide
    from tests.archive_helpers import file_request

    request = file_request(
        pan, name=subject.name, identifier=subject.licence_no, bureau=fang.bureau
    )
    archive_request_decide(archive_request=request, by=archivist, approve=True, reasons="合同纠纷")
    assert ArchiveRequest.objects.get().status == RequestStatus.APPROVED
    verified(zhou, archived, rui)
    page = client_for(zhou).get("/rights/").content.decode()
    assert archived.reference in page
    assert "2026-11-27" in page and "2026-12-26" in page  # the 30-day window
    assert "Pan" not in page and "pan@example.org" not in page


def test_nobody_else_sees_a_subjects_page(now, zhou, agency_record, rui, pan, fang):
    verified(zhou, agency_record, rui)
    assert agency_record.reference not in client_for(pan).get("/rights/").content.decode()
    assert client_for(fang).get("/rights/").status_code == 404
    assert client_for(None).get("/rights/").status_code == 302  # to sign in


# Public statistics.


def test_public_statistics_count_received_on_time_and_upheld_per_bureau(
    now, zhou, agency_record, rui, fang, django_assert_num_queries
):
    verified(zhou, agency_record, rui)
    objection = objection_file(by=zhou, record=agency_record, grounds="理由", proofs=[proof()])
    objection_answer(objection=objection, by=rui, decision="withdrawn", reasons="成立")
    other = listed_agency(fang)
    verified(zhou, other, rui)
    application = repair_apply(by=zhou, record=other, statement="已整改", proofs=[proof()])
    repair_decide(application=application, by=rui, approve=True, reasons="准予")
    client = client_for(None)
    client.get("/rights/statistics/")  # warm the session and translation machinery
    with django_assert_num_queries(3):
        response = client.get("/rights/statistics/")
    rows = response.context["figures"]
    assert [(r.received, r.answered, r.on_time, r.upheld) for r in rows] == [(1, 1, 1, 1)]
    assert [(r.repairs_received, r.repairs_decided_on_time, r.repairs_approved) for r in rows] == [
        (1, 1, 1)
    ]


def test_the_dashboard_shows_records_without_notice_and_waiting_objections(
    now, zhou, agency_record, rui
):
    verified(zhou, agency_record, rui)
    objection_file(by=zhou, record=agency_record, grounds="理由", proofs=[proof()])
    page = client_for(rui).get("/admin/").content.decode()
    assert "/admin/rights/notice/missing/?overdue=1" in page
    assert "/admin/rights/objection/?state=open" in page


def test_the_records_without_notice_tile_counts_up_to_the_cap_of_its_list(
    now, agency_record, fang, rui, settings
):
    listed_agency(fang, start=datetime.date(2026, 7, 1))
    listed_agency(fang, start=datetime.date(2026, 11, 24))  # not overdue yet: not counted

    def tile() -> str:
        page = client_for(rui).get("/admin/").content.decode()
        link = page.index("/admin/rights/notice/missing/?overdue=1")
        return page[link : page.index("</a>", link)]

    assert "<strong>2</strong>" in tile()
    settings.ADMIN_LIST_COUNT_CAP = 1  # nationally: "10,000+" instead of a count of them all
    assert "<strong>1+</strong>" in tile()


def test_proof_files_are_served_only_to_the_subject_and_the_publishing_bureau(
    now, zhou, agency_record, rui, shang, pan
):
    verified(zhou, agency_record, rui)
    objection = objection_file(by=zhou, record=agency_record, grounds="理由", proofs=[proof()])
    url = f"/rights/objections/{objection.pk}/proof/{objection.proofs.get().pk}/"
    assert client_for(zhou).get(url).status_code == 200
    assert client_for(rui).get(url).status_code == 200
    for outsider in (shang, pan, None):
        assert client_for(outsider).get(url).status_code == 404
    assert PDF

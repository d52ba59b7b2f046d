"""The subject's rights, continued: the change feed's flag, deadlines on a corrected
calendar, e-mails in the subject's language, bad input with DEBUG off, fixed query counts."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client

from kernel.jobs import outbox_drain
from kernel.models import AuditEvent
from records.models import RecordStatus
from rights.models import Objection
from rights.services.objections import objection_answer, objection_file
from rights.services.repairs import repair_apply
from tests import factories
from tests.archive_helpers import CST, at, proof
from tests.conftest import client_for, make_party
from tests.rights_helpers import NOW, listed_agency, verified
from tests.test_workday_calendar import TEST_2027
from workdays.services import calendar_year_approve, calendar_year_save


@pytest.fixture
def zhou(db):
    return make_party("zhou")


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_change_feed_reports_the_objection_flag_and_drops_it_when_the_setting_is_off(
    now, zhou, fang, rui, settings
):
    record = listed_agency(fang)
    verified(zhou, record, rui)
    objection_file(by=zhou, record=record, grounds="理由", proofs=[proof()])
    anyone = client_for(None)
    feed = anyone.get(
        "/api/v1/disclosures/changes/", {"changed_since": "2026-11-27T09:00:00+08:00"}
    )
    (item,) = feed.json()["updated"]
    assert item["reference"] == record.reference and item["objection_pending"] is True
    settings.OBJECTION_FLAG_PUBLIC = False
    feed = anyone.get(
        "/api/v1/disclosures/changes/", {"changed_since": "2026-11-27T09:00:00+08:00"}
    )
    assert feed.json()["updated"][0]["objection_pending"] is False


def test_an_open_objections_deadline_is_counted_again_when_2027_is_approved(
    zhou, fang, rui, national_admin
):
    with time_machine.travel(datetime.datetime(2027, 1, 25, 10, tzinfo=CST), tick=False):
        record = listed_agency(fang, start=datetime.date(2026, 9, 1))
        verified(zhou, record, rui)
        objection = objection_file(by=zhou, record=record, grounds="理由", proofs=[proof()])
        assert objection.deadline == datetime.date(2027, 2, 19)  # provisional Spring Festival
        calendar = calendar_year_save(by=national_admin, data={**TEST_2027, "notice_date": None})
        counts = calendar_year_approve(calendar=calendar, by=national_admin)
    objection.refresh_from_db()
    assert objection.deadline == datetime.date(2027, 2, 22)
    assert counts["rights_deadline"] == 1
    assert AuditEvent.objects.filter(action="rights_deadline_recomputed").count() == 1


def test_the_subject_gets_its_e_mails_in_the_language_it_used_and_reviewers_in_chinese(
    now, zhou, fang, rui
):
    record = listed_agency(fang)
    verified(zhou, record, rui, language="zh-hans")
    objection = objection_file(by=zhou, record=record, grounds="理由", proofs=[proof()])
    mail.outbox.clear()
    outbox_drain()
    to_subject = next(
        m for m in mail.outbox if m.to == ["zhou@example.org"] and objection.reference in m.subject
    )
    to_reviewer = next(m for m in mail.outbox if m.to == ["rui@example.org"])
    assert "已收到异议" in to_subject.subject
    assert objection.reference in to_reviewer.subject and "期限" in to_reviewer.subject


@pytest.mark.parametrize(
    "data",
    [
        {"record_reference": "TR" + "9" * 40, "identifier_kind": "licence_no", "identifier": "x"},
        {"record_reference": "TR00000001\x00", "identifier_kind": "nope", "identifier": "x" * 41},
        {"record_reference": "", "identifier_kind": "credit_code", "identifier": "123"},
        {"record_reference": "'; drop table", "identifier_kind": "", "identifier": ""},
    ],
)
def test_bad_claims_get_field_errors_with_debug_off_and_nothing_is_saved(
    settings, now, zhou, fang, data
):
    settings.DEBUG = False
    listed_agency(fang)
    client = Client(raise_request_exception=False)
    client.force_login(zhou)
    response = client.post("/rights/claims/new/", {**data, "acting_person": ""})
    if any("\x00" in value for value in data.values()):
        assert response.status_code == 400  # refused before any view (null characters)
    else:
        assert response.status_code == 200
        assert 'class="errors"' in response.content.decode()
    assert not zhou.subject_claims.exists()


def test_bad_objections_and_answers_get_messages_with_debug_off(settings, now, zhou, fang, rui):
    settings.DEBUG = False
    record = listed_agency(fang)
    verified(zhou, record, rui)
    client = Client(raise_request_exception=False)
    client.force_login(zhou)
    for data, status in (({"grounds": "\x00"}, 400), ({"grounds": "x" * 100_000}, 200), ({}, 200)):
        response = client.post(f"/rights/records/{record.pk}/objection/", data)
        assert response.status_code == status
    assert not Objection.objects.exists()
    assert client.get("/rights/records/99999999999999999999/objection/").status_code == 404
    objection = objection_file(by=zhou, record=record, grounds="理由", proofs=[proof()])
    reviewer = client_for(rui)
    response = reviewer.post(
        f"/admin/rights/objection/{objection.pk}/answer/",
        {"decision": "corrected", "reasons": "更正", "cause": ""},
    )
    assert response.status_code == 200  # a cause cannot be emptied: shown on the form
    assert "errorlist" in response.content.decode()
    objection.refresh_from_db()
    assert objection.status == "open"
    response = reviewer.post(
        f"/admin/rights/objection/{objection.pk}/answer/", {"decision": "maybe", "reasons": ""}
    )
    assert response.status_code == 200


def test_the_subjects_page_runs_the_same_queries_for_one_record_or_many(now, zhou, fang, rui):
    first = listed_agency(fang)
    claim = verified(zhou, first, rui)
    factories.record(
        filer=fang,
        subject=claim.record.operator,
        status=RecordStatus.ARCHIVED,
        public_from=datetime.date(2022, 3, 1),
        basis_date=datetime.date(2022, 2, 20),
    )
    client = client_for(zhou)
    client.get("/rights/")

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/rights/").status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        more = factories.record(
            filer=fang,
            subject=claim.record.operator,
            status=RecordStatus.ARCHIVED,
            public_from=datetime.date(2023, 3, 1),
            basis_date=datetime.date(2023, 2, 20),
        )
        assert more.pk
    objection = objection_file(by=zhou, record=first, grounds="理由", proofs=[proof()])
    objection_answer(objection=objection, by=rui, decision="rejected", reasons="不成立")
    repair_apply(by=zhou, record=first, statement="已整改", proofs=[proof()])
    assert count() == few


def test_a_repair_for_an_ended_record_is_refused(zhou, fang, rui):
    with time_machine.travel(at(datetime.date(2026, 11, 27)), tick=False):
        record = listed_agency(fang)
        verified(zhou, record, rui)
        record.status = RecordStatus.ARCHIVED
        record.save(update_fields=["status"])
        response = client_for(zhou).post(
            f"/rights/records/{record.pk}/repair/", {"statement": "x", "proofs": [proof()]}
        )
    assert response.status_code == 200
    assert "只有正在公布的信息" in response.content.decode()


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_staff_lists_run_the_same_queries_for_one_item_or_many(now, fang, rui):
    reviewer = client_for(rui)
    subjects = [make_party(f"subject{n}") for n in range(4)]
    urls = [
        "/admin/rights/objection/",
        "/admin/rights/repairapplication/",
        "/admin/rights/subjectclaim/",
        "/admin/rights/notice/missing/",
        "/admin/",
    ]

    def add(account) -> None:
        record = listed_agency(fang)
        verified(account, record, rui)
        objection_file(by=account, record=record, grounds="理由", proofs=[proof()])
        repair_apply(by=account, record=record, statement="已整改", proofs=[proof()])

    add(subjects[0])
    for url in urls:
        reviewer.get(url)
    before = {url: _queries(reviewer, url) for url in urls}
    for account in subjects[1:]:
        add(account)
    assert {url: _queries(reviewer, url) for url in urls} == before

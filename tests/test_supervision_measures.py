"""Supervision measures: logged against a listed subject's records by supervisors and
reviewers of a bureau with jurisdiction; rectification orders followed up; a subject that did
not rectify gets a new draft record through the records services."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kernel.models import AuditEvent
from records.models import BadRecord, RecordStatus
from supervision.models import MeasureAttachment, SupervisionMeasure
from supervision.services.measures import (
    listed_unsupervised,
    measure_create,
    measure_follow_up,
    measure_record_start,
)
from tests.conftest import client_for
from tests.supervision_helpers import PDF, TODAY, measure_post, published

ADD = "/admin/supervision/supervisionmeasure/add/"
LIST = "/admin/supervision/supervisionmeasure/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def _order(rui, record, **overrides):
    data = measure_post(record, **overrides)
    data["taken_on"] = datetime.date.fromisoformat(data["taken_on"])
    data["due_on"] = datetime.date.fromisoformat(data["due_on"]) if data["due_on"] else None
    data["due_in_working_days"] = data["due_in_working_days"] or None
    return measure_create(by=rui, data=data)


def test_the_reviewer_logs_a_rectification_order_with_a_file_and_it_is_audited(rui, fang):
    record = published(fang)
    data = measure_post(record, attachments=SimpleUploadedFile("order.pdf", PDF))
    response = client_for(rui).post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    measure = SupervisionMeasure.objects.get()
    assert measure.subject_name == record.subject_name
    assert list(measure.records.all()) == [record]
    assert measure.due_on == datetime.date(2026, 6, 12) and measure.bureau == rui.bureau
    assert MeasureAttachment.objects.get().original_name == "order.pdf"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"measure_create", "measure_attachment_add"} <= actions
    page = client_for(rui).get(f"{LIST}{measure.pk}/change/").content.decode()
    assert "order.pdf" in page and "十日内公示收费标准" in page


def test_a_due_date_in_working_days_is_counted_on_the_official_calendar(rui, fang):
    record = published(fang)
    measure = _order(rui, record, due_on="", due_in_working_days=5)
    assert measure.due_on == datetime.date(2026, 6, 5)  # Friday 29 May + 5 working days
    response = client_for(rui).post(ADD, measure_post(record, due_on="", due_in_working_days="5"))
    assert response.status_code == 302 and SupervisionMeasure.objects.count() == 2
    assert SupervisionMeasure.objects.latest("pk").due_on == datetime.date(2026, 6, 5)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "raid"}, "kind"),
        ({"taken_on": "2026-07-01"}, "taken_on"),
        ({"officers": ""}, "officers"),
        ({"findings": ""}, "findings"),
        ({"records": "TR99999999"}, "records"),
        ({"records": "hello"}, "records"),
        ({"requirements": ""}, "requirements"),
        ({"due_on": ""}, "due_on"),
        ({"due_on": "2026-05-01"}, "due_on"),
        ({"due_in_working_days": "3"}, "due_on"),
        ({"attachments": SimpleUploadedFile("x.pdf", b"MZ not a pdf")}, "attachments"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(rui, fang, overrides, field):
    record = published(fang)
    response = client_for(rui).post(ADD, measure_post(record, **overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not SupervisionMeasure.objects.exists()
    assert not AuditEvent.objects.filter(action="measure_create").exists()


def test_a_draft_record_cannot_be_the_subject_of_a_measure(rui, fang):
    draft = published(fang, status=RecordStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        _order(rui, draft)
    assert "records" in error.value.message_dict


def test_a_reviewer_of_another_county_cannot_log_a_measure_on_xihus_record(shang, fang):
    record = published(fang)
    with pytest.raises(ValidationError) as error:
        _order(shang, record)
    assert "No disclosed record in your region" in error.value.message_dict["records"][0]


def test_a_filer_may_not_log_measures(fang):
    record = published(fang)
    with pytest.raises(PermissionDenied):
        _order(fang, record)
    assert client_for(fang).get(ADD).status_code == 403


def test_the_follow_up_records_the_result_and_not_rectified_starts_a_g7_draft(
    rui, fang, filer_reviewer
):
    record = published(fang)
    measure = _order(rui, record)
    url = f"{LIST}{measure.pk}/decide/follow-up/"
    bad = client_for(rui).post(url, {"result": "", "result_on": "2026-06-01", "note": ""})
    assert bad.status_code == 200 and {"result", "note"} <= set(bad.context["form"].errors)
    response = client_for(rui).post(
        url, {"result": "not_rectified", "result_on": "2026-06-01", "note": "仍未公示"}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.result == "not_rectified" and measure.state() == "done"
    # A reviewer without the filer role cannot start the record; a filer can.
    with pytest.raises(PermissionDenied):
        measure_record_start(measure=measure, by=rui)
    response = client_for(filer_reviewer).post(
        f"{LIST}{measure.pk}/decide/start-record/", {"ground": "G7"}
    )
    assert response.status_code == 302
    draft = BadRecord.objects.get(status=RecordStatus.DRAFT)
    measure.refresh_from_db()
    assert measure.follow_up_record == draft
    assert draft.ground == "G7" and draft.operator_id == record.operator_id
    assert measure.reference in draft.basis_number and "仍未公示" in draft.cause
    assert AuditEvent.objects.filter(action="record_create", record_id=draft.pk).exists()


def test_a_follow_up_cannot_be_recorded_twice(rui, fang):
    measure = _order(rui, published(fang))
    measure_follow_up(
        measure=measure, by=rui, result="rectified", result_on=TODAY.date(), note="已整改"
    )
    with pytest.raises(PermissionDenied):
        measure_follow_up(
            measure=measure, by=rui, result="partly", result_on=TODAY.date(), note="x"
        )


def test_the_list_filters_orders_due_soon_and_overdue(rui, fang):
    record = published(fang)
    soon = _order(rui, record, due_on="2026-06-02")
    late = _order(rui, record, taken_on="2026-05-04", due_on="2026-05-20")
    client = client_for(rui)
    for query, expected in (("?due=soon", [soon]), ("?due=overdue", [late])):
        shown = list(client.get(LIST + query).context["cl"].result_list)
        assert shown == expected
    assert "deadline-overdue" in client.get(LIST).content.decode()


def test_a_filer_of_another_county_never_sees_xihus_measures(rui, fang, shang, su):
    measure = _order(rui, published(fang))
    assert list(client_for(shang).get(LIST).context["cl"].result_list) == []
    assert client_for(shang).get(f"{LIST}{measure.pk}/change/").status_code == 404
    # The city supervisor above both counties sees it.
    assert list(client_for(su).get(LIST).context["cl"].result_list) == [measure]


def test_listed_but_not_supervised_lists_public_records_without_a_timely_measure(
    rui, fang, settings
):
    settings.SUPERVISION_UNSUPERVISED_DAYS = 30
    watched, ignored = published(fang), published(fang)
    recent = published(fang, public_from=datetime.date(2026, 5, 20))
    _order(rui, watched, taken_on="2026-03-20", due_on="2026-04-20")
    assert list(listed_unsupervised(user=rui)) == [ignored]
    page = client_for(rui).get(f"{LIST}unsupervised/")
    assert page.status_code == 200
    body = page.content.decode()
    assert ignored.reference in body and watched.reference not in body
    assert recent.reference not in body
    assert f"?records={ignored.reference}" in body


def test_the_measure_list_runs_the_same_queries_for_one_or_many_rows(
    rui, fang, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record = published(fang)
    client = client_for(rui)
    _order(rui, record)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(5):
        _order(rui, record)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(one)


def test_the_roles_that_log_measures_come_from_a_setting(rui, su, fang, settings):
    record = published(fang)
    settings.SUPERVISION_MEASURE_ROLES = ["supervisor"]
    assert client_for(rui).get(ADD).status_code == 403
    with pytest.raises(PermissionDenied):
        _order(rui, record)
    assert _order(su, record).bureau == su.bureau


def test_a_ground_that_does_not_fit_the_subject_is_refused_when_starting_a_record(
    rui, fang, filer_reviewer
):
    measure = _order(rui, published(fang))
    measure_follow_up(
        measure=measure, by=rui, result="not_rectified", result_on=TODAY.date(), note="未整改"
    )
    url = f"{LIST}{measure.pk}/decide/start-record/"
    response = client_for(filer_reviewer).post(url, {"ground": "G4"})  # persons only
    assert response.status_code == 200 and "ground" in response.context["form"].errors
    assert not BadRecord.objects.filter(status=RecordStatus.DRAFT).exists()


def test_a_lead_turned_into_a_measure_with_bad_input_names_the_field(bureaus, rui, fang):
    from supervision.models import Lead
    from supervision.services.leads import lead_decide, lead_file

    lead, _code = lead_file(
        data={
            "subject_name": "快乐旅行社",
            "bureau": bureaus["xihu"],
            "what_happened": "强迫购物",
            "happened_on": datetime.date(2026, 5, 20),
        }
    )
    lead_decide(lead=lead, by=rui, decision="accept", reason="")
    url = f"/admin/supervision/lead/{lead.pk}/decide/measure/"
    published(fang)
    for data, fields in (
        (measure_post(published(fang), officers=""), {"officers"}),
        (measure_post(published(fang), records="TR0", due_on="2026-05-01"), {"records", "due_on"}),
    ):
        response = client_for(rui).post(url, data)
        assert response.status_code == 200
        assert fields <= set(response.context["form"].errors)
    assert Lead.objects.get().measure_id is None and not SupervisionMeasure.objects.exists()


def test_the_county_sees_the_citys_order_on_its_record_and_files_the_new_record(
    su, rui, fang, filer_reviewer, shang
):
    record = published(fang)
    measure = _order(su, record)
    url = f"{LIST}{measure.pk}/change/"
    assert client_for(fang).get(url).status_code == 200
    assert client_for(shang).get(url).status_code == 404
    # The city, which ordered it, follows it up; the county does not.
    assert client_for(rui).get(f"{LIST}{measure.pk}/decide/follow-up/").status_code == 403
    measure_follow_up(
        measure=measure, by=su, result="not_rectified", result_on=TODAY.date(), note="未整改"
    )
    draft = measure_record_start(measure=measure, by=filer_reviewer)
    assert draft.filing_bureau == filer_reviewer.bureau


def test_the_city_supervisor_narrows_the_list_to_one_county(su, rui, fang, shang):
    xihu = _order(rui, published(fang))
    shangcheng = _order(shang, published(shang))
    client = client_for(su)
    assert set(client.get(LIST).context["cl"].result_list) == {xihu, shangcheng}
    assert list(client.get(LIST + "?region=330102").context["cl"].result_list) == [shangcheng]
    assert list(client.get(LIST + "?region=999999").context["cl"].result_list) == []

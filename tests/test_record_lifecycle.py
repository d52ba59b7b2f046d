"""The record lifecycle through the service functions (SPEC §3)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from kernel.models import AuditEvent, OutboxJob
from records.models import BadRecord, BadRecordVersion, RecordStatus
from records.services import bad_records as services
from tests import factories

D = datetime.date
# 10:00 in Beijing on Monday 2 March 2026.
MONDAY = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)


def draft_data(subject, **overrides):
    data = {
        "subject_type": "operator" if subject.__class__.__name__ == "Operator" else "practitioner",
        "operator": subject if subject.__class__.__name__ == "Operator" else None,
        "practitioner": subject if subject.__class__.__name__ == "Practitioner" else None,
        "ground": "G1",
        "cause": "强迫游客购物",
        "penalty_decision": "罚款人民币二万元",
        "complaint_result": "",
        "basis_type": "penalty_decision",
        "basis_number": "杭西文旅罚〔2026〕7号",
        "basis_issuer": "杭州市西湖区文化和广电旅游体育局",
        "basis_date": D(2026, 2, 26),
        "obtained_on": None,
        "period_years": None,
        "period_legal_basis": "",
        "internal_note": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def travel_agency(bureaus):
    return factories.operator(region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司")


@pytest.fixture
def submitted(fang, travel_agency):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_create(by=fang, data=draft_data(travel_agency))
        return services.record_submit(record=record, by=fang)


@time_machine.travel(MONDAY, tick=False)
def test_a_filers_draft_takes_the_subjects_published_fields_and_a_deadline(fang, travel_agency):
    record = services.record_create(by=fang, data=draft_data(travel_agency))
    assert record.status == RecordStatus.DRAFT
    assert record.subject_name == "杭州西湖国际旅行社有限公司"
    assert record.licence_no == travel_agency.licence_no
    assert record.obtained_on == D(2026, 2, 26)  # defaults to the decision date
    # Five working days on, Saturday 28 February being a working day (调休) in 2026.
    assert record.publish_deadline == D(2026, 3, 4)
    assert record.period_years == 2
    assert record.filing_bureau == fang.bureau
    event = AuditEvent.objects.get(record_id=record.pk)
    assert (event.actor, event.action) == (fang, "record_create")


@time_machine.travel(MONDAY, tick=False)
def test_submitting_a_draft_queues_a_notice_to_reviewers_and_is_audited(fang, travel_agency):
    record = services.record_create(by=fang, data=draft_data(travel_agency))
    record = services.record_submit(record=record, by=fang)
    assert record.status == RecordStatus.SUBMITTED
    assert record.submitted_at is not None
    job = OutboxJob.objects.get()
    assert (job.name, job.payload) == ("notify_reviewers_of_submission", {"record_id": record.pk})
    event = AuditEvent.objects.filter(record_id=record.pk).order_by("-id").first()
    assert event.action == "record_submit"
    assert event.before == {"status": "draft"}
    assert event.after["status"] == "submitted"


@time_machine.travel(MONDAY, tick=False)
def test_filing_and_submitting_in_one_step_leaves_the_trail_of_the_two_steps(fang, travel_agency):
    def trail(record):
        return [
            (e.actor, e.action, e.before, e.after)
            for e in AuditEvent.objects.filter(record_id=record.pk).order_by("id")
        ]

    two_steps = services.record_submit(
        record=services.record_create(by=fang, data=draft_data(travel_agency)), by=fang
    )
    other = draft_data(travel_agency) | {"basis_number": "杭旅罚〔2026〕13号"}
    one_step = services.record_create(by=fang, data=other, submit=True)
    assert one_step.status == RecordStatus.SUBMITTED and one_step.submitted_at is not None
    expected = [
        (actor, action, before, {**after, "basis_number": "杭旅罚〔2026〕13号"})
        if action == "record_create"
        else (actor, action, before, after)
        for actor, action, before, after in trail(two_steps)
    ]
    assert trail(one_step) == expected
    assert [a for _, a, _, _ in expected] == ["record_create", "record_submit"]
    jobs = OutboxJob.objects.filter(name="notify_reviewers_of_submission")
    assert sorted(j.payload["record_id"] for j in jobs) == sorted([two_steps.pk, one_step.pk])
    quiet = draft_data(travel_agency) | {"basis_number": "杭旅罚〔2026〕14号"}
    services.record_create(by=fang, data=quiet, submit=True, notify=False)
    assert jobs.count() == 2


def test_only_a_filer_files_and_submits_in_one_step(rui, travel_agency):
    with pytest.raises(PermissionDenied):
        services.record_create(by=rui, data=draft_data(travel_agency), submit=True)
    assert not BadRecord.objects.exists()


def test_a_reviewer_publishes_today_and_the_period_runs_two_years(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui)
    assert record.status == RecordStatus.PUBLISHED
    assert (record.public_from, record.public_until) == (D(2026, 3, 2), D(2028, 3, 1))
    assert record.reviewed_by == rui
    assert not record.is_late
    assert BadRecord.objects.public(on=D(2026, 3, 2)).filter(pk=record.pk).exists()


def test_a_reviewer_can_schedule_publication_for_a_later_day(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui, public_from=D(2026, 3, 4))
    assert record.status == RecordStatus.SCHEDULED
    assert not BadRecord.objects.public(on=D(2026, 3, 3)).filter(pk=record.pk).exists()
    assert BadRecord.objects.public(on=D(2026, 3, 4)).filter(pk=record.pk).exists()


def test_publication_starting_after_the_deadline_is_flagged_late(submitted, rui):
    # Deadline Wed 4 March; publishing on Thu 5 March is late.
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(
            record=submitted, by=rui, public_from=D(2026, 3, 5), late_reason="  待复核结论  "
        )
    assert record.is_late
    assert record.late_publication_reason == "待复核结论"
    # Thu 26 Feb (obtained) to Thu 5 March: Fri, Sat 28 Feb (a working day in 2026's
    # calendar, 调休 for the Spring Festival), Mon, Tue, Wed, Thu.
    assert record.publication_working_days == 6
    event = AuditEvent.objects.filter(action="record_publish", record_id=record.pk).get()
    assert event.reason == "待复核结论"
    assert event.after["late_publication_reason"] == "待复核结论"


def test_a_late_publication_without_a_reason_is_refused_naming_the_field(submitted, rui):
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as caught:
        services.record_publish(
            record=submitted, by=rui, public_from=D(2026, 3, 5), late_reason="   "
        )
    assert "late_reason" in caught.value.message_dict
    assert "2026-03-04" in caught.value.message_dict["late_reason"][0]
    submitted.refresh_from_db()
    assert submitted.status == RecordStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="record_publish").exists()


def test_a_reason_given_for_a_publication_on_time_is_not_kept(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui, late_reason="不需要")
    assert not record.is_late
    assert record.late_publication_reason == ""
    assert record.publication_working_days == 3  # Thu 26 Feb to Mon 2 March: Fri, Sat, Mon


def test_publication_on_the_deadline_day_is_not_late(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui, public_from=D(2026, 3, 4))
    assert not record.is_late


def test_publication_cannot_start_in_the_past(submitted, rui):
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as error:
        services.record_publish(record=submitted, by=rui, public_from=D(2026, 3, 1))
    assert "public_from" in error.value.message_dict
    assert BadRecord.objects.get(pk=submitted.pk).status == RecordStatus.SUBMITTED


def test_a_reviewer_never_approves_their_own_filing(filer_reviewer, travel_agency):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_create(by=filer_reviewer, data=draft_data(travel_agency))
        record = services.record_submit(record=record, by=filer_reviewer)
        with pytest.raises(PermissionDenied):
            services.record_publish(record=record, by=filer_reviewer)
    assert BadRecord.objects.get(pk=record.pk).status == RecordStatus.SUBMITTED


def test_a_reviewer_of_another_county_cannot_publish(submitted, shang):
    with pytest.raises(PermissionDenied):
        services.record_publish(record=submitted, by=shang)


def test_a_filer_cannot_publish(submitted, fang):
    with pytest.raises(PermissionDenied):
        services.record_publish(record=submitted, by=fang)


def test_a_returned_record_goes_back_to_the_filer_with_the_comment_and_can_be_resubmitted(
    submitted, fang, rui
):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_return(record=submitted, by=rui, comment="请补充处罚决定书")
        assert (record.status, record.return_comment) == (RecordStatus.RETURNED, "请补充处罚决定书")
        record = services.record_update(
            record=record, by=fang, data=draft_data(record.operator, cause="强迫游客购物三次")
        )
        record = services.record_submit(record=record, by=fang)
    assert record.status == RecordStatus.SUBMITTED
    actions = list(
        AuditEvent.objects.filter(record_id=record.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "record_create",
        "record_submit",
        "record_return",
        "record_update",
        "record_submit",
    ]


def test_returning_without_a_comment_is_refused(submitted, rui):
    with pytest.raises(ValidationError) as error:
        services.record_return(record=submitted, by=rui, comment="   ")
    assert "comment" in error.value.message_dict


def test_a_submitted_record_is_no_longer_editable_by_the_filer(submitted, fang):
    with pytest.raises(PermissionDenied):
        services.record_update(record=submitted, by=fang, data=draft_data(submitted.operator))


def test_withdrawal_needs_a_reason_and_takes_the_record_off_the_list(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui)
        with pytest.raises(ValidationError):
            services.record_withdraw(record=record, by=rui, reason="")
        record = services.record_withdraw(record=record, by=rui, reason="处罚决定已被撤销")
    assert record.status == RecordStatus.WITHDRAWN
    assert record.withdrawal_reason == "处罚决定已被撤销"
    assert not BadRecord.objects.public(on=D(2026, 3, 2)).exists()
    assert BadRecord.objects.filter(pk=record.pk).exists()  # never deleted


def test_a_correction_keeps_the_old_version_and_the_same_reference(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui)
        reference = record.reference
        corrected = services.record_correct(
            record=record, by=rui, data={"cause": "强迫游客购物并辱骂游客"}, reason="事由表述有误"
        )
    assert corrected.reference == reference
    assert (corrected.version, corrected.cause) == (2, "强迫游客购物并辱骂游客")
    old = BadRecordVersion.objects.get(record=corrected)
    assert (old.version, old.data["cause"], old.correction_reason) == (
        1,
        "强迫游客购物",
        "事由表述有误",
    )
    assert corrected.public_from == record.public_from


def test_a_correction_that_changes_nothing_is_refused(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui)
        with pytest.raises(ValidationError):
            services.record_correct(record=record, by=rui, data={}, reason="无")
    assert not BadRecordVersion.objects.exists()


def test_a_correction_is_checked_like_a_draft(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui)
        with pytest.raises(ValidationError) as error:
            services.record_correct(record=record, by=rui, data={"ground": "G4"}, reason="改")
    assert "ground" in error.value.message_dict
    assert BadRecord.objects.get(pk=record.pk).ground == "G1"


def test_publishing_twice_in_a_row_succeeds_once(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        services.record_publish(record=submitted, by=rui)
        with pytest.raises(PermissionDenied):
            services.record_publish(record=submitted, by=rui)  # the stale object says submitted
    assert AuditEvent.objects.filter(record_id=submitted.pk, action="record_publish").count() == 1


def test_only_never_submitted_drafts_can_be_deleted(fang, travel_agency, submitted):
    with time_machine.travel(MONDAY, tick=False):
        draft = services.record_create(
            by=fang, data=draft_data(travel_agency, basis_number="杭西文旅罚〔2026〕8号")
        )
    services.record_delete_draft(record=draft, by=fang)
    assert not BadRecord.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="record_delete_draft", object_id=str(draft.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.record_delete_draft(record=submitted, by=fang)


def test_a_correction_cannot_move_the_decision_after_the_information_was_obtained(submitted, rui):
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_publish(record=submitted, by=rui)
        with pytest.raises(ValidationError) as error:
            services.record_correct(
                record=record, by=rui, data={"basis_date": D(2026, 2, 27)}, reason="日期更正"
            )
    assert list(error.value.message_dict) == ["basis_date"]


def test_a_correction_checks_a_guides_certificate_format(fang, rui, bureaus):
    guide = factories.practitioner(region=bureaus["xihu"])
    record = factories.record(filer=fang, subject=guide, status=RecordStatus.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        services.record_correct(
            record=record, by=rui, data={"certificate_no": "not a cert"}, reason="证号更正"
        )
    assert list(error.value.message_dict) == ["certificate_no"]
    corrected = services.record_correct(
        record=record, by=rui, data={"certificate_no": "d－3301－000099"}, reason="证号更正"
    )
    assert corrected.certificate_no == "D-3301-000099"


def test_publication_cannot_be_scheduled_years_ahead_by_a_typo(submitted, rui):
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as error:
        services.record_publish(record=submitted, by=rui, public_from=D(9999, 12, 31))
    assert "public_from" in error.value.message_dict

"""The expiry and scheduled-publication sweep (SPEC §3): dates in China Standard Time, the
last public day inclusive, one audit event per move, and catching up after downtime."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from kernel.models import AuditEvent
from records import tasks
from records.models import BadRecord, RecordStatus
from records.services import bad_records as services
from records.services.expiry import (
    disclosures_expire,
    disclosures_start,
    disclosures_sweep,
)
from tests import factories
from tests.conftest import client_for

CST = ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)


def cst(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=CST)


def published(filer, *, public_from: datetime.date, public_until: datetime.date | None = None):
    fields = {"public_until": public_until} if public_until else {}
    return factories.record(
        filer=filer,
        status=RecordStatus.PUBLISHED,
        basis_date=public_from - 10 * DAY,
        public_from=public_from,
        **fields,
    )


def scheduled(filer, *, public_from: datetime.date, public_until: datetime.date | None = None):
    fields = {"public_until": public_until} if public_until else {}
    return factories.record(
        filer=filer,
        status=RecordStatus.SCHEDULED,
        basis_date=public_from - 10 * DAY,
        public_from=public_from,
        **fields,
    )


def events(record, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(record_id=record.pk, action=action))


def status_of(record) -> str:
    record.refresh_from_db()
    return record.status


# 29 February + 2 years, and the midnight boundary in China Standard Time.


@pytest.fixture
def leap_day_record(fang, rui):
    record = factories.record(
        filer=fang, status=RecordStatus.SUBMITTED, basis_date=datetime.date(2024, 2, 26)
    )
    with time_machine.travel(cst(2024, 2, 29, 10, 0), tick=False):
        return services.record_publish(record=record, by=rui)


def test_a_record_published_on_29_february_has_27_february_two_years_later_as_last_day(
    leap_day_record,
):
    assert leap_day_record.public_from == datetime.date(2024, 2, 29)
    assert leap_day_record.public_until == datetime.date(2026, 2, 27)


def test_at_235959_cst_on_its_last_day_the_record_is_public_and_the_sweep_keeps_it(
    leap_day_record,
):
    with time_machine.travel(cst(2026, 2, 27, 23, 59, 59), tick=False):
        assert BadRecord.objects.public().filter(pk=leap_day_record.pk).exists()
        assert disclosures_sweep().archived == 0
    assert status_of(leap_day_record) == RecordStatus.PUBLISHED


def test_at_midnight_cst_the_ended_record_is_hidden_before_any_sweep_runs(leap_day_record):
    # 00:00 on 28 February in China is 16:00 UTC on the 27th.
    with time_machine.travel(datetime.datetime(2026, 2, 27, 16, 0, tzinfo=datetime.UTC)):
        assert not BadRecord.objects.public().filter(pk=leap_day_record.pk).exists()
    assert status_of(leap_day_record) == RecordStatus.PUBLISHED


def test_the_first_sweep_after_midnight_archives_the_record_with_one_audit_event(
    leap_day_record,
):
    midnight = cst(2026, 2, 28, 0, 0)
    with time_machine.travel(midnight, tick=False):
        assert disclosures_sweep().archived == 1
    leap_day_record.refresh_from_db()
    assert leap_day_record.status == RecordStatus.ARCHIVED
    assert leap_day_record.archived_at == midnight
    assert leap_day_record.updated_at == midnight
    [event] = events(leap_day_record, "record_archive")
    assert event.actor is None
    assert event.at == midnight
    assert (event.object_type, event.object_id) == ("badrecord", str(leap_day_record.pk))
    assert event.before == {"status": "published"}
    assert event.after["status"] == "archived"
    assert datetime.datetime.fromisoformat(event.after["archived_at"]) == midnight
    assert "ended" in event.reason


def test_a_scheduled_record_starts_at_midnight_cst_of_its_first_day_not_before(fang):
    record = scheduled(fang, public_from=datetime.date(2026, 5, 1))
    with time_machine.travel(cst(2026, 4, 30, 23, 59, 59), tick=False):
        assert disclosures_sweep().started == 0
        assert not BadRecord.objects.public().filter(pk=record.pk).exists()
    with time_machine.travel(cst(2026, 5, 1, 0, 0), tick=False):
        assert BadRecord.objects.public().filter(pk=record.pk).exists()  # by date, before the sweep
        assert disclosures_sweep().started == 1
        assert BadRecord.objects.public().filter(pk=record.pk).exists()
    assert status_of(record) == RecordStatus.PUBLISHED
    [event] = events(record, "record_start")
    assert (event.before, event.after) == ({"status": "scheduled"}, {"status": "published"})
    assert record.archived_at is None


# Downtime, idempotence and what is never touched.


@pytest.fixture
def ten_days_down(fang):
    """Beat stopped on 1 June 2026 and comes back on the 11th: records ended and started on
    different days in between, next to records that must stay as they are."""
    back = datetime.date(2026, 6, 11)
    due = {
        "ended": [
            published(fang, public_from=datetime.date(2024, 6, 1), public_until=back - n * DAY)
            for n in range(1, 11)
        ],
        "started": [scheduled(fang, public_from=back - n * DAY) for n in range(0, 10)],
        "started_and_ended": [
            scheduled(fang, public_from=back - 8 * DAY, public_until=back - 3 * DAY)
        ],
    }
    untouched = {
        "last_day_today": published(fang, public_from=datetime.date(2024, 6, 12)),
        "starts_tomorrow": scheduled(fang, public_from=back + DAY),
        "withdrawn": factories.record(
            filer=fang,
            status=RecordStatus.WITHDRAWN,
            basis_date=datetime.date(2024, 1, 2),
            public_from=datetime.date(2024, 1, 12),
            public_until=datetime.date(2026, 1, 11),
        ),
        "draft": factories.record(filer=fang, basis_date=datetime.date(2024, 1, 2)),
        "archived": factories.record(
            filer=fang,
            status=RecordStatus.ARCHIVED,
            basis_date=datetime.date(2023, 1, 2),
            public_from=datetime.date(2023, 1, 12),
        ),
    }
    assert untouched["last_day_today"].public_until == back
    return back, due, untouched


def test_one_run_after_ten_days_of_downtime_catches_up_every_record_once(ten_days_down):
    back, due, untouched = ten_days_down
    before = {pk: status for pk, status in BadRecord.objects.values_list("pk", "status")}
    with time_machine.travel(cst(2026, 6, 11, 0, 5), tick=False):
        public_before = set(BadRecord.objects.public().values_list("pk", flat=True))
        counts = disclosures_sweep()
        public_after = set(BadRecord.objects.public().values_list("pk", flat=True))
    assert (counts.started, counts.archived) == (10, 11)
    assert public_after == public_before  # the sweep changes nothing a visitor sees
    for record in due["ended"]:
        assert status_of(record) == RecordStatus.ARCHIVED
        assert len(events(record, "record_archive")) == 1
        assert events(record, "record_start") == []
    for record in due["started"]:
        assert status_of(record) == RecordStatus.PUBLISHED
        assert len(events(record, "record_start")) == 1
        assert events(record, "record_archive") == []
    for record in untouched.values():
        assert status_of(record) == before[record.pk]
        assert not AuditEvent.objects.filter(record_id=record.pk).exists()


def test_a_scheduled_record_whose_whole_period_passed_goes_straight_to_the_archive(
    ten_days_down,
):
    _back, due, _untouched = ten_days_down
    [record] = due["started_and_ended"]
    with time_machine.travel(cst(2026, 6, 11, 0, 5), tick=False):
        disclosures_sweep()
    assert status_of(record) == RecordStatus.ARCHIVED
    assert events(record, "record_start") == []
    [event] = events(record, "record_archive")
    assert event.before == {"status": "scheduled"}


def test_a_second_sweep_changes_nothing_and_writes_no_audit_event(ten_days_down):
    with time_machine.travel(cst(2026, 6, 11, 0, 5), tick=False):
        disclosures_sweep()
        audit_count = AuditEvent.objects.count()
        stamps = list(BadRecord.objects.order_by("pk").values_list("status", "updated_at"))
    with time_machine.travel(cst(2026, 6, 11, 1, 5), tick=False):
        counts = disclosures_sweep()
    assert (counts.started, counts.archived) == (0, 0)
    assert AuditEvent.objects.count() == audit_count
    assert list(BadRecord.objects.order_by("pk").values_list("status", "updated_at")) == stamps


def test_start_and_expire_can_run_on_their_own(ten_days_down):
    with time_machine.travel(cst(2026, 6, 11, 0, 5), tick=False):
        assert disclosures_expire() == 11
        assert disclosures_start() == 10
        assert disclosures_expire() == 0


def test_sweeping_as_of_an_earlier_day_archives_only_what_had_ended_by_then(ten_days_down):
    _back, due, _untouched = ten_days_down
    with time_machine.travel(cst(2026, 6, 11, 0, 5), tick=False):
        assert disclosures_expire(today=datetime.date(2026, 6, 6)) == 5
    assert [status_of(r) for r in due["ended"]] == [RecordStatus.PUBLISHED] * 5 + [
        RecordStatus.ARCHIVED
    ] * 5


def test_the_sweep_refuses_to_run_as_of_a_future_day(fang):
    record = published(fang, public_from=datetime.date(2024, 6, 1))  # last day 31 May 2026
    with (
        time_machine.travel(cst(2026, 5, 31, 12, 0), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        disclosures_sweep(today=datetime.date(2026, 6, 1))
    assert "today" in refused.value.message_dict
    assert status_of(record) == RecordStatus.PUBLISHED


# The task, the command and the record's history page.


def test_the_beat_task_returns_and_logs_its_counts(fang, caplog):
    published(fang, public_from=datetime.date(2024, 6, 1))
    with time_machine.travel(cst(2026, 6, 1, 0, 5), tick=False):
        caplog.set_level("INFO", logger="records.tasks")
        assert tasks.disclosures_sweep() == {"started": 0, "archived": 1}
    assert "archived 1 ended record(s)" in caplog.text


def sweep_command(*args: str) -> str:
    out = io.StringIO()
    call_command("sweep_disclosures", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_what_it_moved(ten_days_down):
    with time_machine.travel(cst(2026, 6, 11, 0, 5), tick=False):
        assert sweep_command() == ("Started 10 scheduled record(s); archived 11 ended record(s).\n")
        assert "archived 0" in sweep_command()


def test_the_command_refuses_a_future_date_and_a_malformed_one(ten_days_down):
    with time_machine.travel(cst(2026, 6, 11, 0, 5), tick=False):
        with pytest.raises(CommandError, match="future day"):
            sweep_command("--date", "2026-06-12")
        with pytest.raises(CommandError, match="--date must be a date"):
            sweep_command("--date", "11/06/2026")
    assert BadRecord.objects.filter(status=RecordStatus.PUBLISHED).count() == 11
    assert not AuditEvent.objects.exists()


def test_the_command_with_an_earlier_date_catches_up_to_that_day(ten_days_down):
    with time_machine.travel(cst(2026, 6, 11, 0, 5), tick=False):
        assert "archived 5 ended" in sweep_command("--date", "2026-06-06")


def test_the_reviewer_sees_the_archiving_in_the_records_history(fang, rui):
    record = published(fang, public_from=datetime.date(2024, 6, 1))
    with time_machine.travel(cst(2026, 6, 1, 0, 5), tick=False):
        disclosures_sweep()
    response = client_for(rui).get(f"/admin/records/badrecord/{record.pk}/change/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "公示期届满，转入档案" in html  # the admin speaks Chinese by default

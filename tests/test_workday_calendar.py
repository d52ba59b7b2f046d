"""The working-day calendar as data (issue 13): entering, approving and correcting a year,
the provisional calendar of a year without one, recomputed deadlines, the reminders.

The 2027 calendar below is a TEST CALENDAR shaped like a State Council notice; it is not the
official 2027 notice, which the national administrator enters when it is published."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from kernel.jobs import outbox_drain
from kernel.models import AuditEvent, OutboxJob
from records.models import RecordStatus
from tests import factories
from tests.conftest import client_for
from workdays.models import CalendarDay, CalendarStatus, CalendarYear
from workdays.services import calendar_year_approve, calendar_year_correct, calendar_year_save
from workdays.tasks import calendar_reminder
from workdays.working_days import add_working_days, deadline_is_provisional, is_working_day

pytestmark = pytest.mark.django_db

D = datetime.date
CST = ZoneInfo("Asia/Shanghai")
TODAY = datetime.datetime(2026, 12, 2, 10, tzinfo=CST)

TEST_2027 = {
    "year": 2027,
    "notice_number": "TEST-2027",
    "notice_date": D(2026, 11, 20),
    "notice_title": "Test calendar (not the State Council's notice)",
    "days_off": "2027-01-01..2027-01-03 元旦\n2027-02-05..2027-02-12 春节\n",
    "working_days": "2027-02-20 春节调休上班\n",
}
ADD_URL = reverse("admin:workdays_calendaryear_add")


def change_url(calendar: CalendarYear) -> str:
    return reverse("admin:workdays_calendaryear_change", args=[calendar.pk])


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def approved_2027(national_admin) -> CalendarYear:
    calendar = calendar_year_save(by=national_admin, data=TEST_2027)
    calendar_year_approve(calendar=calendar, by=national_admin)
    calendar.refresh_from_db()
    return calendar


# Boundaries on the provisional calendar (no 2027 notice entered).


def test_the_working_day_after_31_december_2026_is_monday_4_january_2027():
    assert not is_working_day(D(2027, 1, 1))
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_provisional_spring_festival_2027_takes_the_statutory_days_of_the_holidays_package():
    # Eve Fri 5 Feb to Wed 10 Feb (the package's statutory days and their observed days).
    assert [is_working_day(D(2027, 2, d)) for d in range(4, 12)] == [
        True, False, False, False, False, False, False, True,
    ]  # fmt: skip
    assert add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 11)


def test_a_deadline_counted_across_2027_is_provisional_and_one_inside_2026_is_not():
    assert deadline_is_provisional(D(2026, 12, 28), D(2027, 1, 5))
    assert not deadline_is_provisional(D(2026, 12, 1), D(2026, 12, 8))


def test_a_year_is_read_with_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(D(2027, 3, 1), 15)
        add_working_days(D(2027, 5, 1), 15)


# The entered calendar.


def test_entered_spring_festival_2027_counts_its_adjusted_saturday(approved_2027):
    assert add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 15)
    assert is_working_day(D(2027, 2, 20))  # a Saturday, 调休上班
    assert add_working_days(D(2027, 2, 19), 1) == D(2027, 2, 20)
    assert not deadline_is_provisional(D(2027, 2, 4), D(2027, 2, 15))


def test_entering_and_approving_records_who_did_each(approved_2027, national_admin):
    assert approved_2027.status == CalendarStatus.APPROVED
    assert approved_2027.entered_by == national_admin
    assert approved_2027.approved_by == national_admin
    actions = list(
        AuditEvent.objects.filter(object_type="calendaryear")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["calendar_year_create", "calendar_year_approve"]


def test_approving_2027_counts_a_draft_records_deadline_again_and_shows_it(fang, national_admin):
    record = factories.record(filer=fang, basis_date=D(2027, 2, 4))
    assert record.publish_deadline == D(2027, 2, 17)  # provisional: 11, 12, 15, 16, 17
    calendar = calendar_year_save(by=national_admin, data=TEST_2027)
    counts = calendar_year_approve(calendar=calendar, by=national_admin)
    record.refresh_from_db()
    assert record.publish_deadline == D(2027, 2, 19)  # entered: 15, 16, 17, 18, 19
    assert counts["publish_deadline"] == 1
    event = AuditEvent.objects.get(action="record_deadline_recomputed", record_id=record.pk)
    assert event.before == {"publish_deadline": "2027-02-17"}
    assert event.after == {"publish_deadline": "2027-02-19"}
    page = client_for(fang).get(reverse("admin:records_badrecord_change", args=[record.pk]))
    assert "2027-02-17 → 2027-02-19" in page.content.decode()


def test_correcting_an_approved_year_recomputes_open_deadlines_only(
    approved_2027, fang, national_admin
):
    draft = factories.record(filer=fang, basis_date=D(2027, 2, 17))
    published = factories.record(
        filer=fang, basis_date=D(2027, 2, 17), status=RecordStatus.PUBLISHED
    )
    assert draft.publish_deadline == D(2027, 2, 23)  # 18, 19, Sat 20, 22, 23
    corrected = {**TEST_2027, "working_days": ""}
    calendar_year_correct(
        calendar=approved_2027, by=national_admin, data=corrected, reason="typo in 20 Feb"
    )
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.publish_deadline == D(2027, 2, 24)
    assert published.publish_deadline == D(2027, 2, 23)
    correction = AuditEvent.objects.get(action="calendar_year_correct")
    assert correction.reason == "typo in 20 Feb"
    assert correction.before["working_days"] == ["2027-02-20"]
    assert correction.after["working_days"] == []
    assert not is_working_day(D(2027, 2, 20))


# The admin pages.


def test_national_admin_pastes_a_year_sees_the_month_view_and_approves_it(national_admin):
    client = client_for(national_admin)
    response = client.post(ADD_URL, {**TEST_2027, "notice_date": "2026-11-20", "_save": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    calendar = CalendarYear.objects.get(year=2027)
    assert calendar.status == CalendarStatus.DRAFT
    assert calendar.days.count() == 3 + 8 + 1
    page = client.get(change_url(calendar)).content.decode()
    assert page.count('<table class="calendar-month"') == 12
    assert '<th scope="col">' in page and "<caption>" in page
    assert "休" in page and "班" in page  # the legend is text, not colour alone
    approve = reverse("admin:workdays_calendaryear_approve", args=[calendar.pk])
    assert client.get(approve).status_code == 200
    assert client.post(approve).status_code == 302
    calendar.refresh_from_db()
    assert calendar.status == CalendarStatus.APPROVED
    assert is_working_day(D(2027, 2, 20))


def test_bad_pasted_lines_are_named_and_nothing_is_saved(national_admin):
    client = client_for(national_admin)
    client.cookies["django_language"] = "en"  # the messages below are asserted in English
    response = client.post(
        ADD_URL,
        {
            **TEST_2027,
            "notice_date": "2026-11-20",
            "days_off": "2027-01-01 元旦\n2027-13-01 春节\n2026-10-01 国庆\n",
            "working_days": "2027-02-08\n",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Line 2" in errors["days_off"][0]
    assert "Line 3" in errors["days_off"][1] and "not in 2027" in errors["days_off"][1]
    assert "is a weekday" in errors["working_days"][0]
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()


def test_two_administrators_creating_the_same_year_at_once_get_a_message_not_an_error(
    national_admin, monkeypatch
):
    import workdays.services as services

    real_clean = services.calendar_clean

    def clean_then_lose_the_race(**kwargs):
        cleaned = real_clean(**kwargs)
        # The other administrator's insert lands between this one's check and its save.
        CalendarYear.objects.create(
            year=cleaned["year"], notice_title="the other one", entered_by=national_admin
        )
        return cleaned

    monkeypatch.setattr(services, "calendar_clean", clean_then_lose_the_race)
    with pytest.raises(ValidationError) as refused:
        calendar_year_save(by=national_admin, data=TEST_2027)
    assert "2027" in refused.value.message_dict["year"][0]


def test_correcting_an_approved_year_without_a_reason_is_refused(approved_2027, national_admin):
    response = client_for(national_admin).post(
        change_url(approved_2027),
        {**TEST_2027, "notice_date": "2026-11-20", "working_days": "", "reason": " "},
    )
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    assert is_working_day(D(2027, 2, 20))


@pytest.mark.parametrize("persona", ["fang", "rui", "su", "xihu_admin"])
def test_staff_other_than_the_national_admin_cannot_open_the_calendar(
    persona, request, approved_2027
):
    client = client_for(request.getfixturevalue(persona))
    approve = reverse("admin:workdays_calendaryear_approve", args=[approved_2027.pk])
    assert client.get(ADD_URL).status_code == 403
    assert client.get(change_url(approved_2027)).status_code == 403
    assert client.post(approve).status_code == 403


def test_a_public_account_is_sent_to_the_login_page(stranger):
    response = client_for(stranger).get(ADD_URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# Warning and reminder from 1 November.


@pytest.mark.parametrize(
    ("moment", "warned"),
    [
        (datetime.datetime(2026, 10, 31, 23, 59, tzinfo=CST), False),
        (datetime.datetime(2026, 11, 1, 0, 0, tzinfo=CST), True),
        (datetime.datetime(2026, 12, 31, 23, 59, tzinfo=CST), True),
    ],
)
def test_national_admins_dashboard_warns_from_1_november(today, national_admin, moment, warned):
    today.move_to(moment)
    page = client_for(national_admin).get(reverse("admin:index")).content.decode()
    assert ('id="calendar-warning"' in page) is warned


def test_the_dashboard_warning_goes_once_next_year_is_approved(approved_2027, national_admin):
    page = client_for(national_admin).get(reverse("admin:index")).content.decode()
    assert 'id="calendar-warning"' not in page


def test_a_filer_sees_no_calendar_warning(fang):
    page = client_for(fang).get(reverse("admin:index")).content.decode()
    assert 'id="calendar-warning"' not in page


def test_beat_reminds_the_national_admins_once_by_e_mail(national_admin, fang):
    assert calendar_reminder() == 2027
    assert calendar_reminder() is None
    assert OutboxJob.objects.count() == 1
    outbox_drain()
    outbox_drain()
    assert [m.to for m in mail.outbox] == [[national_admin.email]]
    assert "2027" in mail.outbox[0].subject


def test_no_reminder_before_1_november_or_once_the_year_is_approved(today, national_admin):
    today.move_to(datetime.datetime(2026, 10, 31, 12, tzinfo=CST))
    assert calendar_reminder() is None
    today.move_to(TODAY)
    calendar = calendar_year_save(by=national_admin, data=TEST_2027)
    calendar_year_approve(calendar=calendar, by=national_admin)
    assert calendar_reminder() is None
    assert not OutboxJob.objects.exists()


# Loading what the chinese-calendar package knows.


def test_load_calendar_loads_2004_to_2026_as_approved_once():
    call_command("load_calendar", verbosity=0)
    call_command("load_calendar", verbosity=0)
    years = CalendarYear.objects.order_by("year").values_list("year", flat=True)
    assert list(years) == list(range(2004, 2027))
    loaded = CalendarYear.objects.get(year=2026)
    assert loaded.status == CalendarStatus.APPROVED
    assert loaded.notice_title == "chinese-calendar package"
    assert loaded.days.filter(date=D(2026, 2, 14), kind="work").exists()
    assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_deadline_counted_on_the_provisional_2027_is_marked_provisional_for_staff(fang):
    factories.record(filer=fang, basis_date=D(2027, 2, 4))
    factories.record(filer=fang, basis_date=D(2026, 11, 2))
    page = client_for(fang).get(reverse("admin:records_badrecord_changelist"))
    html = page.content.decode()
    assert html.count('class="deadline-provisional"') == 1
    assert "2027-02-17" in html


def test_approving_2027_counts_an_open_archive_requests_deadline_again(
    today, pan, bureaus, national_admin
):
    from tests.archive_helpers import file_request

    today.move_to(datetime.datetime(2027, 1, 25, 10, tzinfo=CST))
    archive_request = file_request(
        pan, name="某旅行社", identifier="L-ZJ-CJ00001", bureau=bureaus["xihu"]
    )
    assert archive_request.deadline == D(2027, 2, 19)  # provisional Spring Festival 5–10 Feb
    calendar = calendar_year_save(by=national_admin, data={**TEST_2027, "notice_date": None})
    counts = calendar_year_approve(calendar=calendar, by=national_admin)
    archive_request.refresh_from_db()
    assert archive_request.deadline == D(2027, 2, 22)  # 5–12 Feb off, Saturday 20 worked
    assert counts["archive_request_deadline"] == 1
    event = AuditEvent.objects.get(action="archive_request_deadline_recomputed")
    assert (event.before, event.after) == ({"deadline": "2027-02-19"}, {"deadline": "2027-02-22"})


def test_the_calendar_pages_speak_simplified_chinese_by_default(approved_2027, national_admin):
    page = client_for(national_admin).get(change_url(approved_2027)).content.decode()
    assert "放假日" in page and "调休上班日" in page and "2027年2月" in page


def test_an_archive_requests_deadline_on_the_provisional_2027_is_marked_for_its_reviewer(
    today, pan, bureaus, archivist
):
    from tests.archive_helpers import file_request

    today.move_to(datetime.datetime(2027, 1, 25, 10, tzinfo=CST))
    file_request(pan, name="某旅行社", identifier="L-ZJ-CJ00001", bureau=bureaus["xihu"])
    page = client_for(archivist).get(reverse("admin:archive_archiverequest_changelist"))
    html = page.content.decode()
    assert html.count('class="deadline-provisional"') == 1
    assert "2027-02-19" in html

"""Every change to the working-day calendar: one function per action, typed, keyword-only,
atomic, audited. Approving or correcting a year recomputes the open deadlines counted on it
through the callbacks the apps above registered (workdays/hooks.py)."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import FieldErrors
from kernel.jobs import job_enqueue
from workdays.calendar import PACKAGE_SOURCE, PACKAGE_YEARS, calendar_cache_clear, package_calendar
from workdays.entry import DayEntry, parse_day_lines
from workdays.hooks import deadlines_recompute
from workdays.models import CalendarDay, CalendarReminder, CalendarStatus, CalendarYear, DayKind
from workdays.selectors import calendar_missing_for, calendar_warning_year

CHANGE_PERMISSION = "workdays.change_calendaryear"
NOTICE_FIELDS = ("notice_number", "notice_date", "notice_title")
REMINDER_JOB = "workdays_calendar_reminder_email"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _require_permission(by: Any) -> None:
    if not (by.is_active and by.has_perm(CHANGE_PERMISSION)):
        raise PermissionDenied(_("Only the national administrator maintains the calendar."))


def calendar_clean(*, data: dict[str, Any], year: int | None = None) -> dict[str, Any]:
    """Check what the administrator typed; raise every problem at once, by field."""
    errors = FieldErrors()
    creating = year is None
    year = data.get("year") if creating else year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.add(
            "year",
            _("Enter a year from %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
        raise ValidationError(errors.errors)
    if creating and CalendarYear.objects.filter(year=year).exists():
        errors.add(
            "year",
            _("%(year)d already has a calendar: open it to change or correct it.") % {"year": year},
        )
    title = (data.get("notice_title") or "").strip()
    if not title:
        errors.add("notice_title", _("Enter the notice's title (or where the dates come from)."))
    notice_date = data.get("notice_date")
    if notice_date is not None and notice_date > timezone.localdate():
        errors.add("notice_date", _("The notice date cannot be in the future."))
    off, off_errors = parse_day_lines(
        text=data.get("days_off") or "", kind=DayKind.DAY_OFF, year=year
    )
    work, work_errors = parse_day_lines(
        text=data.get("working_days") or "", kind=DayKind.WORKING_DAY, year=year
    )
    for message in off_errors:
        errors.add("days_off", message)
    for message in work_errors:
        errors.add("working_days", message)
    off_lines = {entry.date: entry.line for entry in off}
    for entry in work:
        if entry.date in off_lines:
            errors.add(
                "working_days",
                _("Line %(n)d: %(date)s is also a day off (line %(other)d of the days off).")
                % {"n": entry.line, "date": entry.date, "other": off_lines[entry.date]},
            )
    if not off and not off_errors:
        errors.add("days_off", _("Enter the year's days off."))
    errors.raise_if_any()
    return {
        "year": year,
        "notice_number": (data.get("notice_number") or "").strip(),
        "notice_date": notice_date,
        "notice_title": title,
        "entries": [*off, *work],
    }


def _days_snapshot(calendar: CalendarYear) -> dict[str, Any]:
    days = list(calendar.days.order_by("date").values_list("date", "kind"))
    return {
        **{f: getattr(calendar, f) for f in NOTICE_FIELDS},
        "days_off": [d.isoformat() for d, k in days if k == DayKind.DAY_OFF],
        "working_days": [d.isoformat() for d, k in days if k == DayKind.WORKING_DAY],
    }


def _replace_days(calendar: CalendarYear, entries: list[DayEntry]) -> None:
    calendar.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar=calendar, date=e.date, kind=e.kind, name=e.name) for e in entries
    )


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


@transaction.atomic
def calendar_year_save(
    *, by: Any, data: dict[str, Any], calendar: CalendarYear | None = None
) -> CalendarYear:
    """Create a year's calendar as a draft, or change a draft."""
    _require_permission(by)
    if calendar is not None:
        calendar = CalendarYear.objects.select_for_update().get(pk=calendar.pk)
        if calendar.status != CalendarStatus.DRAFT:
            raise ValidationError(_("This calendar is approved: correct it, with a reason."))
    cleaned = calendar_clean(data=data, year=calendar.year if calendar else None)
    if calendar is None:
        calendar = CalendarYear(year=cleaned["year"], entered_by=by)
        before: dict[str, Any] = {}
        action = "calendar_year_create"
    else:
        before = _days_snapshot(calendar)
        calendar.entered_by = by
        action = "calendar_year_update"
    for field in NOTICE_FIELDS:
        setattr(calendar, field, cleaned[field])
    try:
        with transaction.atomic():  # a savepoint: the race below must not break the transaction
            calendar.save()
    except IntegrityError:
        # Another administrator created the same year between our check and this insert.
        raise ValidationError(
            {
                "year": _("%(year)d already has a calendar: open it to change or correct it.")
                % {"year": calendar.year}
            }
        ) from None
    _replace_days(calendar, cleaned["entries"])
    old, new = _diff(before, _days_snapshot(calendar))
    audit_log(actor=by, action=action, obj=calendar, before=old, after=new)
    return calendar


def _after_change(calendar: CalendarYear, by: Any, reason: str) -> dict[str, int]:
    # Recompute on the new calendar: forget the cached years first, and again once the
    # transaction ends, so that nothing read inside it outlives a rollback.
    calendar_cache_clear()
    try:
        return deadlines_recompute(year=calendar.year, by=by, reason=reason)
    finally:
        calendar_cache_clear()
        transaction.on_commit(calendar_cache_clear)


@transaction.atomic
def calendar_year_approve(*, calendar: CalendarYear, by: Any) -> dict[str, int]:
    """Make a draft the year's official calendar; return the recomputed deadlines per kind.
    The approver may be the administrator who entered it (often there is one): both are
    recorded."""
    _require_permission(by)
    calendar = CalendarYear.objects.select_for_update().get(pk=calendar.pk)
    if calendar.status != CalendarStatus.DRAFT:
        raise ValidationError(_("This calendar is already approved."))
    calendar.status = CalendarStatus.APPROVED
    calendar.approved_by = by
    calendar.approved_at = timezone.now()
    calendar.save(update_fields=["status", "approved_by", "approved_at"])
    reason = _("Working-day calendar %(year)d approved") % {"year": calendar.year}
    counts = _after_change(calendar, by, reason)
    audit_log(
        actor=by,
        action="calendar_year_approve",
        obj=calendar,
        before={"status": CalendarStatus.DRAFT},
        after={"status": CalendarStatus.APPROVED, "deadlines_recomputed": counts},
    )
    return counts


@transaction.atomic
def calendar_year_correct(
    *, calendar: CalendarYear, by: Any, data: dict[str, Any], reason: str
) -> dict[str, int]:
    """Correct an approved year (a later notice, a typo); recompute the open deadlines."""
    _require_permission(by)
    calendar = CalendarYear.objects.select_for_update().get(pk=calendar.pk)
    if calendar.status != CalendarStatus.APPROVED:
        raise ValidationError(_("A draft is changed, not corrected."))
    try:
        cleaned = calendar_clean(data=data, year=calendar.year)
    except ValidationError as error:
        if not reason.strip():
            error.error_dict.setdefault("reason", []).append(
                ValidationError(_("Say why the approved calendar is corrected."))
            )
        raise
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the approved calendar is corrected.")})
    before = _days_snapshot(calendar)
    for field in NOTICE_FIELDS:
        setattr(calendar, field, cleaned[field])
    calendar.corrected_at = timezone.now()
    calendar.save()
    _replace_days(calendar, cleaned["entries"])
    old, new = _diff(before, _days_snapshot(calendar))
    counts = _after_change(calendar, by, reason.strip())
    audit_log(
        actor=by,
        action="calendar_year_correct",
        obj=calendar,
        before=old,
        after={**new, "deadlines_recomputed": counts},
        reason=reason.strip(),
    )
    return counts


@transaction.atomic
def calendar_years_load_known() -> list[int]:
    """Load, as approved, every year the chinese-calendar package knows and the database
    lacks. Years already there (entered, or loaded before) are left alone: idempotent."""
    present = set(CalendarYear.objects.values_list("year", flat=True))
    loaded = []
    for year in sorted(PACKAGE_YEARS - present):
        known = package_calendar(year)
        assert known is not None
        calendar = CalendarYear.objects.create(
            year=year,
            status=CalendarStatus.APPROVED,
            notice_title=PACKAGE_SOURCE,
            approved_at=timezone.now(),
        )
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar=calendar, date=d, kind=kind, name=known.names[d])
            for kind, dates in (
                (DayKind.DAY_OFF, known.days_off),
                (DayKind.WORKING_DAY, known.working_days),
            )
            for d in sorted(dates)
        )
        audit_log(
            actor=None,
            action="calendar_year_load",
            obj=calendar,
            after={"status": CalendarStatus.APPROVED, "source": PACKAGE_SOURCE},
        )
        loaded.append(year)
    calendar_cache_clear()
    return loaded


@transaction.atomic
def calendar_reminder_send(*, today: datetime.date | None = None) -> int | None:
    """From the warning date on, queue one e-mail to the national administrators while next
    year has no approved calendar. The unique reminder row makes it once per year, however
    often (or however many copies of) the task run. Returns the year reminded of, or None."""
    year = calendar_warning_year(today=today or timezone.localdate())
    if year is None:
        return None
    try:
        with transaction.atomic():
            _reminder, created = CalendarReminder.objects.get_or_create(
                year=year, defaults={"sent_on": today or timezone.localdate()}
            )
    except IntegrityError:  # another copy claimed it a moment earlier
        return None
    if not created:
        return None
    job_enqueue(name=REMINDER_JOB, payload={"year": year})
    return year


def calendar_reminder_email(*, year: int) -> None:
    """The outbox job. Re-checks: a calendar approved since the reminder was queued needs
    no e-mail."""
    if not calendar_missing_for(year):
        return
    recipients = list(
        get_user_model()
        .objects.with_perm(CHANGE_PERMISSION, include_superusers=False)
        .filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("The working-day calendar of %(year)d is not entered yet") % {"year": year},
            message=_(
                "Deadlines that reach into %(year)d are counted on a provisional calendar "
                "(statutory holidays, weekends otherwise, no adjusted working days) and shown "
                "as provisional. When the State Council publishes its notice of the %(year)d "
                "holidays, enter the days off and the adjusted working days in the admin "
                "(Working-day calendar), check them on the month view and approve them."
            )
            % {"year": year},
            from_email=None,
            recipient_list=recipients,
        )

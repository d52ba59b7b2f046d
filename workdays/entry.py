"""Reading the dates a national administrator types or pastes: one date or one range per
line, optionally followed by the holiday's name, e.g.

    2027-01-01 元旦
    2027-02-05..2027-02-11 春节
    2027-02-14 春节调休上班

Full-width digits and dashes (pasted from a notice) are accepted. Every bad line is reported
with its number; the caller saves nothing while any line is bad."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from workdays.models import DayKind

# A range longer than this is almost certainly a typo (the longest official break is 8 days).
MAX_RANGE_DAYS = 31

_LINE = re.compile(
    r"^(?P<first>\S+?)(?:\s*(?:\.\.|~|至|—|/)\s*(?P<last>\d\S*?))?(?:\s+(?P<name>.+))?$"
)


@dataclass(frozen=True)
class DayEntry:
    date: datetime.date
    kind: str
    name: str
    line: int


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_day_lines(*, text: str, kind: str, year: int) -> tuple[list[DayEntry], list[str]]:
    """The entries and the messages of the bad lines (empty when every line is good)."""
    entries: list[DayEntry] = []
    errors: list[str] = []
    seen: dict[datetime.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        first = _date(match["first"]) if match else None
        last = _date(match["last"]) if match and match["last"] else first
        if first is None or last is None:
            errors.append(
                _(
                    "Line %(n)d (“%(line)s”): not a date. Write YYYY-MM-DD, or "
                    "YYYY-MM-DD..YYYY-MM-DD for a range, then the name if you like."
                )
                % {"n": number, "line": raw.strip()}
            )
            continue
        if last < first:
            errors.append(_("Line %(n)d: the range ends before it starts.") % {"n": number})
            continue
        if (last - first).days >= MAX_RANGE_DAYS:
            errors.append(
                _("Line %(n)d: a range of more than %(max)d days is surely a typo.")
                % {"n": number, "max": MAX_RANGE_DAYS}
            )
            continue
        if first.year != year or last.year != year:
            errors.append(
                _("Line %(n)d: %(date)s is not in %(year)d.")
                % {"n": number, "date": (first if first.year != year else last), "year": year}
            )
            continue
        name = (match["name"] or "").strip()[:100] if match else ""
        day = first
        while day <= last:
            if day in seen:
                errors.append(
                    _("Line %(n)d: %(date)s is already listed on line %(other)d.")
                    % {"n": number, "date": day, "other": seen[day]}
                )
            elif kind == DayKind.WORKING_DAY and day.weekday() < 5:
                errors.append(
                    _(
                        "Line %(n)d: %(date)s is a weekday. An adjusted working day (调休上班) "
                        "is a Saturday or Sunday; weekdays are working days anyway."
                    )
                    % {"n": number, "date": day}
                )
            else:
                seen[day] = number
                entries.append(DayEntry(day, kind, name, number))
            day += datetime.timedelta(days=1)
    return entries, errors


def format_day_lines(entries: list[tuple[datetime.date, str]]) -> str:
    """The inverse, one date a line, for showing a saved calendar in the form again."""
    return "\n".join(f"{day.isoformat()} {name}".rstrip() for day, name in entries)

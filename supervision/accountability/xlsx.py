"""The report as an XLSX workbook: the figures per bureau, the ranking, the twelve-month
trend and the late publications with their reasons. Every cell a spreadsheet would read as a
formula is prefixed with ' (a reason is free text typed by a reviewer)."""

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from records.models import BadRecord
from supervision.accountability.report import Report, Row

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _share(value: float | None) -> Any:
    return round(value, 4) if value is not None else ""


def _row_name(row: Row) -> str:
    if row.own:
        return _("%(bureau)s (its own records)") % {"bureau": row.bureau}
    return str(row.bureau)


def _figures(row: Row) -> list[Any]:
    return [
        _row_name(row),
        row.bureau.code,
        row.filed,
        row.published,
        row.on_time,
        row.late,
        _share(row.on_time_share),
        row.median_days if row.median_days is not None else "",
        row.longest_days if row.longest_days is not None else "",
        row.overdue_now,
        row.repaired,
    ]


def _reviewer(record: BadRecord) -> str:
    user = record.reviewed_by
    if user is None:
        return ""
    return f"{user.last_name}{user.first_name}".strip() or user.username


def report_xlsx(report: Report, late_records: list[BadRecord]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    header = [
        _("bureau"),
        _("division code"),
        _("records filed"),
        _("published"),
        _("published on time"),
        _("published late"),
        _("on-time share"),
        _("median working days to publication"),
        _("longest working days to publication"),
        _("pending and overdue now"),
        _("taken off the list early after a credit repair"),
    ]
    sheet = book.create_sheet(_("Report"))
    sheet.append([_("Timeliness accountability report")])
    sheet.append([_("bureau"), str(report.bureau), report.bureau.code])
    sheet.append([_("period"), report.period.label, report.period.start, report.period.end])
    sheet.append([_("produced at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append(header)
    for row in report.rows:
        sheet.append([_cell(v) for v in _figures(row)])
    sheet.append([_cell(v) for v in [_("Total"), *_figures(report.total)[1:]]])

    ranking = book.create_sheet(_("Ranking"))
    ranking.append([_("rank"), *header])
    for rank, row in enumerate(report.ranking, start=1):
        ranking.append([rank, *[_cell(v) for v in _figures(row)]])

    trend = book.create_sheet(_("Trend"))
    trend.append([_("month"), _("published"), _("on time"), _("late"), _("on-time share")])
    for point in report.trend:
        trend.append(
            [
                point.month.strftime("%Y-%m"),
                point.published,
                point.on_time,
                point.late,
                _share(point.on_time_share),
            ]
        )

    late = book.create_sheet(_("Late publications"))
    late.append(
        [
            _("reference"),
            _("name"),
            _("filing bureau"),
            _("information obtained on"),
            _("publication deadline"),
            _("publication start"),
            _("working days to publication"),
            _("reviewed by"),
            _("reason for the late publication"),
        ]
    )
    for record in late_records:
        late.append(
            [
                _cell(v)
                for v in [
                    record.reference,
                    record.subject_name,
                    str(record.filing_bureau),
                    record.obtained_on,
                    record.publish_deadline,
                    record.public_from,
                    record.publication_working_days,
                    _reviewer(record),
                    record.late_publication_reason,
                ]
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

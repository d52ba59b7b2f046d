"""Batch templates and result files (CSV and XLSX). Every cell that a spreadsheet would read
as a formula (=, +, -, @, or a leading tab or carriage return) is prefixed with ' so that a
name typed by an applicant can never run in the officer's spreadsheet."""

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from licensing.inputs import FIELDS
from licensing.models import CheckBatch

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

TEMPLATE_ROWS = [
    list(FIELDS),
    [
        "operator",
        "杭州西湖国际旅行社有限公司",
        "",
        "L-ZJ-CJ00001",
        "",
        "",
        "周志远",
        "",
        "travel_agency_licence",
        "浙文旅许〔2026〕001号",
    ],
    ["person", "陈晓峰", "", "", "", "D-3301-008817", "", "", "guide_certificate", "导证2026-001"],
]


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def result_rows(batch: CheckBatch) -> list[list[str]]:
    header = [
        _("row"),
        _("applicant name"),
        _("application reference"),
        _("verdict"),
        _("check number"),
        _("verification code"),
        _("matches"),
        _("error"),
    ]
    lines: list[tuple[int, list[str]]] = []
    for check in batch.checks.order_by("batch_row", "pk"):
        matches = "; ".join(f"{m['record']} {m['name']} ({m['score']:g})" for m in check.matches)
        lines.append(
            (
                check.batch_row or 0,
                [
                    str(check.batch_row),
                    check.applicant_name,
                    check.application_ref,
                    str(check.get_verdict_display()),
                    check.number,
                    check.verification_code,
                    matches,
                    "",
                ],
            )
        )
    for error in batch.row_errors:
        lines.append((error["row"], [str(error["row"]), "", "", "", "", "", "", error["error"]]))
    lines.sort(key=lambda line: line[0])
    return [header] + [line for _row, line in lines]


def as_csv(rows: Iterable[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    # With a BOM, Excel opens UTF-8 Chinese text correctly.
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

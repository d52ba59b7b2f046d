"""Reading an uploaded spreadsheet (XLSX, or CSV in UTF-8 with or without BOM, GBK or
GB18030) into rows of raw cells keyed by field, with each cell's column letter.

What filers' files hold and this copes with: a title row or merged group headings above the
header row, headers merged across two rows, hidden sheets (ignored), formulas (their computed
value is read, never the formula), trailing empty rows and formatted-but-empty rows. A cell
that starts with =, +, - or @ is read as the text it is: nothing here evaluates anything."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from intake.columns import COLUMNS, field_for_header

# The header row is looked for among the first rows (a title and group headings may come first).
HEADER_SEARCH_ROWS = 10
# A row is the header when it names at least this many known columns.
MIN_HEADERS = 3
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    header_row: int  # 1-based, as the spreadsheet shows it
    columns: dict[int, str]  # 0-based column index -> field
    rows: Iterator[tuple[int, list[Any]]]  # (row number, cells) after the header

    def letters(self) -> dict[str, str]:
        return {field: get_column_letter(index + 1) for index, field in self.columns.items()}


def is_xlsx(file_name: str, content: bytes) -> bool:
    return content[:4] == XLSX_MAGIC or file_name.lower().endswith(".xlsx")


def decode_csv(content: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (a superset of GBK: what Excel on Chinese
    Windows writes when it saves as CSV)."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": _("The file is neither UTF-8 nor GBK/GB18030 text. Save it as CSV UTF-8.")}
        ) from None


def _find_header(head: list[list[Any]]) -> tuple[int, dict[int, str]]:
    """The header row and its columns. A header cell merged down over two rows holds its
    text in the upper row only: an empty cell of the header row takes the text above it."""
    best_row, best = -1, dict[int, str]()
    for index, cells in enumerate(head):
        found = {i: f for i, cell in enumerate(cells) if (f := field_for_header(str(cell or "")))}
        if len(found) > len(best):
            best_row, best = index, found
    if len(best) < MIN_HEADERS:
        raise ValidationError(
            {
                "file": _(
                    "No header row found: one of the first %(n)d rows must name the columns, "
                    "as in the template."
                )
                % {"n": HEADER_SEARCH_ROWS}
            }
        )
    columns = dict(best)
    width = max(len(cells) for cells in head)
    for i in range(width):
        if i in columns:
            continue
        for above in range(best_row - 1, -1, -1):
            cells = head[above]
            field = field_for_header(str(cells[i] or "")) if i < len(cells) else None
            if field and field not in columns.values():
                columns[i] = field
                break
    missing = [c.header for c in COLUMNS if c.required and c.field not in columns.values()]
    if missing:
        raise ValidationError(
            {
                "file": _("Columns missing from the header row: %(columns)s.")
                % {"columns": "、".join(missing)}
            }
        )
    return best_row, columns


def _table(rows: Iterator[list[Any]]) -> Table:
    head: list[list[Any]] = []
    for cells in rows:
        head.append(cells)
        if len(head) == HEADER_SEARCH_ROWS:
            break
    if not head:
        raise ValidationError({"file": _("The file is empty.")})
    header_index, columns = _find_header(head)
    first_data = header_index + 2  # 1-based number of the first row below the header

    def data_rows() -> Iterator[tuple[int, list[Any]]]:
        number = first_data
        for cells in head[header_index + 1 :]:
            yield number, cells
            number += 1
        for cells in rows:
            yield number, cells
            number += 1

    return Table(header_row=header_index + 1, columns=columns, rows=data_rows())


def _open_book(content: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationError({"file": _("This XLSX file cannot be read.")}) from None


def _visible_sheets(book: Any) -> list[Any]:
    sheets = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    if not sheets:
        raise ValidationError({"file": _("The file has no visible sheet.")})
    return sheets


def _sheet_rows(sheet: Any) -> Iterator[list[Any]]:
    for row in sheet.iter_rows(values_only=True):
        yield list(row)


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = decode_csv(content)
    if "\x00" in text:
        raise ValidationError({"file": _("This is not a CSV file (it holds binary data).")})
    # Excel writes commas; a European-locale Excel writes semicolons and "Unicode text" is
    # tab-separated. The header row (it has no quoted commas) says which.
    header = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", "\t", ";") if d in header), ",")
    return (list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter))


def read_table(*, file_name: str, content: bytes) -> Table:
    """The first visible sheet with a header row (a template's instructions sheet has none),
    or the CSV's rows."""
    if not is_xlsx(file_name, content):
        if not file_name.lower().endswith((".csv", ".txt")):
            raise ValidationError({"file": _("Upload an XLSX or CSV file.")})
        return _table(_csv_rows(content))
    book = _open_book(content)
    error: ValidationError | None = None
    for sheet in _visible_sheets(book):
        try:
            return _table(_sheet_rows(sheet))
        except ValidationError as problem:
            error = error or problem
    assert error is not None
    raise error


def is_empty(cells: list[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def count_rows(*, file_name: str, content: bytes, limit: int) -> int:
    """How many non-empty rows the file holds, counting no further than limit + 1: the row
    limit is enforced before any row is checked. An XLSX sheet states its size; only a sheet
    claiming more rows than the limit (formatted empty rows count) is read through."""
    if not is_xlsx(file_name, content):
        if not file_name.lower().endswith((".csv", ".txt")):
            raise ValidationError({"file": _("Upload an XLSX or CSV file.")})
        count = 0
        for cells in _csv_rows(content):
            count += not is_empty(cells)
            if count > limit + HEADER_SEARCH_ROWS:
                break
        return count
    book = _open_book(content)
    sheet = _visible_sheets(book)[0]
    claimed = sheet.max_row
    if claimed is not None and claimed <= limit:
        return int(claimed)
    count = 0
    for cells in _sheet_rows(sheet):
        count += not is_empty(cells)
        if count > limit + HEADER_SEARCH_ROWS:
            break
    return count

"""Reading filers' spreadsheets as they really are: every messy-input case of the issue."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from intake.columns import BY_FIELD, read_cell, read_date
from intake.spreadsheet import count_rows, is_empty, read_table
from tests.intake_helpers import (
    HEADERS,
    csv_bytes,
    operator_row,
    table,
    with_cached_formula_value,
    xlsx,
)


def rows_of(content: bytes, name: str = "f.xlsx") -> list[dict]:
    found = read_table(file_name=name, content=content)
    out = []
    for number, cells in found.rows:
        if is_empty(cells):
            continue
        out.append(
            {
                "row": number,
                **{f: cells[i] if i < len(cells) else None for i, f in found.columns.items()},
            }
        )
    return out


@pytest.mark.parametrize(
    "raw",
    [
        46329,  # an Excel serial number
        46329.0,
        "46329",
        "2026/11/3",
        "2026-11-03",
        "2026年11月3日",
        "2026.11.3",
        "20261103",
        "２０２６－１１－０３",  # full-width
        " 2026 年 11 月 3 日 ",
        datetime.datetime(2026, 11, 3, 0, 0),
    ],
)
def test_every_way_a_spreadsheet_writes_a_date_reads_as_that_date(raw):
    assert read_date(raw) == (datetime.date(2026, 11, 3), None)


@pytest.mark.parametrize("raw", ["2026-02-30", "明年", "11/3/2026", "2026-13-01"])
def test_a_date_that_is_not_one_gets_a_message(raw):
    value, problem = read_date(raw)
    assert value is None and "2026-11-03" in problem


def test_full_width_numbers_and_labels_are_read():
    assert read_cell(BY_FIELD["period_years"], "３") == (3, None)
    assert read_cell(BY_FIELD["period_years"], "2年") == (2, None)
    assert read_cell(BY_FIELD["ground"], "Ｇ４ · 随便什么") == ("G4", None)
    assert read_cell(BY_FIELD["subject_type"], " 旅游经营者 ") == ("operator", None)
    assert read_cell(BY_FIELD["subject_type"], "Practitioner") == ("practitioner", None)
    assert read_cell(BY_FIELD["sector"], "旅 行 社") == ("travel_agency", None)
    value, problem = read_cell(BY_FIELD["sector"], "修车铺")
    assert problem == "Choose one of the values of the drop-down list."


def test_a_document_number_excel_stored_as_a_number_keeps_no_decimal_point():
    assert read_cell(BY_FIELD["basis_number"], 12.0) == ("12", None)


def test_a_title_row_and_merged_header_cells_above_the_header_row_are_skipped():
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年第一季度不良信息汇总表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    # Group headings over the subject and record columns, merged across them.
    sheet.append(["参考号", "主体信息"] + [None] * 10 + ["记录信息"])
    sheet.merge_cells("B2:K2")
    # "参考号" is merged down over rows 2 and 3: row 3 holds nothing in column A.
    header = table([operator_row(1)])
    sheet.append([None] + header[0][1:])
    sheet.merge_cells("A2:A3")
    sheet.append(header[1])
    body = io.BytesIO()
    book.save(body)
    found = read_table(file_name="f.xlsx", content=body.getvalue())
    assert found.header_row == 3
    assert found.columns[0] == "reference"
    rows = rows_of(body.getvalue())
    assert rows[0]["row"] == 4 and rows[0]["reference"] == "1"
    assert rows[0]["name"] == "杭州导入旅行社有限公司1"


def test_trailing_empty_and_formatted_rows_are_not_rows():
    book = Workbook()
    sheet = book.active
    for line in table([operator_row(1)]):
        sheet.append(line)
    for number in range(3, 60):
        sheet.cell(row=number, column=3).number_format = "@"  # formatted, empty
        sheet.cell(row=number, column=4, value="  ")
    body = io.BytesIO()
    book.save(body)
    assert [r["row"] for r in rows_of(body.getvalue())] == [2]


def test_a_hidden_sheet_is_ignored():
    book = Workbook()
    hidden = book.active
    hidden.title = "旧数据"
    for line in table([operator_row(99, name="隐藏表里的公司")]):
        hidden.append(line)
    hidden.sheet_state = "hidden"
    visible = book.create_sheet("记录")
    for line in table([operator_row(1)]):
        visible.append(line)
    body = io.BytesIO()
    book.save(body)
    assert [r["name"] for r in rows_of(body.getvalue())] == ["杭州导入旅行社有限公司1"]


def test_a_formula_is_read_by_its_computed_value():
    content = xlsx([operator_row(1, name="placeholder")])
    # Column C of row 2 is the name; Excel computed the formula's value when saving.
    content = with_cached_formula_value(
        content, "C2", 'CONCATENATE("杭州","公式旅行社")', "杭州公式旅行社"
    )
    assert rows_of(content)[0]["name"] == "杭州公式旅行社"


@pytest.mark.parametrize(
    "text", ["=1+2", '=HYPERLINK("http://x","点我")', "+86 571", "-3", "@SUM(A1)"]
)
def test_cells_starting_like_a_formula_are_read_as_the_text_they_are(text):
    for content, name in (
        (xlsx([operator_row(1, cause=text)]), "f.xlsx"),
        (csv_bytes([operator_row(1, cause=text)]), "f.csv"),
    ):
        assert rows_of(content, name)[0]["cause"] == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_excel_in_china_writes(encoding):
    content = csv_bytes([operator_row(1, name="杭州鑫旅行社")], encoding)
    assert rows_of(content, "f.csv")[0]["name"] == "杭州鑫旅行社"


def test_a_file_without_a_header_row_is_refused_with_a_message():
    with pytest.raises(ValidationError) as error:
        read_table(file_name="f.csv", content=b"a,b,c\n1,2,3\n")
    assert "header" in str(error.value)


def test_a_header_row_missing_required_columns_names_them():
    content = "参考号,名称或姓名,统一社会信用代码,主体类型\n1,x,y,z\n".encode()
    with pytest.raises(ValidationError) as error:
        read_table(file_name="f.csv", content=content)
    assert "不良信息情形" in str(error.value)


def test_other_files_are_refused():
    for name, content in (("f.pdf", b"%PDF-1.4"), ("f.xlsx", b"PK\x03\x04garbage")):
        with pytest.raises(ValidationError):
            read_table(file_name=name, content=content)


def test_the_row_count_stops_reading_past_the_limit():
    content = csv_bytes([operator_row(n) for n in range(1, 40)])
    assert count_rows(file_name="f.csv", content=content, limit=5) <= 5 + 10 + 1
    assert count_rows(file_name="f.csv", content=content, limit=100) == 40


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_separated_by_commas_tabs_or_semicolons(delimiter):
    header = delimiter.join(HEADERS)
    line = delimiter.join(str(v) for v in table([operator_row(1, cause="事由，全角逗号")])[1])
    rows = rows_of(f"{header}\n{line}\n".encode(), "f.csv")
    assert rows[0]["cause"] == "事由，全角逗号"
    assert rows[0]["name"] == "杭州导入旅行社有限公司1"

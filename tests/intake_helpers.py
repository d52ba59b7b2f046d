"""Spreadsheets for the intake tests: rows given by field, written under the template's
Chinese headers, as XLSX (openpyxl) or CSV in a chosen encoding."""

import csv
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook, load_workbook

from intake.columns import COLUMNS
from tests import factories

HEADERS = [column.header for column in COLUMNS]


def operator_row(n: int, **fields: Any) -> dict[str, Any]:
    return {
        "reference": str(n),
        "subject_type": "旅游经营者",
        "name": f"杭州导入旅行社有限公司{n}",
        "credit_code": factories.credit_code(700000 + n),
        "sector": "旅行社",
        "business_address": "浙江省杭州市西湖区文三路1号",
        "ground": "G1 · 因侵害旅游者合法权益受到罚款以上行政处罚",
        "cause": "擅自变更旅游行程",
        "penalty_decision": "罚款三万元",
        "basis_type": "行政处罚决定书",
        "basis_number": f"杭西文旅罚〔2026〕{n}号",
        "basis_issuer": "杭州市西湖区文化和广电旅游体育局",
        "basis_date": "2026-02-27",
        **fields,
    }


def practitioner_row(n: int, **fields: Any) -> dict[str, Any]:
    return {
        "reference": str(n),
        "subject_type": "旅游从业人员",
        "name": f"导入导游{n}",
        "kind": "导游",
        "identity_number": factories.identity_number(800 + n % 100),
        "certificate_no": f"D-3301-{900000 + n:06d}",
        "ground": "G5",
        "cause": "带团途中破坏文物",
        "basis_type": "行政处罚决定书",
        "basis_number": f"杭西文旅罚〔2026〕P{n}号",
        "basis_issuer": "杭州市西湖区文化和广电旅游体育局",
        "basis_date": "2026-02-27",
        **fields,
    }


def table(rows: list[dict[str, Any]]) -> list[list[Any]]:
    fields = [column.field for column in COLUMNS]
    return [HEADERS] + [[row.get(field, "") for field in fields] for row in rows]


def xlsx(rows: list[dict[str, Any]], *, before: list[list[Any]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in before or []:
        sheet.append(line)
    for line in table(rows):
        sheet.append(line)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text ('=…), as Excel stores it
    body = io.BytesIO()
    book.save(body)
    return body.getvalue()


def csv_bytes(rows: list[dict[str, Any]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table(rows))
    return out.getvalue().encode(encoding)


def fill_template(template: bytes, rows: list[dict[str, Any]]) -> bytes:
    """What a filer does: open the downloaded template and type rows under its header."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    fields = [column.field for column in COLUMNS]
    for number, row in enumerate(rows, start=2):
        for index, field in enumerate(fields, start=1):
            value = row.get(field, "")
            if value != "":
                sheet.cell(row=number, column=index, value=value)
    body = io.BytesIO()
    book.save(body)
    return body.getvalue()


def with_cached_formula_value(content: bytes, cell: str, formula: str, value: str) -> bytes:
    """An XLSX whose cell holds a formula with the value Excel computed for it (openpyxl
    writes formulas without a computed value, as Excel would find them before recalculation)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(
                    rf'<c r="{cell}"[^>]*>.*?</c>',
                    f'<c r="{cell}" t="str"><f>{formula}</f><v>{value}</v></c>',
                    text,
                    count=1,
                )
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()

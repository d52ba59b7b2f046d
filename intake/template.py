"""The downloadable XLSX template: the records sheet (Chinese headers, a drop-down list on
each choice column), the instructions with an example row, and the lists on a hidden sheet
(the reader ignores hidden sheets, so the lists are never taken for records)."""

import io

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from intake.columns import CHOICE_COLUMNS, COLUMNS, choice_labels, example_row

RECORDS_SHEET = "不良信息记录"
HELP_SHEET = "填写说明"
LISTS_SHEET = "选项"

# The template is a file format in Chinese (SPEC: the bureaus' language), whatever the
# language of the page it is downloaded from.
INSTRUCTIONS = (
    "填写说明",
    "1. 在“不良信息记录”工作表中每行填写一条不良信息；第 1 行为表头，请勿修改。带 * 的列为必填。",
    "2. 主体类型、行业、从业人员类别、不良信息情形、依据文书类型请从下拉列表中选择。",
    "3. 旅游经营者填写名称、统一社会信用代码或许可证号、行业；"
    "从业人员填写姓名、身份证号或执业证号、类别。",
    "   已在系统中的主体按统一社会信用代码、许可证号、身份证号或执业证号自动匹配；"
    "匹配不到的将新建。",
    "4. 日期可写作 2026-11-03、2026/11/3 或 2026年11月3日。"
    "公布期限默认 2 年；其他期限须填写法律依据。",
    "5. 同一作出机关的同一文书只能对应一条记录；重复上传的行不会重复创建。",
    "6. 参考号用于批量上传证据：ZIP 中文件名以该行参考号开头（如 12-处罚决定书.pdf）。",
    "7. 也可上传 CSV 文件（UTF-8 或 GBK 编码），列名与本表相同。",
)


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = RECORDS_SHEET
    required = {c.field for c in COLUMNS if c.required}
    header = [f"{c.header}*" if c.field in required else c.header for c in COLUMNS]
    sheet.append(header)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"

    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    last_row = settings.INTAKE_MAX_ROWS + 1
    for list_index, column in enumerate(CHOICE_COLUMNS, start=1):
        assert column.choices is not None
        labels = choice_labels(column.choices)
        letter = get_column_letter(list_index)
        lists.cell(row=1, column=list_index, value=column.header)
        for row, label in enumerate(labels, start=2):
            lists.cell(row=row, column=list_index, value=label)
        target = get_column_letter(COLUMNS.index(column) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.header,
            error="请从下拉列表中选择。",
        )
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)

    help_sheet = book.create_sheet(HELP_SHEET, 1)
    help_sheet.column_dimensions["A"].width = 110
    for line in INSTRUCTIONS:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.append([])
    help_sheet.append(["示例（请在“不良信息记录”工作表中填写，勿在此处填写）："])
    for title, value in zip(header, example_row(), strict=True):
        help_sheet.append([f"{title}：{value}"])
    body = io.BytesIO()
    book.save(body)
    return body.getvalue()

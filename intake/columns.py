"""The columns of the intake spreadsheet: their Chinese headers (the file format, the same
whatever the interface language), the field each one fills, and how a cell is read.

Reading a cell is only about its form (a date written five ways, a number typed full-width,
a choice given by its label); whether the value is acceptable is the records services' rule
(record_clean, operator_clean, practitioner_clean), asked by intake.services.checking."""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from kernel.names import strip_invisible
from records.models import PractitionerKind, Sector, SubjectType
from records.models.bad_records import BasisType, Ground

TEXT, DATE, NUMBER, CHOICE = "text", "date", "number", "choice"


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Chinese header of the template (the file format)
    kind: str = TEXT
    choices: type[TextChoices] | None = None
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 18


COLUMNS: tuple[Column, ...] = (
    Column("reference", "参考号", aliases=("reference", "序号", "编号"), width=10),
    Column("subject_type", "主体类型", CHOICE, SubjectType, True, ("subject type",), 12),
    Column("name", "名称或姓名", required=True, aliases=("name", "名称", "姓名"), width=28),
    Column("credit_code", "统一社会信用代码", aliases=("credit code", "信用代码"), width=22),
    Column("licence_no", "许可证号", aliases=("licence number", "旅行社业务经营许可证号")),
    Column("sector", "行业", CHOICE, Sector, aliases=("sector", "经营类别"), width=12),
    Column("business_address", "营业地址", aliases=("business address", "地址"), width=30),
    Column("legal_representative", "法定代表人", aliases=("legal representative",), width=12),
    Column("kind", "从业人员类别", CHOICE, PractitionerKind, aliases=("practitioner kind",)),
    Column("identity_number", "身份证号", aliases=("identity number", "居民身份证号码"), width=22),
    Column("certificate_no", "执业证号", aliases=("certificate number", "导游证号")),
    Column("ground", "不良信息情形", CHOICE, Ground, True, ("ground", "情形"), 40),
    Column("cause", "违法违规或事故等事由", required=True, aliases=("cause", "事由"), width=40),
    Column("penalty_decision", "行政处罚决定", aliases=("penalty decision",), width=30),
    Column("complaint_result", "投诉处理结果", aliases=("complaint result",), width=30),
    Column("basis_type", "依据文书类型", CHOICE, BasisType, True, ("document type", "文书类型")),
    Column(
        "basis_number", "文书编号", required=True, aliases=("document number", "案号"), width=24
    ),
    Column("basis_issuer", "作出机关", required=True, aliases=("issuing body", "issuer"), width=24),
    Column("basis_date", "作出日期", DATE, required=True, aliases=("decision date", "决定日期")),
    Column("obtained_on", "获取信息日期", DATE, aliases=("obtained on",)),
    Column(
        "period_years", "公布期限（年）", NUMBER, aliases=("period years", "公布期限"), width=12
    ),
    Column("period_legal_basis", "期限的法律依据", aliases=("period legal basis",), width=24),
    Column("internal_note", "内部备注", aliases=("internal note", "备注"), width=24),
)
BY_FIELD = {column.field: column for column in COLUMNS}
CHOICE_COLUMNS = [column for column in COLUMNS if column.kind == CHOICE]
# The grounds are known by their code (G1–G7) whatever follows it.
_GROUND_CODE = re.compile(r"^\s*(G[1-7])\b", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SPACES = re.compile(r"\s+")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def header_key(text: str) -> str:
    """How a header is compared: NFKC, no spaces, no required-marks, lower case."""
    text = unicodedata.normalize("NFKC", strip_invisible(str(text)))
    return _SPACES.sub("", text).strip("*＊").lower()


@cache
def _headers() -> dict[str, str]:
    known = {}
    for column in COLUMNS:
        for name in (column.header, column.field, *column.aliases):
            known[header_key(name)] = column.field
    return known


def field_for_header(text: str) -> str | None:
    return _headers().get(header_key(text)) if text else None


def choice_label(choices: type[TextChoices], value: str) -> str:
    """The Chinese label the template's drop-down list offers."""
    with translation.override("zh-hans"):
        return str(choices(value).label)


def choice_labels(choices: type[TextChoices]) -> list[str]:
    return [choice_label(choices, value) for value in choices.values]


@cache
def _choice_keys(choices: type[TextChoices]) -> dict[str, str]:
    keys = {}
    for value in choices.values:
        keys[header_key(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                keys[header_key(str(choices(value).label))] = value
    if choices is SubjectType:  # the words filers write
        keys.update({"经营者": "operator", "从业人员": "practitioner", "企业": "operator"})
    return keys


def text_value(value: Any) -> str:
    """A cell as text. A number Excel stored as float but means as text (a document number
    such as 12) loses its ".0"; full-width forms are kept, the services fold them."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).strip()


def read_choice(choices: type[TextChoices], raw: Any) -> tuple[str, str | None]:
    text = text_value(raw)
    if not text:
        return "", None
    if choices is Ground:
        match = _GROUND_CODE.match(unicodedata.normalize("NFKC", text))
        if match:
            return match.group(1).upper(), None
    value = _choice_keys(choices).get(header_key(text))
    if value is None:
        return text, _("Choose one of the values of the drop-down list.")
    return value, None


def read_date(raw: Any) -> tuple[datetime.date | None, str | None]:
    """A date typed or stored in any of the ways filers' spreadsheets hold them: a date
    cell, an Excel serial number, 2026-11-03, 2026/11/3, 2026.11.3, 2026年11月3日, 20261103."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, datetime.datetime):
        return raw.date(), None
    if isinstance(raw, datetime.date):
        return raw, None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:  # up to 9999-12-31
            return _EXCEL_EPOCH + datetime.timedelta(days=int(raw)), None
        return None, _("Enter a valid date, for example 2026-11-03.")
    text = _SPACES.sub("", unicodedata.normalize("NFKC", strip_invisible(str(raw))))
    if not text:
        return None, None
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None and re.fullmatch(r"\d{5}(\.0+)?", text):  # a serial typed as text
        return read_date(int(float(text)))
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups())), None
        except ValueError:
            pass
    return None, _("Enter a valid date, for example 2026-11-03.")


def read_number(raw: Any) -> tuple[int | None, str | None]:
    text = unicodedata.normalize("NFKC", text_value(raw))
    if not text:
        return None, None
    text = text.removesuffix("年")
    try:
        number = float(text)
    except ValueError:
        return None, _("Enter a whole number of years.")
    if not number.is_integer():
        return None, _("Enter a whole number of years.")
    return int(number), None


def read_cell(column: Column, raw: Any) -> tuple[Any, str | None]:
    """A cell's value in the form the services take, and a message when its form is wrong."""
    if column.kind == DATE:
        return read_date(raw)
    if column.kind == NUMBER:
        return read_number(raw)
    if column.kind == CHOICE and column.choices is not None:
        return read_choice(column.choices, raw)
    return text_value(raw), None


def example_row() -> list[Any]:
    values = {
        "reference": "1",
        "subject_type": choice_label(SubjectType, SubjectType.OPERATOR),
        "name": "杭州示例旅行社有限公司",
        "credit_code": "91330106MA2B3C4D5D",
        "licence_no": "L-ZJ-CJ00001",
        "sector": choice_label(Sector, Sector.TRAVEL_AGENCY),
        "business_address": "浙江省杭州市西湖区文三路1号",
        "legal_representative": "王明",
        "ground": choice_label(Ground, Ground.G1),
        "cause": "未按合同约定提供服务，擅自变更行程",
        "penalty_decision": "罚款人民币三万元",
        "basis_type": choice_label(BasisType, BasisType.PENALTY_DECISION),
        "basis_number": "杭西文旅罚〔2026〕1号",
        "basis_issuer": "杭州市西湖区文化和广电旅游体育局",
        "basis_date": datetime.date(2026, 3, 2),
        "period_years": 2,
    }
    return [values.get(column.field, "") for column in COLUMNS]


def headers() -> Iterable[str]:
    return (column.header for column in COLUMNS)

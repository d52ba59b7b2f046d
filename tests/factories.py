"""Builders for test data. Valid identifiers are computed with python-stdnum, so each call can
ask for a fresh one."""

import datetime
import itertools
from typing import Any

from stdnum.cn import ric, uscc

from kernel.identifiers import lookup_key
from kernel.names import search_key, short_grams
from kernel.periods import last_public_day
from records.models import (
    BadRecord,
    Bureau,
    Operator,
    Practitioner,
    RecordStatus,
    Sector,
    SubjectType,
    User,
)
from records.models.bureaus import NATIONAL_CODE, BureauLevel
from workdays.working_days import add_working_days

_counter = itertools.count(1)


def credit_code(serial: int | None = None) -> str:
    body = f"91330106MA{(serial or next(_counter)):07d}"
    return body + uscc.calc_check_digit(body)


def identity_number(serial: int | None = None, birth: str = "19850412") -> str:
    body = f"330106{birth}{(serial or next(_counter)) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # expects a placeholder check digit


def bureau(code: str, name: str, parent: Bureau | None = None) -> Bureau:
    level = (
        BureauLevel.NATIONAL
        if code == NATIONAL_CODE
        else BureauLevel.PROVINCE
        if code.endswith("0000")
        else BureauLevel.CITY
        if code.endswith("00")
        else BureauLevel.COUNTY
    )
    path = f"{parent.path if parent else ''}{code}/"
    return Bureau.objects.create(code=code, name=name, level=level, parent=parent, path=path)


def operator(*, region: Bureau, created_by: Bureau | None = None, **fields: Any) -> Operator:
    n = next(_counter)
    values = {
        "name": f"杭州测试旅行社有限公司{n}",
        "sector": Sector.TRAVEL_AGENCY,
        "credit_code": credit_code(n),
        "licence_no": f"L-ZJ-CJ{n:05d}",
        "business_address": "浙江省杭州市西湖区文三路1号",
        "legal_representative": "王明",
        **fields,
    }
    values["name_key"] = search_key(values["name"])
    values["name_grams"] = short_grams(values["name_key"])
    return Operator.objects.create(region=region, created_by_bureau=created_by or region, **values)


def practitioner(
    *, region: Bureau, created_by: Bureau | None = None, **fields: Any
) -> Practitioner:
    n = next(_counter)
    values = {
        "name": f"李导游{n}",
        "kind": "guide",
        "identity_number": identity_number(n),
        # Above the numbers tests write out (D-3301-008817, 123456), which the session-wide
        # counter would otherwise reach in a long run.
        "certificate_no": f"D-3301-{200_000 + n:06d}",
        **fields,
    }
    values["name_key"] = search_key(values["name"])
    values["name_grams"] = short_grams(values["name_key"])
    return Practitioner.objects.create(
        region=region, created_by_bureau=created_by or region, **values
    )


def record(
    *,
    filer: User,
    subject: Operator | Practitioner | None = None,
    status: str = RecordStatus.DRAFT,
    ground: str = "G1",
    basis_date: datetime.date = datetime.date(2026, 3, 2),
    public_from: datetime.date | None = None,
    **fields: Any,
) -> BadRecord:
    """A record written straight to the database (tests of transitions go through services)."""
    n = next(_counter)
    subject = subject or operator(region=filer.bureau)
    is_operator = isinstance(subject, Operator)
    values: dict[str, Any] = {
        "subject_type": SubjectType.OPERATOR if is_operator else SubjectType.PRACTITIONER,
        "operator": subject if is_operator else None,
        "practitioner": None if is_operator else subject,
        "subject_name": subject.name,
        "subject_name_key": search_key(subject.name),
        "name_grams": short_grams(search_key(subject.name)),
        "licence_no": subject.licence_no if is_operator else "",
        "certificate_no": "" if is_operator else subject.certificate_no,
        "credit_code": subject.credit_code if is_operator else "",
        "business_address": subject.business_address if is_operator else "",
        "legal_representative": subject.legal_representative if is_operator else "",
        "identifier_key": lookup_key(subject.licence_no if is_operator else subject.certificate_no),
        "sector": subject.sector if is_operator else "",
        "practitioner_kind": "" if is_operator else subject.kind,
        "ground": ground,
        "cause": "未按合同约定安排住宿，擅自增加购物点",
        "penalty_decision": "罚款人民币三万元",
        "basis_type": "penalty_decision",
        "basis_number": f"杭西文旅罚〔2026〕{n}号",
        "basis_number_key": f"杭西文旅罚〔2026〕{n}号".upper(),
        "basis_issuer": "杭州市西湖区文化和广电旅游体育局",
        "basis_issuer_key": search_key("杭州市西湖区文化和广电旅游体育局"),
        "basis_date": basis_date,
        "obtained_on": basis_date,
        "publish_deadline": add_working_days(basis_date, 5),
        "period_years": 2,
        "status": status,
        "filing_bureau": filer.bureau,
        "filed_by": filer,
        "internal_note": "内部备注：当事人曾多次被投诉",
        **fields,
    }
    if status in (RecordStatus.PUBLISHED, RecordStatus.SCHEDULED, RecordStatus.ARCHIVED):
        start = public_from or basis_date
        values.setdefault("public_from", start)
        values.setdefault("public_until", last_public_day(start, max(values["period_years"], 1)))
    return BadRecord.objects.create(**values)


def api_key(user, *, name: str = "licensing system", days: int = 30) -> str:
    """A fresh API token of `user`; returns its key (the only time it can be read)."""
    from accounts.api_tokens import api_token_create

    return api_token_create(by=user, name=name, days=days)[1]

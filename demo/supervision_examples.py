"""Demo measures and leads: an inspection and an overdue rectification order on records of the
demo reviewer's county, and two leads waiting there, one past its first-answer deadline."""

import datetime

from records.models import BadRecord, User
from supervision.models import Lead
from supervision.services.leads import lead_file
from supervision.services.measures import measure_create


def supervision_examples_seed(*, reviewer: User, supervisor: User, today: datetime.date) -> None:
    records = list(
        BadRecord.objects.public(on=today)
        .filter(filing_bureau=reviewer.bureau, subject_type="operator")
        .order_by("pk")[:2]
    )
    if len(records) < 2:
        return
    measure_create(
        by=reviewer,
        data={
            "records": records[0].reference,
            "kind": "inspection",
            "taken_on": today - datetime.timedelta(days=20),
            "officers": "芮明、王强",
            "findings": "现场检查：已在营业场所公示收费标准和投诉电话。",
        },
    )
    measure_create(
        by=supervisor,
        data={
            "records": records[1].reference,
            "kind": "rectification_order",
            "taken_on": today - datetime.timedelta(days=40),
            "officers": "苏建华",
            "findings": "暗访发现仍安排购物点，未与游客协商一致。",
            "requirements": "取消合同外购物安排，十个工作日内书面报告整改情况。",
            "due_in_working_days": 10,
        },
    )
    for subject, text in (
        (records[0].subject_name, "导游在行程中强迫游客购物，不购物不让上车。"),
        ("西湖边一日游散客团", "一日游实际行程与宣传不符，擅自取消景点。"),
    ):
        lead_file(
            data={
                "subject_name": subject,
                "bureau": reviewer.bureau,
                "what_happened": text,
                "happened_on": today - datetime.timedelta(days=3),
                "contact": "13800000000",
                "wants_reply": True,
            }
        )
    # The second lead was filed long ago: it shows on the overdue list and tile.
    Lead.objects.filter(subject_name="西湖边一日游散客团").update(
        filed_on=today - datetime.timedelta(days=30), answer_due=today - datetime.timedelta(days=5)
    )

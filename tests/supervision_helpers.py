"""Shared set-up for the measures and leads tests: a published record in Xihu and one in
Shangcheng, and posting helpers."""

import datetime

from records.models import RecordStatus
from tests import factories

TODAY = datetime.datetime(2026, 6, 1, 2, tzinfo=datetime.UTC)  # Monday 10:00 CST
PDF = b"%PDF-1.4\n%%EOF\n"


def published(filer, **fields):
    fields.setdefault("status", RecordStatus.PUBLISHED)
    fields.setdefault("basis_date", datetime.date(2026, 3, 2))
    fields.setdefault("public_from", datetime.date(2026, 3, 9))
    return factories.record(filer=filer, **fields)


def measure_post(record, **overrides):
    data = {
        "records": record.reference,
        "kind": "rectification_order",
        "taken_on": "2026-05-29",
        "officers": "王强、李明",
        "findings": "现场检查发现未公示收费标准",
        "requirements": "十日内公示收费标准",
        "due_on": "2026-06-12",
        "due_in_working_days": "",
    }
    data.update(overrides)
    return data

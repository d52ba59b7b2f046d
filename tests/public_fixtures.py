"""A small public list for the tests of public pages and open data, seen on 27 November 2026
(China Standard Time): what is public, and one record of every kind that must never be."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
from django.core.cache import cache

from records.models import BadRecord, RecordStatus
from tests import factories

TODAY = datetime.date(2026, 11, 27)
NOON = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
IDENTITY_NUMBERS = ("330106198504120012", "110101199001011237")


@dataclass
class PublicList:
    agency: BadRecord  # 杭州西湖国际旅行社有限公司, Xihu, G1
    hotel: BadRecord  # 上城区 hotel, Shangcheng, G3
    beijing: BadRecord  # 北京 catering, Dongcheng, G7
    guide: BadRecord  # 陈晓峰, guide, Xihu, G5
    hidden: dict[str, BadRecord]  # status or "ended"/"not_yet" -> record


@pytest.fixture
def frozen_today():
    with time_machine.travel(NOON, tick=False):
        cache.clear()
        yield TODAY
    cache.clear()


@pytest.fixture
def public_list(frozen_today, bureaus, fang, shang, bei) -> PublicList:
    def operator(user, name, **fields):
        return factories.operator(region=user.bureau, name=name, **fields)

    def published(user, subject, *, start=datetime.date(2026, 6, 1), **fields):
        return factories.record(
            filer=user, subject=subject, status=RecordStatus.PUBLISHED, public_from=start,
            basis_date=start - datetime.timedelta(days=10), **fields,
        )  # fmt: skip

    agency = published(
        fang,
        operator(fang, "杭州西湖国际旅行社有限公司", licence_no="L-ZJ-CJ00001",
                 legal_representative="王建国", business_address="杭州市西湖区曙光路1号"),
        start=datetime.date(2026, 10, 13),
        internal_note="内部备注：举报人电话13800000000",
    )  # fmt: skip
    hotel = published(
        shang, operator(shang, "上城湖滨大酒店有限公司", sector="accommodation", licence_no=""),
        ground="G3", start=datetime.date(2026, 8, 1),
        internal_note="内部备注：酒店法务曾来电",
    )  # fmt: skip
    beijing = published(
        bei, operator(bei, "北京东城老字号餐饮有限公司", sector="catering", licence_no=""),
        ground="G7", start=datetime.date(2025, 12, 1),
    )  # fmt: skip
    chen = factories.practitioner(
        region=fang.bureau, name="陈晓峰", certificate_no="D-3301-008817",
        identity_number=IDENTITY_NUMBERS[0],
    )  # fmt: skip
    guide = published(fang, chen, ground="G5", internal_note="内部备注：导游身份核实中")
    hidden_person = factories.practitioner(
        region=fang.bureau, name="隐藏导游甲", identity_number=IDENTITY_NUMBERS[1]
    )
    hidden = {}
    for status in (RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.RETURNED):
        hidden[status] = factories.record(
            filer=fang, subject=operator(fang, f"隐藏{status}旅行社有限公司"), status=status,
            internal_note=f"内部备注：{status}",
        )  # fmt: skip
    hidden["withdrawn"] = factories.record(
        filer=fang, subject=operator(fang, "撤销隐藏旅行社有限公司"), status=RecordStatus.WITHDRAWN,
        public_from=datetime.date(2026, 9, 1), public_until=datetime.date(2028, 8, 31),
        withdrawn_at=NOON - datetime.timedelta(days=3), withdrawal_reason="复议撤销",
    )  # fmt: skip
    hidden["archived"] = factories.record(
        filer=fang, subject=hidden_person, status=RecordStatus.ARCHIVED,
        public_from=datetime.date(2023, 1, 5), basis_date=datetime.date(2023, 1, 1),
    )  # fmt: skip
    # Published, but its two years ended on 26 November 2026: hidden by date alone.
    hidden["ended"] = factories.record(
        filer=fang, subject=operator(fang, "期满隐藏旅行社有限公司"), status=RecordStatus.PUBLISHED,
        public_from=datetime.date(2024, 11, 27), basis_date=datetime.date(2024, 11, 20),
    )  # fmt: skip
    # Scheduled to start tomorrow.
    hidden["not_yet"] = factories.record(
        filer=fang, subject=operator(fang, "明日公示旅行社有限公司"), status=RecordStatus.SCHEDULED,
        public_from=datetime.date(2026, 11, 28), basis_date=datetime.date(2026, 11, 20),
    )  # fmt: skip
    return PublicList(agency, hotel, beijing, guide, hidden)

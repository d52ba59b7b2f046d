"""What staff read of a record's history and of the audit trail: local time (China Standard
Time), actions named in the staff's language, subjects and bureaus by name rather than id,
and each change as its own line rather than JSON."""

import re

import pytest
from django.conf import settings

from records.models import BadRecord
from tests.admin_helpers import post_admin_form, record_fields
from tests.conftest import client_for
from tests.test_intake_admin import ADD_URL, agency, change_url, monday, transition_url  # noqa: F401


@pytest.fixture
def published(fang, rui, agency):  # noqa: F811
    post_admin_form(client_for(fang), ADD_URL, record_fields(agency.pk))
    record = BadRecord.objects.get()
    client_for(fang).post(transition_url(record, "submit"))
    client_for(rui).post(transition_url(record, "publish"), {"public_from": ""})
    return record


def staff(user, language: str):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def history_of(client, record) -> str:
    html = client.get(change_url(record)).content.decode()
    return re.search(r'<table class="record-history">.*?</table>', html, re.S).group(0)


def test_the_history_names_the_subject_and_the_filer_not_their_ids(published, rui, agency):  # noqa: F811
    history = history_of(staff(rui, "zh-hans"), published)
    assert "<strong>旅游经营者</strong>: 杭州西湖国际旅行社有限公司" in history
    assert "<strong>旅游经营者</strong>: 1<" not in history
    assert "方芳（fang）" in history  # the filer by name, with her account


def test_the_history_lists_each_change_on_its_own_line_in_local_time(published, rui):
    history = history_of(staff(rui, "zh-hans"), published)
    assert "2026-03-02 10:00" in history  # 02:00 UTC
    assert "<li><strong>状态</strong>: 已提交待审核 → 公示中</li>" in history
    assert "— → —" not in history and "{" not in history


def test_the_history_speaks_the_staffs_language(published, rui):
    assert "approved and published" in history_of(staff(rui, "en"), published)
    assert "审核通过并公布" in history_of(staff(rui, "zh-hans"), published)


def test_the_audit_list_names_actions_and_records_in_local_time(published, national_admin):
    for language, published_label in (
        ("zh-hans", "审核通过并公布"),
        ("en", "approved and published"),
    ):
        html = staff(national_admin, language).get("/admin/kernel/auditevent/").content.decode()
        rows = re.search(r'<table id="result_list">.*?</table>', html, re.S).group(0)
        assert published_label in rows
        assert "record_publish" not in rows
        assert published.reference in rows
        assert "2026-03-02 10:00" in rows  # 02:00 UTC, in China Standard Time


def test_the_record_list_keeps_one_line_a_record_with_one_date_format(published, rui):
    html = staff(rui, "zh-hans").get("/admin/records/badrecord/").content.decode()
    row = re.search(r'<tr>.*?class="field-ground_code".*?</tr>', html, re.S).group(0)
    ground = re.search(r'class="field-ground_code">(.*?)</td>', row).group(1)
    assert re.sub(r"<[^>]+>", "", ground) == "G1"  # the meaning is in the filter, not the cell
    assert "2026-03-02" in row and "2028-03-01" in row
    assert "年" not in re.sub(r"<[^>]+>", "", row)

"""What a phone (390 px) gets from the public pages: the list's rows carry every column under
its own name (the CSS turns them into cards), grounds with their meaning in visible text
(no tooltip), and statistics whose time axis has every month, the empty ones included."""

import re

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_each_row_names_its_columns_and_shows_what_the_ground_means(public_list):
    html = client_for(None).get("/disclosures/").content.decode()
    row = re.search(r"<tr><th scope=\"row\"><a[^>]*>杭州西湖国际旅行社有限公司.*?</tr>", html, re.S)
    assert row is not None
    row = row.group(0)
    labels = re.findall(r'data-label="([^"]+)"', row)
    assert labels[2:] == ["公布部门", "公布日期", "公示最后一日"]
    assert len(labels) == 5
    assert "因侵害旅游者合法权益受到罚款以上行政处罚" in re.sub(r'title="[^"]*"', "", row)
    assert "<abbr" not in row
    assert "2026-10-13" in row and public_list.agency.filing_bureau.name in row


def test_the_statistics_time_axis_has_every_month_the_empty_ones_at_zero(public_list):
    stats = client_for(None).get("/statistics/").context["stats"]
    months = [bar.label for bar in stats.by_month]
    assert months[0] == "2025-12" and months[-1] == "2026-10"
    assert len(months) == 11
    counts = {bar.label: bar.count for bar in stats.by_month}
    assert counts["2026-01"] == 0 and counts["2026-06"] == 1


def test_the_statistics_are_text_a_phone_can_read_not_a_scaled_drawing(public_list):
    html = client_for(None).get("/statistics/").content.decode()
    assert "<svg" not in html
    assert '<span class="bar-label">2026-06</span>' in html

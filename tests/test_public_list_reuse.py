"""What the public list keeps between requests (the filter form's fields, the map of regions
held by each process) must never carry one visitor's request into another's page."""

import datetime

import pytest
from django.core.cache import cache

from records.models import RecordStatus
from records.roles import Role
from tests import factories
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_one_visitors_bad_filter_is_not_on_the_next_visitors_page(public_list):
    bad = client_for(None).get("/disclosures/?published_from=2026-13-01&ground=G3")
    assert bad.status_code == 400
    assert 'class="errors"' in bad.content.decode()
    good = client_for(None).get("/disclosures/?ground=G1&sector=travel_agency")
    html = good.content.decode()
    assert good.status_code == 200 and 'class="errors"' not in html
    assert 'aria-invalid="true"' not in html
    assert '<option value="G1" selected>' in html and '<option value="G3" selected>' not in html
    assert good.context["form"].errors == {}


def test_a_new_region_is_found_once_the_cached_regions_are_renewed(public_list, bureaus):
    client = client_for(None)
    assert client.get("/disclosures/?region=330110").status_code == 400
    yuhang = factories.bureau("330110", "余杭区", bureaus["hangzhou"])
    filer = make_user("yu", yuhang, Role.FILER)
    record = factories.record(
        filer=filer, status=RecordStatus.PUBLISHED, public_from=datetime.date(2026, 11, 1),
        basis_date=datetime.date(2026, 10, 20),
    )  # fmt: skip
    cache.clear()  # the regions are kept for PUBLIC_STATISTICS_CACHE_SECONDS, then renewed
    for region in ("330110", "330100", "330000"):
        response = client.get(f"/disclosures/?region={region}")
        assert response.status_code == 200
        assert record.reference in {row.reference for row in response.context["page"].rows}


def test_each_filter_set_has_filters_of_its_own(public_list):
    """The filters are copied per request, not deep-copied: each copy must answer to its own
    filter set, so that two requests in one process never filter with each other's values."""
    from publication.filters import DisclosureFilter
    from publication.selectors import disclosures

    first = DisclosureFilter({"region": "110000"}, queryset=disclosures())
    second = DisclosureFilter({"region": "330000", "sort": "name"}, queryset=disclosures())
    for name in ("q", "region", "sort", "ground"):
        assert first.filters[name] is not second.filters[name]
        assert (first.filters[name].parent, second.filters[name].parent) == (first, second)
    assert [r.subject_name for r in first.qs] == ["北京东城老字号餐饮有限公司"]
    assert {r.subject_name for r in second.qs} == {
        "杭州西湖国际旅行社有限公司", "上城湖滨大酒店有限公司", "陈晓峰",
    }  # fmt: skip

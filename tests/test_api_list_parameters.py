"""The open-data list's query parameters as an API client sends them: empty values, page
sizes and cursors, and what the schema promises about them."""

import pytest

from publication.filters import DisclosureFilter
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/disclosures/"
ALL_FOUR = {
    "杭州西湖国际旅行社有限公司",
    "上城湖滨大酒店有限公司",
    "北京东城老字号餐饮有限公司",
    "陈晓峰",
}
# What the list page's form sends when nothing is filled in.
EMPTY_FORM = {name: "" for name in DisclosureFilter.base_filters}


def list_parameters(client) -> dict[str, dict]:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return {p["name"]: p for p in schema["paths"][LIST]["get"]["parameters"]}


def test_an_empty_filter_means_no_filter_in_the_api_as_on_the_list_page(public_list):
    client = client_for(None)
    response = client.get(LIST, EMPTY_FORM)
    assert response.status_code == 200, response.content
    assert {row["name"] for row in response.json()["results"]} == ALL_FOUR
    assert client.get("/disclosures/", EMPTY_FORM).status_code == 200


def test_the_schema_says_the_list_filters_and_page_size_take_an_empty_value(public_list):
    parameters = list_parameters(client_for(None))
    for name in [*DisclosureFilter.base_filters, "page_size", "cursor"]:
        assert parameters[name].get("allowEmptyValue") is True, name


@pytest.mark.parametrize("value", ["abc", "0", "-1", "true", "1.5", " 5", "٣"])
def test_api_refuses_a_page_size_that_is_not_a_whole_number_above_zero(public_list, value):
    response = client_for(None).get(LIST, {"page_size": value})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_api_gives_at_most_the_largest_page_size(public_list, settings):
    settings.PUBLIC_MAX_PAGE_SIZE = 3
    response = client_for(None).get(LIST, {"page_size": "1" + "0" * 30})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_the_schema_states_the_page_size_bounds(public_list, settings):
    page_size = list_parameters(client_for(None))["page_size"]
    assert page_size["schema"]["type"] == "integer"
    assert page_size["schema"]["minimum"] == 1
    assert str(settings.PUBLIC_MAX_PAGE_SIZE) in page_size["description"]


def test_an_empty_cursor_is_the_first_page(public_list):
    client = client_for(None)
    first = client.get(LIST, {"page_size": 2}).json()
    response = client.get(LIST, {"page_size": 2, "cursor": ""})
    assert response.status_code == 200
    assert response.json()["results"] == first["results"]

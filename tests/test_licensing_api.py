"""POST /api/v1/licensing/checks/: the same lookup for licensing systems, with a token."""

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from licensing.models import ApplicantCheck
from records.models import RecordStatus
from tests import factories

URL = "/api/v1/licensing/checks/"


@pytest.fixture(autouse=True)
def empty_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(bureaus, fang):
    operator = factories.operator(
        region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司", licence_no="L-ZJ-CJ00001"
    )
    factories.record(filer=fang, subject=operator, status=RecordStatus.PUBLISHED, public_from=None)
    return operator


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_key(user)}")
    return client


BODY = {
    "applicant_kind": "operator",
    "name": "杭州西湖國際旅行社",
    "application_type": "outbound_business",
    "application_ref": "浙文旅许〔2026〕002号",
}


def test_the_api_gives_the_same_verdict_and_a_check_number(li, agency):
    response = api_for(li).post(URL, BODY, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["verdict"] == "listed"
    check = ApplicantCheck.objects.get(number=body["number"])
    assert check.source == "api" and check.verification_code == body["verification_code"]
    page = api_for(li).post(URL, {**BODY, "name": "宁波海纳文化娱乐有限公司"}, format="json")
    assert page.json()["verdict"] == "not_listed"


def test_the_api_names_each_bad_field(li):
    response = api_for(li).post(
        URL, {**BODY, "applicant_kind": "person", "identity_number": "123"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"identity_number"}
    assert not ApplicantCheck.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("li", 201),
        ("xihu_admin", 201),
        ("national_admin", 201),
        ("fang", 403),
        ("su", 403),
        ("stranger", 403),
    ],
)
def test_only_licensing_officers_and_administrators_may_call_the_api(
    request, persona, expected, agency
):
    user = request.getfixturevalue(persona)
    assert api_for(user).post(URL, BODY, format="json").status_code == expected


def test_the_api_refuses_calls_without_a_token_or_a_session(li, agency):
    assert api_for(None).post(URL, BODY, format="json").status_code == 401
    session = APIClient()
    session.force_login(li)
    assert session.post(URL, BODY, format="json").status_code == 401


def test_the_api_is_rate_limited(li, agency, settings):
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**ScopedRateThrottle.THROTTLE_RATES, "licensing_checks": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        client = api_for(li)
        statuses = [client.post(URL, BODY, format="json").status_code for _ in range(4)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert statuses == [201, 201, 201, 429]


def test_the_endpoint_is_in_the_openapi_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "licensing_check_create"
    assert "201" in operation["responses"]
    assert any("tokenAuth" in s for s in operation["security"])

"""The published OpenAPI schema against the API itself: schemathesis generates requests from
/api/schema/ (valid and invalid ones) and sends them to the WSGI application; every answer
must be a documented status with a body of the documented shape, and none a server error.
Bounded (`MAX_EXAMPLES` per operation, derandomised, so a run is repeatable and short).

Besides, every operation documents the error answers its view can give."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from records.models import RecordStatus
from tests import factories

MAX_EXAMPLES = 40


@pytest.fixture
def connections_stay_open():
    """Each call goes through the WSGI application, whose request signals would close the
    database connection, and with it the test's transaction (Django's test client does the
    same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(db, connections_stay_open, settings, bureaus, fang):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    agency = factories.operator(
        region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司", licence_no="L-ZJ-CJ00001"
    )
    factories.record(filer=fang, subject=agency, status=RecordStatus.PUBLISHED)
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def token_of_li(li) -> str:
    return factories.api_key(li)


# Generated requests of each operation, valid (positive) and invalid (negative) ones.
OPERATIONS = [
    ("GET", "/api/v1/disclosures/"),
    ("GET", "/api/v1/disclosures/{reference}/"),
    ("GET", "/api/v1/disclosures/changes/"),
    ("POST", "/api/v1/licensing/checks/"),
]
CASES = [
    (method, path, mode)
    for method, path in OPERATIONS
    for mode in ("positive", "negative")
    # Any string is a reference (an unknown one is a documented 404): nothing is invalid.
    if (path, mode) != ("/api/v1/disclosures/{reference}/", "negative")
]
KNOWN: dict[tuple[str, str, str], str] = {}


# The error answers each view gives: a bad parameter or body (400), no or a bad token (401),
# an account that may not (403), nothing there or a cursor not ours (404), too many calls
# (429). The open-data API has no authentication and no throttle.
ERRORS = {
    ("GET", "/api/v1/disclosures/"): {"400", "404"},
    ("GET", "/api/v1/disclosures/{reference}/"): {"404"},
    ("GET", "/api/v1/disclosures/changes/"): {"400"},
    ("POST", "/api/v1/licensing/checks/"): {"400", "401", "403", "429"},
}


def test_the_schema_has_exactly_the_operations_tested_here(client):
    schema = client.get("/api/schema/?format=json").json()
    found = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert found == set(OPERATIONS) == set(ERRORS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_documents_its_error_answers(client, method, path):
    schema = client.get("/api/schema/?format=json").json()
    responses = schema["paths"][path][method.lower()]["responses"]
    errors = {code for code in responses if code.startswith("4")}
    assert errors == ERRORS[(method, path)]
    for code in errors:
        assert responses[code]["description"], code
        assert "application/json" in responses[code]["content"], code


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_every_answer_is_documented_and_none_is_a_server_error(
    request, api_schema, token_of_li, method, path, mode
):
    if (method, path, mode) in KNOWN:
        reason = f"issue 11: {KNOWN[(method, path, mode)]}"
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    operation = api_schema[path][method]
    headers = {"Authorization": f"Token {token_of_li}"}

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
    def check(case):
        # A valid-looking value may still break a rule no schema can state (a check digit, a
        # region that exists): a refusal of such a request is not a failure here.
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()

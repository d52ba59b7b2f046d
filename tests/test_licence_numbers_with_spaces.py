"""A licence number typed with spaces (`L ZJ CJ00001`) is the same number as `L-ZJ-CJ00001`
at every entry point: the officer's check, a batch file, the API, the public quick check and
the intake of an operator (issue 17, point 3)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from kernel import identifiers
from kernel.jobs import outbox_drain
from licensing.models import ApplicantCheck
from records.models import Operator, RecordStatus
from tests import factories
from tests.conftest import client_for

SPACED = "L ZJ CJ00001"


@pytest.fixture
def agency(bureaus, fang):
    operator = factories.operator(
        region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司", licence_no="L-ZJ-CJ00001"
    )
    factories.record(filer=fang, subject=operator, status=RecordStatus.PUBLISHED, public_from=None)
    return operator


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("L BJ CJ00001", "L-BJ-CJ00001"),
        ("l bj cj00001", "L-BJ-CJ00001"),
        ("L\u3000GD\u3000100123", "L-GD-100123"),  # ideographic spaces
        (" L - BJ -CJ00001 ", "L-BJ-CJ00001"),  # spaces around dashes
        ("L BJ CJ 00001", "L-BJ-CJ00001"),  # a space inside the last part
        ("L\tBJ\nCJ00001", "L-BJ-CJ00001"),
    ],
)
def test_spaces_separate_the_parts_of_a_licence_number_like_dashes(typed, expected):
    assert identifiers.clean_licence_no(typed) == expected


@pytest.mark.parametrize(("typed"), ["D 1101 012345", "d 1101-012345", "D\u30001101\u3000012345"])
def test_spaces_separate_the_parts_of_a_guide_certificate_number(typed):
    assert identifiers.clean_guide_certificate_no(typed) == "D-1101-012345"


@pytest.mark.parametrize("typed", ["L BJ", "LBJ CJ", "L  ", "L BJ CJ0<script>"])
def test_a_spaced_number_of_the_wrong_shape_is_still_refused(typed):
    with pytest.raises(ValidationError):
        identifiers.clean_licence_no(typed)


def test_an_officer_checks_a_company_by_a_licence_number_typed_with_spaces(li, agency):
    response = client_for(li).post(
        "/licensing/",
        {
            "applicant_kind": "operator",
            "name": "某某公司",
            "licence_no": SPACED,
            "application_type": "travel_agency_licence",
            "application_ref": "浙文旅许〔2026〕001号",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    check = ApplicantCheck.objects.get()
    assert check.verdict == "listed"
    assert "licence_no_same" in check.matches[0]["reasons"]


def test_a_batch_row_with_a_spaced_licence_number_is_listed(li, agency):
    content = (
        "applicant_kind,name,licence_no,application_type,application_ref\n"
        f"operator,某某公司,{SPACED},travel_agency_licence,B-1\n"
    ).encode()
    client = client_for(li)
    response = client.post(
        "/licensing/batches/", {"file": SimpleUploadedFile("applicants.csv", content)}
    )
    assert response.status_code == 302
    assert outbox_drain() == 1
    check = ApplicantCheck.objects.get()
    assert (check.batch_row, check.verdict) == (2, "listed")


def test_the_licensing_api_takes_a_spaced_licence_number(li, agency):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_key(li)}")
    response = api.post(
        "/api/v1/licensing/checks/",
        {
            "applicant_kind": "operator",
            "name": "某某公司",
            "licence_no": SPACED,
            "application_type": "travel_agency_licence",
            "application_ref": "API-1",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["verdict"] == "listed"


def test_the_public_quick_check_finds_a_spaced_licence_number(agency):
    response = client_for(None).get("/check/L ZJ CJ00001")
    assert response.status_code == 200
    assert "杭州西湖国际旅行社有限公司" in response.content.decode()


def test_a_filer_enters_an_operator_with_a_spaced_licence_number_and_it_is_stored_dashed(
    fang, bureaus
):
    response = client_for(fang).post(
        "/admin/records/operator/add/",
        {
            "name": "杭州新开旅行社有限公司",
            "sector": "travel_agency",
            "credit_code": "",
            "licence_no": "L ZJ CJ00077",
            "business_address": "",
            "legal_representative": "",
            "region": bureaus["xihu"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Operator.objects.get().licence_no == "L-ZJ-CJ00077"

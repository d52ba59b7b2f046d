"""Whatever a person (or a script) posts to the intake forms, the answer is a page with field
errors, never a server error, and nothing is saved."""

import datetime

import pytest
import time_machine

from records.models import BadRecord, Operator, Practitioner, RecordStatus
from tests import factories
from tests.admin_helpers import post_admin_form, record_fields
from tests.conftest import client_for

MONDAY = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)
HOSTILE = [
    {"basis_date": "2026-02-30"},
    {"basis_date": "0001-01-01", "obtained_on": "9999-12-31"},
    {"period_years": "99999999999999"},
    {"period_years": "-1"},
    {"ground": "G9"},
    {"subject_type": "alien"},
    {"operator": "999999"},
    {"operator": "'; DROP TABLE records_badrecord; --"},
    {"basis_number": "x" * 5000},
    {"cause": ""},
    {"basis_number": "\u200b\u3000 "},
]


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.mark.parametrize("overrides", HOSTILE)
def test_a_hostile_record_form_gets_field_errors_and_saves_nothing(fang, bureaus, overrides):
    agency = factories.operator(region=bureaus["xihu"])
    response = post_admin_form(
        client_for(fang), "/admin/records/badrecord/add/", record_fields(agency.pk, **overrides)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not BadRecord.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"credit_code": "ＡＢＣ", "licence_no": "L-ZJ-<svg onload=1>"},
        {"credit_code": "9" * 400},
        {"sector": "casino"},
        {"region": "0"},
    ],
)
def test_a_hostile_operator_form_gets_field_errors_and_saves_nothing(fang, bureaus, fields):
    data = {
        "name": "某旅行社",
        "sector": "travel_agency",
        "credit_code": "",
        "licence_no": "",
        "business_address": "",
        "legal_representative": "",
        "region": bureaus["xihu"].pk,
    }
    data.update(fields)
    response = client_for(fang).post("/admin/records/operator/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Operator.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"identity_number": "11010519491231002Y"},
        {
            "identity_number": "１１０１０５１９４９１２３１００２Ｘ",
            "kind": "guide",
            "certificate_no": "D-1101",
        },
        {"kind": "guide", "certificate_no": "guide-007"},
    ],
)
def test_a_hostile_practitioner_form_gets_field_errors_and_saves_nothing(fang, bureaus, fields):
    data = {
        "name": "张伟",
        "kind": "other",
        "identity_number": "",
        "certificate_no": "",
        "employer": "",
        "region": bureaus["xihu"].pk,
    }
    data.update(fields)
    response = client_for(fang).post("/admin/records/practitioner/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Practitioner.objects.exists()


def test_a_full_width_identity_number_is_accepted_and_normalised(fang, bureaus):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "11010519491231002X")
    response = client_for(fang).post(
        "/admin/records/practitioner/add/",
        {
            "name": "  张伟 ",
            "kind": "other",
            "identity_number": full_width,
            "certificate_no": "",
            "employer": "",
            "region": bureaus["xihu"].pk,
        },
    )
    assert response.status_code == 302
    assert Practitioner.objects.get().identity_number == "11010519491231002X"


@pytest.mark.parametrize("value", ["2026-13-45", "yesterday", "9999-12-31", "2026-03-01"])
def test_a_hostile_publication_date_gets_a_message_not_a_server_error(fang, rui, value):
    record = factories.record(filer=fang, status=RecordStatus.SUBMITTED)
    response = client_for(rui).post(
        f"/admin/records/badrecord/{record.pk}/transition/publish/", {"public_from": value}
    )
    assert response.status_code == 200
    assert "public_from" in response.context["form"].errors
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_an_unknown_transition_is_not_found(fang):
    record = factories.record(filer=fang)
    response = client_for(fang).post(f"/admin/records/badrecord/{record.pk}/transition/delete/")
    assert response.status_code == 404

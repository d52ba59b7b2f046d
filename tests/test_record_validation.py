"""Bad input to a draft (SPEC §4): every problem names its field; nothing is saved."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from records.models import BadRecord
from records.services import bad_records as services
from records.services import subjects
from tests import factories
from tests.test_record_lifecycle import MONDAY, draft_data

D = datetime.date


def refused(user, data):
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as error:
        services.record_create(by=user, data=data)
    assert not BadRecord.objects.exists()
    return error.value.message_dict


@pytest.fixture
def agency(bureaus):
    return factories.operator(region=bureaus["xihu"])


@pytest.fixture
def guide(bureaus):
    return factories.practitioner(region=bureaus["xihu"])


def test_a_future_decision_date_is_refused(fang, agency):
    errors = refused(fang, draft_data(agency, basis_date=D(2026, 3, 3)))
    assert errors["basis_date"] == ["The decision date cannot be in the future."]


def test_the_information_cannot_be_obtained_before_the_decision(fang, agency):
    errors = refused(fang, draft_data(agency, obtained_on=D(2026, 2, 1)))
    assert list(errors) == ["obtained_on"]


@pytest.mark.parametrize("ground", ["G4", "G5"])
def test_person_only_grounds_are_refused_for_an_operator(fang, agency, ground):
    errors = refused(fang, draft_data(agency, ground=ground))
    assert errors["ground"] == [f"Ground {ground} does not apply to operators."]


def test_ground_g2_is_refused_for_a_practitioner(fang, guide):
    errors = refused(fang, draft_data(guide, ground="G2"))
    assert errors["ground"] == ["Ground G2 applies to operators only."]


def test_a_period_other_than_two_years_needs_its_legal_basis(fang, agency):
    errors = refused(fang, draft_data(agency, period_years=3))
    assert list(errors) == ["period_legal_basis"]
    with time_machine.travel(MONDAY, tick=False):
        record = services.record_create(
            by=fang,
            data=draft_data(agency, period_years=3, period_legal_basis="某省旅游条例第40条"),
        )
    assert record.period_years == 3


def test_a_second_record_for_the_same_document_of_the_same_body_is_refused(fang, agency):
    with time_machine.travel(MONDAY, tick=False):
        services.record_create(by=fang, data=draft_data(agency))
    # The same number typed with full-width digits and a stray space is the same document.
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as error:
        services.record_create(
            by=fang, data=draft_data(agency, basis_number="杭西文旅罚〔２０２６〕 7号")
        )
    assert "basis_number" in error.value.message_dict
    assert BadRecord.objects.count() == 1


def test_the_same_document_number_of_another_issuing_body_is_a_different_document(fang, agency):
    with time_machine.travel(MONDAY, tick=False):
        services.record_create(by=fang, data=draft_data(agency))
        services.record_create(by=fang, data=draft_data(agency, basis_issuer="杭州市上城区文旅局"))
    assert BadRecord.objects.count() == 2


def test_the_database_itself_refuses_a_duplicate_basis_document(fang, agency):
    factories.record(filer=fang, subject=agency, basis_number="X1", basis_number_key="X1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.record(filer=fang, subject=agency, basis_number="X1", basis_number_key="X1")


def test_the_database_refuses_a_ground_that_does_not_fit_the_subject(fang, agency):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.record(filer=fang, subject=agency, ground="G4")


def test_missing_subject_cause_and_document_are_each_named(fang):
    errors = refused(
        fang,
        draft_data(
            None,
            subject_type="operator",
            operator=None,
            cause=" ",
            basis_number="",
            basis_issuer="",
        ),
    )
    assert {"operator", "cause", "basis_number", "basis_issuer"} <= set(errors)


def test_an_operator_with_a_bad_credit_code_is_not_saved(fang, bureaus):
    with pytest.raises(ValidationError) as error:
        subjects.operator_create(
            by=fang,
            data={
                "name": "坏代码旅行社",
                "sector": "travel_agency",
                "region": bureaus["xihu"],
                "credit_code": "91330106MA0000000X",
            },
        )
    assert list(error.value.message_dict) == ["credit_code"]


def test_a_practitioner_with_a_bad_identity_number_is_not_saved(fang, bureaus):
    with pytest.raises(ValidationError) as error:
        subjects.practitioner_create(
            by=fang,
            data={
                "name": "张伟",
                "kind": "guide",
                "region": bureaus["xihu"],
                "identity_number": "330106198504120010",
                "certificate_no": "D-3301-000001",
            },
        )
    assert list(error.value.message_dict) == ["identity_number"]


def test_a_second_operator_with_the_same_credit_code_is_pointed_to_the_first(fang, bureaus):
    existing = factories.operator(region=bureaus["xihu"])
    with pytest.raises(ValidationError) as error:
        subjects.operator_create(
            by=fang,
            data={
                "name": "另一家",
                "sector": "catering",
                "region": bureaus["xihu"],
                "credit_code": existing.credit_code.lower(),
            },
        )
    assert "already exists" in error.value.message_dict["credit_code"][0]


def test_a_future_decision_date_is_reported_once_when_obtained_on_is_left_empty(fang, agency):
    errors = refused(fang, draft_data(agency, basis_date=D(2030, 1, 1), obtained_on=None))
    assert "basis_date" in errors
    assert "obtained_on" not in errors


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "deleted"},
        {"obtained_on": D(2026, 1, 1), "basis_date": D(2026, 3, 1)},
        {"status": "published", "public_from": D(2026, 3, 2), "public_until": D(2026, 3, 1)},
        {"status": "published", "public_from": None, "public_until": None},
        {"period_years": 0},
    ],
)
def test_the_database_itself_refuses_impossible_states_and_dates(fang, agency, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.record(filer=fang, subject=agency, **fields)

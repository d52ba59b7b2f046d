"""Basis document numbers bracketing the year otherwise are one document: the stored keys are
folded by migration records 0015, and the form then refuses the second record."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError

from records.models import BadRecord, RecordStatus
from records.services.bad_records import record_create
from tests import factories

migration = importlib.import_module("records.migrations.0017_fold_brackets_in_basis_number_keys")


def test_the_migration_folds_stored_keys_and_never_makes_two_live_records_collide(fang):
    first = factories.record(
        filer=fang, basis_number="杭罚[2026]1号", basis_number_key="杭罚[2026]1号"
    )
    twin = factories.record(
        filer=fang,
        basis_number="杭罚(2026)1号",
        basis_number_key="杭罚(2026)1号",
        basis_issuer_key=first.basis_issuer_key,
    )
    other = factories.record(
        filer=fang, basis_number="杭罚【2026】2号", basis_number_key="杭罚【2026】2号"
    )
    migration.fold_basis_number_keys(apps, None)
    keys = dict(BadRecord.objects.values_list("pk", "basis_number_key"))
    assert keys[first.pk] == "杭罚〔2026〕1号"
    assert keys[twin.pk] == "杭罚(2026)1号"  # kept: it would collide with the first
    assert keys[other.pk] == "杭罚〔2026〕2号"


def test_the_form_refuses_a_second_record_for_the_same_document_bracketed_otherwise(fang, bureaus):
    operator = factories.operator(region=bureaus["xihu"])
    data = {
        "subject_type": "operator",
        "operator": operator,
        "ground": "G1",
        "cause": "擅自变更行程",
        "basis_type": "penalty_decision",
        "basis_number": "杭罚〔2026〕7号",
        "basis_issuer": "西湖区文旅局",
        "basis_date": datetime.date(2026, 2, 27),
    }
    with time_machine.travel(datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC), tick=False):
        record_create(by=fang, data=data)
        with pytest.raises(ValidationError) as error:
            record_create(by=fang, data={**data, "basis_number": "杭罚[2026]7号"})
    assert "basis_number" in error.value.error_dict
    assert BadRecord.objects.filter(status=RecordStatus.DRAFT).count() == 1

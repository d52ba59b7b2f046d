"""Variant characters fold to their standard form before names are compared or keyed (issue
17, point 2): 北京靑年旅行社 is 北京青年旅行社, in the licensing score, in the stored search keys
(and so in the public search) and after the data migration that folded the keys stored before."""

import importlib

import pytest
from django.apps import apps

from kernel.names import fold_variants, search_key, short_grams
from licensing.matching import score_operator_names, score_person_names
from licensing.models import ApplicantCheck
from records.models import BadRecord, Operator, Practitioner, RecordStatus
from tests import factories
from tests.conftest import client_for

# Variant → standard pairs met in names: the three, and common ones of the
# 《第一批异体字整理表》 and Japanese/old printing forms.
COMMON_VARIANTS = [
    ("靑", "青"),
    ("於", "于"),
    ("锺", "钟"),
    ("鍾", "钟"),
    ("淸", "清"),
    ("敎", "教"),
    ("衞", "卫"),
    ("峯", "峰"),
    ("綫", "线"),
    ("眞", "真"),
    ("爲", "为"),
    ("啓", "启"),
    ("汚", "污"),
    ("吿", "告"),
    ("凖", "准"),
    ("鷄", "鸡"),
    ("僞", "伪"),
    ("亜", "亚"),
    ("乗", "乘"),
    ("祕", "秘"),
]


@pytest.mark.parametrize(("variant", "standard"), COMMON_VARIANTS)
def test_a_common_variant_character_folds_to_its_standard_form(variant, standard):
    assert fold_variants(variant) == standard
    assert search_key(f"北京{variant}旅行社") == search_key(f"北京{standard}旅行社")


# Standard characters that a careless variant table would join to another standard character:
# each names different companies (乐园/乐圆, 机场/几场, 井冈山/井罔山, 贰号/二号).
@pytest.mark.parametrize("char", ["园", "机", "冈", "贰", "砂", "拿", "阪", "嘴", "青", "钟", "于"])
def test_a_standard_character_is_left_alone(char):
    assert fold_variants(char) == char


def test_folding_twice_changes_nothing():
    text = "".join(v for v, _s in COMMON_VARIANTS) + "北京青年旅行社ABC"
    assert fold_variants(fold_variants(text)) == fold_variants(text)


def test_a_variant_character_no_longer_sits_on_the_review_threshold():
    score = score_operator_names("北京靑年旅行社", "北京青年旅行社")
    assert score.value == 100
    assert score.reason == "name_same_normalised"


def test_a_person_written_with_a_variant_character_is_the_same_name():
    assert score_person_names("锺伟", "钟伟").value == 100
    assert score_person_names("於明", "于明").value == 100


def test_an_officer_finds_a_listed_company_typed_with_a_variant_character(li, bureaus, fang):
    operator = factories.operator(region=bureaus["xihu"], name="北京青年旅行社有限公司")
    factories.record(filer=fang, subject=operator, status=RecordStatus.PUBLISHED)
    response = client_for(li).post(
        "/licensing/",
        {
            "applicant_kind": "operator",
            "name": "北京靑年旅行社有限公司",
            "application_type": "travel_agency_licence",
            "application_ref": "京文旅许〔2026〕7号",
        },
    )
    assert response.status_code == 302
    assert ApplicantCheck.objects.get().verdict == "listed"


def test_the_migration_folds_keys_stored_before_the_fold(bureaus, fang):
    operator = factories.operator(region=bureaus["xihu"], name="北京靑年旅行社")
    person = factories.practitioner(region=bureaus["xihu"], name="锺伟")
    record = factories.record(filer=fang, subject=operator)
    untouched = factories.operator(region=bureaus["xihu"], name="杭州西湖乐园有限公司")
    # The keys as search_key wrote them before the fold.
    Operator.objects.filter(pk=operator.pk).update(name_key="北京靑年旅行社")
    Practitioner.objects.filter(pk=person.pk).update(name_key="锺伟")
    BadRecord.objects.filter(pk=record.pk).update(
        subject_name_key="北京靑年旅行社", name_grams=short_grams("北京靑年旅行社")
    )
    migration = importlib.import_module(
        "records.migrations.0010_fold_variant_characters_in_search_keys"
    )

    migration.fold_stored_keys(apps, None)

    operator.refresh_from_db()
    person.refresh_from_db()
    record.refresh_from_db()
    untouched.refresh_from_db()
    assert operator.name_key == search_key(operator.name) == "北京青年旅行社"
    assert person.name_key == search_key(person.name) == "钟伟"
    assert record.subject_name_key == "北京青年旅行社"
    assert "青年" in record.name_grams.split() and "靑" not in record.name_grams
    assert record.basis_issuer_key == search_key(record.basis_issuer)
    assert untouched.name_key == search_key("杭州西湖乐园有限公司")

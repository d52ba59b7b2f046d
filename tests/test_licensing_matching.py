"""The matching module: normalisation and scores, without a database; and what the database
really does with Chinese names when it proposes candidates."""

import pytest

from licensing.candidates import operator_ids, practitioner_ids
from licensing.matching import name_parts, normalise, score_operator_names, score_person_names
from tests import factories


@pytest.mark.parametrize(
    "written",
    [
        "杭州西湖國際旅行社有限公司",
        "杭州西湖国际旅行社（有限公司）",
        "杭州 西湖 国际 旅行社 有限责任公司",
        "浙江省杭州市西湖国际旅行社股份有限公司",
        "西湖国际旅行社（杭州）有限公司",
        "杭州西湖國際旅行社集團有限公司",
        "\u200b杭州西湖国际旅行社有限公司 ",
    ],
)
def test_ways_of_writing_one_company_share_its_core(written):
    assert name_parts(written).core == "西湖国际旅行社"
    assert score_operator_names(written, "杭州西湖国际旅行社有限公司").value == 100


def test_full_width_latin_letters_and_case_are_folded():
    assert normalise("ＡＢＣ　Travel，Co．") == normalise("abc travel co.")
    assert name_parts("ＡＢＣ Travel Co., Ltd.").core == name_parts("abc travel").core


def test_region_names_count_with_and_without_their_suffix():
    assert name_parts("北京市山水旅行社").regions == name_parts("北京山水旅行社").regions
    assert name_parts("北京山水旅行社").core == "山水旅行社"


def test_a_county_short_name_stays_part_of_the_brand():
    # 西湖 is a district of Hangzhou but also the brand of many companies.
    assert name_parts("西湖国际旅行社").core == "西湖国际旅行社"
    assert name_parts("西湖区国际旅行社").core == "国际旅行社"


def test_the_same_brand_in_two_cities_is_not_the_same_company():
    score = score_operator_names("杭州山水旅行社有限公司", "宁波山水旅行社有限公司")
    assert score.value < 95
    assert score.reason == "name_same_other_region"


def test_a_different_brand_scores_below_review():
    assert score_operator_names("杭州山水旅行社有限公司", "杭州云游旅行社有限公司").value < 80


def test_stripping_never_leaves_less_than_two_characters():
    assert name_parts("公司").core == "公司"
    assert len(name_parts("有限公司").core) == 2
    assert name_parts("北京").core == "北京"
    assert name_parts("").core == ""


def test_person_names_match_only_when_equal_once_normalised():
    assert score_person_names("陳曉峰", "陈晓峰").value == 100
    assert score_person_names("陈晓峰", "陈小峰").value < 100
    assert score_person_names("张 伟", "张伟").value == 100


def test_a_two_character_person_name_is_found_by_its_key_on_every_database(bureaus):
    zhang = factories.practitioner(region=bureaus["xihu"], name="张伟")
    factories.practitioner(region=bureaus["xihu"], name="张伟伟")
    assert practitioner_ids(name="張偉", identity_number="", certificate_no="") == {zhang.pk}
    assert practitioner_ids(name="张 伟", identity_number="", certificate_no="") == {zhang.pk}


def test_company_candidates_include_a_shorter_or_differently_written_name(bureaus):
    agency = factories.operator(region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司")
    other = factories.operator(region=bureaus["xihu"], name="宁波海纳文化娱乐有限公司")
    found = operator_ids(name="杭州西湖國際旅行社", credit_code="", licence_no="")
    assert agency.pk in found
    assert other.pk not in found

import pytest
from django.core.exceptions import ValidationError

from kernel import identifiers
from kernel.names import normalize_name, search_key
from tests import factories


def test_a_credit_code_typed_with_spaces_and_lower_case_is_normalised():
    code = factories.credit_code(4711)
    spaced = " ".join([code[:6].lower(), code[6:12].lower(), code[12:]])
    assert identifiers.clean_credit_code(spaced) == code


def test_a_credit_code_typed_in_full_width_characters_is_accepted():
    code = factories.credit_code(4712)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert identifiers.clean_credit_code(full_width) == code


def test_a_credit_code_with_a_wrong_check_character_is_refused_for_that_reason():
    code = factories.credit_code(4713)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        identifiers.clean_credit_code(wrong)
    assert error.value.code == "checksum"


def test_a_credit_code_of_the_wrong_length_says_how_long_it_is():
    with pytest.raises(ValidationError) as error:
        identifiers.clean_credit_code("9133010612345")
    assert error.value.code == "length"
    assert error.value.params == {"n": 13}


def test_an_identity_number_with_a_lower_case_x_is_upper_cased():
    number = identifiers.clean_identity_number("11010519491231002x")
    assert number == "11010519491231002X"


def test_an_identity_number_with_a_wrong_check_digit_is_refused():
    number = factories.identity_number(77)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(ValidationError) as error:
        identifiers.clean_identity_number(wrong)
    assert error.value.code == "checksum"


def test_an_identity_number_with_an_impossible_birth_date_is_refused_for_the_date():
    body = "33010619850231001"  # 31 February
    from stdnum.cn import ric

    with pytest.raises(ValidationError) as error:
        identifiers.clean_identity_number(body + ric.calc_check_digit(body + "0"))
    assert error.value.code == "birth_date"


def test_an_identity_number_is_masked_to_region_and_last_four():
    assert identifiers.mask_identity_number("110101199003071234") == "110101********1234"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("l-bj-cj00001", "L-BJ-CJ00001"),
        ("L－GD－100123", "L-GD-100123"),  # full-width hyphens
        (" L – GD — 100123 ", "L-GD-100123"),  # en and em dashes, spaces
        ("Ｌ-ＢＪ-ＣＪ00001", "L-BJ-CJ00001"),
    ],
)
def test_licence_numbers_are_normalised_whatever_the_dashes_case_or_width(typed, expected):
    assert identifiers.clean_licence_no(typed) == expected


@pytest.mark.parametrize("typed", ["LBJCJ00001", "L-BJ", "旅行社123", "L-BJ-CJ0<script>"])
def test_malformed_licence_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        identifiers.clean_licence_no(typed)


def test_guide_certificates_are_normalised_and_checked():
    assert identifiers.clean_guide_certificate_no("d－1101－012345") == "D-1101-012345"
    with pytest.raises(ValidationError):
        identifiers.clean_guide_certificate_no("D-11-1")


def test_document_numbers_lose_width_and_spaces_but_keep_their_brackets():
    assert (
        identifiers.normalize_document_number(" 杭西文旅罚 〔２０２６〕 １２号 ")
        == "杭西文旅罚〔2026〕12号"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "杭西文旅罚[2026]12号",
        "杭西文旅罚（2026）12号",
        "杭西文旅罚 【2026】 12号",
        "杭西文旅罚﹝2026﹞12号",
    ],
)
def test_document_numbers_bracketing_the_year_otherwise_are_the_official_form(typed):
    assert identifiers.normalize_document_number(typed) == "杭西文旅罚〔2026〕12号"


def test_names_are_nfkc_trimmed_and_inner_spaces_collapsed():
    assert normalize_name("  杭州\u3000西湖  旅行社 ") == "杭州 西湖 旅行社"
    assert search_key("ＡＢＣ 旅行社") == search_key("abc旅行社")


def test_zero_width_characters_pasted_from_a_document_do_not_count():
    assert normalize_name("\u200b杭州\u200d旅行社\ufeff") == "杭州旅行社"
    assert identifiers.clean_licence_no("L-BJ-\u200bCJ00001") == "L-BJ-CJ00001"
    assert identifiers.normalize_document_number("\u200b\u3000 ") == ""

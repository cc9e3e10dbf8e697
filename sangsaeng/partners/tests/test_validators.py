"""사업자등록번호 (BRN) and 법인등록번호 (corporate number) rules of DOMAIN.md §0."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sangsaeng.partners.validators import (
    brn_check_digit,
    format_brn,
    normalize_brn,
    normalize_corporate_number,
)

FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _code(raw: str) -> str:
    with pytest.raises(ValidationError) as caught:
        normalize_brn(raw)
    return caught.value.code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("116-82-00276", "1168200276"),
        ("134-86-72683", "1348672683"),
        ("124-81-00998", "1248100998"),
    ],
)
def test_brn_vectors_from_the_domain_are_valid(raw, expected):
    assert normalize_brn(raw) == expected


def test_brn_vector_with_wrong_check_digit_is_refused():
    assert _code("116-82-00278") == "brn_checksum"


@pytest.mark.parametrize(
    "raw",
    [
        "1168200276",
        "116 82 00276",
        " 116-82-00276 ",
        "116–82–00276",  # en dashes pasted from a word processor
        "１１６－８２－００２７６",
        "１１６８２００２７６",
        "116.82.00276",
    ],
)
def test_brn_formatting_variants_normalise_to_ten_digits(raw):
    assert normalize_brn(raw) == "1168200276"


@pytest.mark.parametrize(
    "raw", ["", "116-82-0027", "116-82-002761", "116-82-0027a", "ABC-DE-FGHIJ", "٣١٦٨٢٠٠٢٧٦"]
)
def test_brn_that_is_not_ten_digits_is_refused_as_format(raw):
    assert _code(raw) == "brn_format"


@pytest.mark.parametrize(
    "first9",
    [
        "100820027",  # first block below 101
        "001820027",
        "116000027",  # middle block 00
        "116820000",  # serial 0000
    ],
)
def test_brn_blocks_never_issued_are_refused_even_with_a_matching_check_digit(first9):
    raw = first9 + str(brn_check_digit(first9))
    assert _code(raw) == "brn_block"


def test_brn_messages_are_translated_text_for_the_user():
    with pytest.raises(ValidationError) as caught:
        normalize_brn("116-82-00278")
    assert "check digit" in caught.value.messages[0]


def test_brn_check_digit_needs_nine_digits():
    with pytest.raises(ValueError):
        brn_check_digit("12345678")
    with pytest.raises(ValueError):
        brn_check_digit("１２３４５６７８９")


def test_format_brn_prints_the_registration_certificate_form():
    assert format_brn("1168200276") == "116-82-00276"


_first9 = st.builds(
    lambda first, middle, serial: f"{first:03d}{middle:02d}{serial:04d}",
    st.integers(101, 999),
    st.integers(1, 99),
    st.integers(1, 9999),
)


@given(_first9)
def test_any_brn_built_with_its_check_digit_is_valid(first9):
    brn = first9 + str(brn_check_digit(first9))
    assert normalize_brn(brn) == brn


@given(_first9, st.integers(1, 9))
def test_changing_the_check_digit_always_fails(first9, shift):
    wrong = (brn_check_digit(first9) + shift) % 10
    with pytest.raises(ValidationError) as caught:
        normalize_brn(first9 + str(wrong))
    assert caught.value.code == "brn_checksum"


@given(_first9, st.sampled_from(["plain", "hyphens", "spaces", "fullwidth", "fullwidth-hyphens"]))
def test_formatting_variants_of_a_valid_brn_normalise_to_the_same_value(first9, style):
    brn = first9 + str(brn_check_digit(first9))
    printed = f"{brn[:3]}-{brn[3:5]}-{brn[5:]}"
    variant = {
        "plain": brn,
        "hyphens": printed,
        "spaces": f" {brn[:3]} {brn[3:5]}  {brn[5:]} ",
        "fullwidth": brn.translate(FULLWIDTH),
        "fullwidth-hyphens": printed.translate(FULLWIDTH),
    }[style]
    assert normalize_brn(variant) == brn


# --- 법인등록번호 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("130111-0006246", "1301110006246"),  # published corporate number of a listed company
        ("110111-0123458", "1101110123458"),  # hand-computed: sum 32 → check 8
        ("1101110123458", "1101110123458"),
        ("１１０１１１－０１２３４５８", "1101110123458"),
        (" 110111 0123458 ", "1101110123458"),
    ],
)
def test_corporate_number_valid_forms_normalise_to_13_digits(raw, expected):
    assert normalize_corporate_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "   "])
def test_corporate_number_is_optional(raw):
    assert normalize_corporate_number(raw) == ""


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110111-0123459", "corporate_number_checksum"),
        ("130111-0006247", "corporate_number_checksum"),
        ("110111-012345", "corporate_number_format"),
        ("110111-01234589", "corporate_number_format"),
        ("11011a-0123458", "corporate_number_format"),
    ],
)
def test_corporate_number_with_wrong_check_digit_or_length_is_refused(raw, code):
    with pytest.raises(ValidationError) as caught:
        normalize_corporate_number(raw)
    assert caught.value.code == code


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_corporate_number_changing_the_check_digit_always_fails(first12, shift):
    weights = (1, 2) * 6
    check = (10 - sum(int(d) * w for d, w in zip(first12, weights, strict=True)) % 10) % 10
    assert normalize_corporate_number(first12 + str(check)) == first12 + str(check)
    with pytest.raises(ValidationError):
        normalize_corporate_number(first12 + str((check + shift) % 10))

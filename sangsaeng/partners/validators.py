"""Identity numbers of Korean companies: 사업자등록번호 (BRN) and 법인등록번호 (corporate number).

Both are checked by their published check-digit rules (DOMAIN.md §0). Input is accepted the way
people type or paste it — with hyphens, spaces, or full-width digits from a Korean IME — and
normalised to plain ASCII digits for storage. Every refusal is a django ValidationError with a
stable ``code`` so that forms, the API and the Excel import can report it field by field.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.text import halfwidth_digits
from sangsaeng.partners.error_codes import PartnersErrorCode

# Separators people put between the blocks: ASCII and Unicode hyphens/dashes, spaces, dots.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−.]+")

# Weights of the BRN check digit (국세청 rule): applied to the first nine digits.
BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
# Weights of the corporate-number check digit: 1 and 2 alternating over the first twelve digits.
CORPORATE_NUMBER_WEIGHTS = (1, 2) * 6


def _clean_digits(raw: str) -> str | None:
    """ASCII digits with separators removed, or None if anything other than digits remains.

    NFKC turns full-width digits (０-９) into ASCII; the explicit half-width pass covers the
    full-width hyphen that NFKC maps to a plain hyphen-minus as well.
    """
    text = halfwidth_digits(unicodedata.normalize("NFKC", raw or ""))
    text = _SEPARATORS.sub("", text)
    if not text.isascii() or not text.isdigit():
        return None
    return text


def brn_check_digit(first9: str) -> int:
    """The check digit (10th digit) of a 사업자등록번호 whose first nine digits are given.

    Rule: weights 1,3,7,1,3,7,1,3,5 on the first nine digits, plus floor(d9 × 5 / 10);
    check = (10 − sum mod 10) mod 10. Raises ValueError if `first9` is not nine ASCII digits.
    """
    if len(first9) != 9 or not first9.isascii() or not first9.isdigit():
        raise ValueError("brn_check_digit() needs exactly nine ASCII digits")
    digits = [int(c) for c in first9]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def normalize_brn(raw: str) -> str:
    """Return the 사업자등록번호 as ten plain digits, or raise ValidationError.

    Accepts "116-82-00276", "116 82 00276", "1168200276" and full-width "１１６－８２－００２７６".
    Codes: ``brn_format`` (not ten digits), ``brn_block`` (first block below 101, middle block 00
    or serial 0000 — numbers the tax office never issues), ``brn_checksum`` (wrong check digit).
    """
    digits = _clean_digits(raw)
    if digits is None or len(digits) != 10:
        raise ValidationError(
            _("Enter the business registration number as 10 digits, e.g. 123-45-67890."),
            code=PartnersErrorCode.BRN_FORMAT,
        )
    if int(digits[:3]) < 101 or digits[3:5] == "00" or digits[5:9] == "0000":
        raise ValidationError(
            _("This is not an issued business registration number (one of its blocks is out of range)."),
            code=PartnersErrorCode.BRN_BLOCK,
        )
    if brn_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("The business registration number's check digit does not match. Please check the number."),
            code=PartnersErrorCode.BRN_CHECKSUM,
        )
    return digits


def format_brn(brn: str) -> str:
    """Ten digits → "123-45-67890" (3-2-5, the way it is printed on the 사업자등록증)."""
    return f"{brn[:3]}-{brn[3:5]}-{brn[5:]}" if len(brn) == 10 else brn


def corporate_number_check_digit(first12: str) -> int:
    """The check digit (13th digit) of a 법인등록번호: weights 1,2 alternating, (10 − sum mod 10) mod 10."""
    if len(first12) != 12 or not first12.isascii() or not first12.isdigit():
        raise ValueError("corporate_number_check_digit() needs exactly twelve ASCII digits")
    total = sum(int(d) * w for d, w in zip(first12, CORPORATE_NUMBER_WEIGHTS, strict=True))
    return (10 - total % 10) % 10


def normalize_corporate_number(raw: str) -> str:
    """Return the optional 법인등록번호 as 13 plain digits ("" stays ""), or raise ValidationError.

    Accepts the printed 6-7 form ("110111-1234567"), spaces and full-width digits.
    Codes: ``corporate_number_format`` (not 13 digits), ``corporate_number_checksum``.
    """
    if not (raw or "").strip():
        return ""
    digits = _clean_digits(raw)
    if digits is None or len(digits) != 13:
        raise ValidationError(
            _("Enter the corporate registration number as 13 digits, e.g. 110111-1234567."),
            code=PartnersErrorCode.CORPORATE_NUMBER_FORMAT,
        )
    if corporate_number_check_digit(digits[:12]) != int(digits[12]):
        raise ValidationError(
            _("The corporate registration number's check digit does not match. Please check the number."),
            code=PartnersErrorCode.CORPORATE_NUMBER_CHECKSUM,
        )
    return digits

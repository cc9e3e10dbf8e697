"""Money is integer KRW (원). Display helpers for 억 (10^8) and 만 (10^4)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EOK = 100_000_000
MAN = 10_000


def format_krw(amount: int | None) -> str:
    if amount is None:
        return "–"
    return f"{amount:,}원"


def format_eok(amount: int | None) -> str:
    """1,234,500,000,000 → '12,345억'; 150,000,000 → '1억 5,000만'; 50,000,000 → '5,000만'.

    A negative amount (a correction) keeps its sign in front: -150,000,000 → '-1억 5,000만'.
    """
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= EOK:
        eok, rest = divmod(amount, EOK)
        return f"{sign}{eok:,}억" + (f" {rest // MAN:,}만" if rest >= MAN else "")
    if amount >= MAN:
        return f"{sign}{amount // MAN:,}만"
    return f"{sign}{amount:,}원"


# --- Reading money the way Korean users type it -------------------------------------------------------
# One parser for web forms (core.forms.MoneyField), imports (partner and bank files) and anything
# else that reads an amount: "1234567", "1,234,567", "1,000원", "₩1,000", "150억", "1억 2천만",
# "2억5,000만원", "1.5억" (full-width digits too). Units 조/억/만 and, inside them, 천/백/십 are
# read as a Korean reader reads them; they must come largest first. The result must be whole won.
_UNITS = {"조": 10**12, "억": EOK, "만": MAN, "천": 1_000, "백": 100, "십": 10}
_BIG_UNITS = ("조", "억", "만")
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_TOKEN = re.compile(rf"({_NUMBER})?([조억만천백십])?")
MAX_PARSED_KRW = 10**16  # 1경원: above any amount here; stops a typo from overflowing a column


def _money_error() -> ValidationError:
    return ValidationError(
        _("Enter an amount in won, e.g. 1,234,567, 1,000원 or 1억 2천만."), code="invalid_money"
    )


def parse_krw(value: object) -> int:
    """An amount in whole won from a number or a text typed the Korean way; raises ValidationError
    (code "invalid_money") for anything else — `True` is not a number, "1,23" is not grouped, "1.5원"
    is not whole. A leading minus is kept (callers bound the range)."""
    if isinstance(value, bool):
        raise _money_error()
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if not Decimal(value).is_finite() or Decimal(value) != Decimal(value).to_integral_value():
            raise _money_error()
        return int(value)
    if not isinstance(value, str):
        raise _money_error()
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    sign = 1
    if text.startswith("-"):
        sign, text = -1, text[1:]
    text = text.removeprefix("₩").removeprefix("\\").removesuffix("원")
    if not text or not any(character.isdigit() for character in text):
        raise _money_error()
    total = Decimal(0)
    section = Decimal(0)  # the part below the last 만/억/조 read so far
    last_big = last_small = 10**13
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise _money_error()
        number_text, unit = match.groups()
        position = match.end()
        number = Decimal(number_text.replace(",", "")) if number_text else None
        if unit is None:
            if position != len(text) or number is None:
                raise _money_error()  # a bare number only at the end ("1억 5000")
            section += number
        elif unit in _BIG_UNITS:
            if _UNITS[unit] >= last_big:
                raise _money_error()  # "1만 2억": largest unit first
            last_big, last_small = _UNITS[unit], 10**13
            amount = section + (number or 0)
            total += (amount if amount or number is not None else 1) * _UNITS[unit]
            section = Decimal(0)
        else:
            if _UNITS[unit] >= last_small:
                raise _money_error()
            last_small = _UNITS[unit]
            section += (number if number is not None else 1) * _UNITS[unit]
    total += section
    if total != total.to_integral_value() or total > MAX_PARSED_KRW:
        raise _money_error()
    return sign * int(total)

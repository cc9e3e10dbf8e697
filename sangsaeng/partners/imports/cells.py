"""Reading one cell: Excel gives numbers, dates, booleans or text; each kind of column wants one type.

A parser returns the cleaned value or raises _CellError with a message in the user's language.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from sangsaeng.core.dates import today
from sangsaeng.core.money import parse_krw
from sangsaeng.core.text import normalize_text
from sangsaeng.partners.models import Tier


class _CellError(Exception):
    """A cell's value cannot be used; the message is already in the user's language."""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value))[:200]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        value = value.isoformat()
    return normalize_text(str(value))


def _digits_text(value: Any, width: int = 0) -> str:
    """Identity numbers typed into a number cell lose their leading zeros and hyphens: restore width."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise _CellError(_("Enter the number as text, not as a decimal number."))
        return str(int(value)).zfill(width)
    return _text(value)


_DATE_FORMATS = ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d", "%Y. %m. %d")


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    else:
        text = _text(value).rstrip(".")
        for date_format in _DATE_FORMATS:
            try:
                result = dt.datetime.strptime(text, date_format).date()
                break
            except ValueError:
                continue
        else:
            raise _CellError(_("Enter a date as YYYY-MM-DD."))
    if result > today():
        raise _CellError(_("The date must not be in the future."))
    return result


def _parse_integer(value: Any, *, maximum: int) -> int:
    if isinstance(value, bool):
        raise _CellError(_("Enter a whole number."))
    if isinstance(value, float):
        if not value.is_integer():
            raise _CellError(_("Enter a whole number without decimals."))
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = re.sub(r"[\s,]", "", _text(value))
        text = text.removesuffix("원")
        if not re.fullmatch(r"-?[0-9]+", text):
            raise _CellError(_("Enter a whole number."))
        number = int(text)
    if number < 0:
        raise _CellError(_("The number must not be negative."))
    if number > maximum:
        raise _CellError(_("The number is too large."))
    return number


def _parse_money(value: Any, *, maximum: int) -> int:
    """An amount in won as Korean users write it (core.money.parse_krw): 1234567, "1,234,567",
    "1,000원", "150억", "1억 2천만"."""
    try:
        number = parse_krw(value)
    except ValidationError as error:
        raise _CellError(error.messages[0]) from None
    if number < 0:
        raise _CellError(_("The number must not be negative."))
    if number > maximum:
        raise _CellError(_("The number is too large."))
    return number


_TRUE_WORDS = {"y", "yes", "예", "true", "o", "1"}
_FALSE_WORDS = {"n", "no", "아니오", "아니요", "false", "x", "0"}


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    raise _CellError(_("Enter Y or N (also 예/아니오, TRUE/FALSE)."))


def _parse_tier(value: Any) -> int:
    if isinstance(value, bool):
        raise _CellError(_("Enter the tier as 1, 2, 3 or 4."))
    text = _text(value).removesuffix("차")
    if text not in {str(tier) for tier in Tier.values}:
        raise _CellError(_("Enter the tier as 1, 2, 3 or 4."))
    return int(text)


def _parse_ksic(value: Any) -> str:
    text = _digits_text(value).upper()
    # A section letter (e.g. "C26110") is sometimes written in front of the code.
    match = re.fullmatch(r"[A-U]?([0-9]{2,5})", text)
    if not match:
        raise _CellError(_("Enter the KSIC code as 2 to 5 digits (e.g. 26110)."))
    return match.group(1)


def _parse_email(value: Any) -> str:
    text = _text(value)
    try:
        validate_email(text)
    except ValidationError as error:
        raise _CellError(_("Enter a valid e-mail address.")) from error
    return text


def _parse_phone(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number cell drops the leading 0 every Korean phone number starts with.
        text = _digits_text(value)
        text = text if text.startswith("0") else "0" + text
    else:
        text = _text(value)
    if not re.fullmatch(r"\+?[0-9][0-9\-\s().]{6,28}", text):
        raise _CellError(_("Enter a phone number (digits and hyphens)."))
    return text

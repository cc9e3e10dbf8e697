"""Korean text helpers: normalisation of user input and masking of personal data in lists."""

from __future__ import annotations

import re
import unicodedata

_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９－"}
_SPACES = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """NFC (macOS and some Excel files send decomposed NFD Hangul), trimmed, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def clean_text(value: str) -> str:
    """NFC and trimmed, the inner spacing and line breaks kept: free text a person wrote (a reason, a
    note, a description). normalize_text also folds inner whitespace, for one-line values."""
    return unicodedata.normalize("NFC", value or "").strip()


def halfwidth_digits(value: str) -> str:
    """Turn full-width digits and hyphen (０-９, －) into ASCII, as Korean IMEs often type them."""
    return (value or "").translate(_FULLWIDTH)


def digits_only(value: str) -> str:
    return re.sub(r"[^0-9]", "", halfwidth_digits(unicodedata.normalize("NFKC", value or "")))


def mask_email(value: str) -> str:
    """hong.gildong@example.com → ho********@example.com"""
    if not value or "@" not in value:
        return value or ""
    local, domain = value.split("@", 1)
    keep = local[:2] if len(local) > 2 else local[:1]
    return f"{keep}{'*' * max(1, len(local) - len(keep))}@{domain}"


def mask_phone(value: str) -> str:
    """010-1234-5678 → 010-****-5678 (the middle block, as Korean services mask it)."""
    digits = digits_only(value)
    if len(digits) < 7:
        return "*" * len(value or "")
    return f"{digits[:3]}-****-{digits[-4:]}"


def mask_name(value: str) -> str:
    """홍길동 → 홍*동, Kim → K*m."""
    value = value or ""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
